// Contract of brand perimeters: CRUD of brands, products and themes (kept as separate ops so
// roles can be enforced per op later), each brand's own accounts and the suggestions for them,
// the live query tester and the re-match progress.
import { z } from 'zod';
import {
  BrandSchema,
  MatchSpanSchema,
  OwnedAccountInputSchema,
  OwnedAccountSchema,
  OwnedSuggestionSchema,
  PerimetersSchema,
  ProductSchema,
  QueryErrorSchema,
  RematchStateSchema,
  ThemeInputSchema,
  ThemeSchema,
} from '../perimeters';
import { MentionSchema } from '../schemas';

const Id = z.object({ id: z.number().int() }).strict();
const Ok = z.object({ ok: z.literal(true) });
const name = z.string().trim().min(1, 'schema.nameRequired').max(120, 'schema.nameTooLong');

export const perimetersOperations = {
  'perimeters.list': { input: z.object({}).strict(), output: PerimetersSchema },
  'perimeters.brandCreate': { input: z.object({ name }).strict(), output: BrandSchema },
  'perimeters.brandUpdate': { input: z.object({ id: z.number().int(), name }).strict(), output: BrandSchema },
  'perimeters.brandDelete': { input: Id, output: Ok },
  'perimeters.productCreate': { input: z.object({ brandId: z.number().int(), name }).strict(), output: ProductSchema },
  'perimeters.productUpdate': { input: z.object({ id: z.number().int(), name }).strict(), output: ProductSchema },
  'perimeters.productDelete': { input: Id, output: Ok },
  'perimeters.themeCreate': { input: ThemeInputSchema, output: ThemeSchema },
  'perimeters.themeUpdate': { input: ThemeInputSchema.extend({ id: z.number().int() }).strict(), output: ThemeSchema },
  'perimeters.themeDelete': { input: Id, output: Ok },
  /** Declares one of a brand's own accounts; a duplicate (for this or another brand) is refused. */
  'perimeters.ownedAdd': { input: OwnedAccountInputSchema, output: OwnedAccountSchema },
  'perimeters.ownedDelete': { input: Id, output: Ok },
  /** Sources named "… @handle" like a brand, not yet declared: offered, never counted by themselves. */
  'perimeters.ownedSuggestions': { input: z.object({}).strict(), output: z.object({ items: z.array(OwnedSuggestionSchema) }) },
  /**
   * Parses a query and, when valid, counts the stored mentions it matches (the newest
   * `scanned` of `total`) with a sample and its spans. A parse error is an answer, not a failure.
   */
  'perimeters.testQuery': {
    input: z.object({ query: z.string().max(10_000), sample: z.number().int().min(0).max(20).default(5) }).strict(),
    output: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(false), error: QueryErrorSchema }),
      z.object({
        ok: z.literal(true),
        count: z.number().int(),
        scanned: z.number().int(),
        total: z.number().int(),
        sample: z.array(z.object({ mention: MentionSchema, spans: z.array(MatchSpanSchema) })),
      }),
    ]),
  },
  'perimeters.rematchState': { input: z.object({}).strict(), output: RematchStateSchema },
} as const;

export const perimetersEvents = {
  /** Brands, products, themes or owned accounts changed (or a re-match finished): re-read the perimeter. */
  'perimeters.changed': z.object({}),
  /** Progress of the background re-match after theme edits. */
  'perimeters.rematch': RematchStateSchema,
} as const;
