// Brand perimeters: brands → products → themes, each theme a query with a SWOT class, a
// stance and a weight; how a mention matched a theme (relevance and spans); and each brand's
// own accounts (sources, handles, threads and posts), which decide where the brand is at home.
import { z } from 'zod';

export const SwotSchema = z.enum(['strength', 'weakness', 'opportunity', 'threat']);
export type Swot = z.infer<typeof SwotSchema>;

/** in_perimeter: engage freely; sensitive: legal reviews any response; forbidden: no engagement. */
export const StanceSchema = z.enum(['in_perimeter', 'sensitive', 'forbidden']);
export type Stance = z.infer<typeof StanceSchema>;

const name = z.string().trim().min(1, 'schema.nameRequired').max(120, 'schema.nameTooLong');

export const BrandSchema = z.object({ id: z.number().int(), name: z.string(), createdAt: z.string() });
export type Brand = z.infer<typeof BrandSchema>;

export const ProductSchema = z.object({ id: z.number().int(), brandId: z.number().int(), name: z.string(), createdAt: z.string() });
export type Product = z.infer<typeof ProductSchema>;

export const ThemeSchema = z.object({
  id: z.number().int(),
  brandId: z.number().int(),
  productId: z.number().int().nullable(),
  name: z.string(),
  query: z.string(),
  swot: SwotSchema,
  stance: StanceSchema,
  /** Importance of the theme in [0, 1]; it scales the relevance of its matches. */
  weight: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Stored mentions currently matching (kept by the matcher). */
  mentionCount: z.number().int(),
});
export type PerimeterTheme = z.infer<typeof ThemeSchema>;

export const ThemeInputSchema = z.object({
  brandId: z.number().int(),
  productId: z.number().int().nullable().default(null),
  name,
  query: z.string().max(4_000, 'schema.queryTooLong'),
  swot: SwotSchema,
  stance: StanceSchema.default('in_perimeter'),
  weight: z.number().min(0, 'schema.weightRange').max(1, 'schema.weightRange').default(1),
}).strict();
export type ThemeInput = z.infer<typeof ThemeInputSchema>;

export const MatchSpanSchema = z.object({
  field: z.enum(['title', 'text']),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type MatchSpanDto = z.infer<typeof MatchSpanSchema>;

/** One theme a mention matched. */
export const MentionThemeSchema = z.object({
  themeId: z.number().int(),
  relevance: z.number().min(0).max(1),
  spans: z.array(MatchSpanSchema),
});
export type MentionTheme = z.infer<typeof MentionThemeSchema>;

/** A query's parse error, with where it is (0-based offset, 1-based column). */
export const QueryErrorSchema = z.object({
  /** In Italian; `key` and `params` are the same as a code, which each client words. */
  message: z.string(),
  key: z.string().max(100).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  position: z.number().int(),
  column: z.number().int(),
  length: z.number().int(),
});
export type QueryErrorDto = z.infer<typeof QueryErrorSchema>;

export const RematchJobSchema = z.object({
  themeId: z.number().int(),
  kind: z.enum(['match', 'purge']),
  done: z.number().int(),
  total: z.number().int(),
});
export const RematchStateSchema = z.object({
  running: z.boolean(),
  jobs: z.array(RematchJobSchema),
});
export type RematchState = z.infer<typeof RematchStateSchema>;

/**
 * A brand's own account, declared in Perimetri: a source (its name in Vedetta), a handle on a
 * platform (the brand's posts and the threads it opened), a thread/post id, or a post's URL.
 * Moments track these threads, audiences and the response policy read the same list.
 */
export const OwnedTypeSchema = z.enum(['source', 'handle', 'thread', 'url']);
export type OwnedType = z.infer<typeof OwnedTypeSchema>;
export const OWNED_TYPES = OwnedTypeSchema.options;

export const OwnedAccountSchema = z.object({
  id: z.number().int(),
  brandId: z.number().int(),
  type: OwnedTypeSchema,
  value: z.string(),
  /** Only for a handle: the platform it lives on ("Instagram"); null on any source. */
  platform: z.string().nullable(),
  createdAt: z.string(),
});
export type OwnedAccount = z.infer<typeof OwnedAccountSchema>;

/** "@caffeaurora", "caffeaurora", "@caffeaurora@mastodon.uno" (a Mastodon address). */
const HANDLE = /^@?[\p{L}\p{N}_.-]{1,100}(@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+)?$/u;

function isWebUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.');
  } catch {
    return false;
  }
}

export const OwnedAccountInputSchema = z.object({
  brandId: z.number().int(),
  type: OwnedTypeSchema,
  value: z.string().trim().min(1, 'schema.ownedValueRequired').max(500, 'schema.ownedValueTooLong'),
  platform: z.string().trim().max(60, 'schema.platformTooLong').nullable().default(null)
    .transform((p) => (p ? p : null)),
}).strict().superRefine((a, ctx) => {
  const bad = (message: string, path: 'value' | 'platform' = 'value'): void => void ctx.addIssue({ code: 'custom', path: [path], message });
  const looksLikeUrl = /^https?:\/\//i.test(a.value);
  if (a.type !== 'handle' && a.platform !== null) bad('schema.platformHandleOnly', 'platform');
  if (a.type === 'source') {
    if (a.value.length > 120) bad('schema.ownedSourceTooLong');
  } else if (a.type === 'handle') {
    if (looksLikeUrl) bad('schema.ownedIsLink');
    else if (!HANDLE.test(a.value)) bad('schema.ownedHandle');
  } else if (a.type === 'thread') {
    if (looksLikeUrl) bad('schema.ownedIsLink');
    else if (/\s/.test(a.value)) bad('schema.ownedThreadSpaces');
  } else if (!isWebUrl(a.value)) {
    bad('schema.ownedNeedLink');
  }
});
export type OwnedAccountInput = z.input<typeof OwnedAccountInputSchema>;
/** The input once validated (platform null unless a handle's). */
export type OwnedAccountFields = z.output<typeof OwnedAccountInputSchema>;

/** A source named "… @handle" that looks like a brand's own, not yet declared: one click adds it. */
export const OwnedSuggestionSchema = z.object({
  brandId: z.number().int(),
  type: z.literal('source'),
  value: z.string(),
  /** Mentions stored from that source. */
  count: z.number().int(),
});
export type OwnedSuggestion = z.infer<typeof OwnedSuggestionSchema>;

export const PerimetersSchema = z.object({
  brands: z.array(BrandSchema),
  products: z.array(ProductSchema),
  themes: z.array(ThemeSchema),
  owned: z.array(OwnedAccountSchema),
});
export type Perimeters = z.infer<typeof PerimetersSchema>;
