// Saved searches (issue #17): a name for the inbox's search and filters, personal or shared
// with the whole workspace, each with its count of matching mentions.
import { z } from 'zod';
import { MentionSchema } from '../schemas';
import { SavedCountSchema, SavedFiltersSchema, SavedNameSchema, SavedSearchSchema } from '../search';

const Id = z.object({ id: z.number().int().positive() }).strict();

export const searchesOperations = {
  /** The caller's own searches and every shared one, by name. */
  'searches.list': { input: z.object({}).strict(), output: z.object({ items: z.array(SavedSearchSchema) }) },
  /** Saves the inbox's search and filters under a name (shared ones: not analysts). */
  'searches.create': {
    input: z.object({ name: SavedNameSchema, shared: z.boolean().default(false), filters: SavedFiltersSchema }).strict(),
    output: SavedSearchSchema,
  },
  /** Renames, shares or unshares, or replaces the filters: its author, or an admin for a shared one. */
  'searches.update': {
    input: z.object({ id: z.number().int().positive(), name: SavedNameSchema.optional(), shared: z.boolean().optional(), filters: SavedFiltersSchema.optional() }).strict(),
    output: SavedSearchSchema,
  },
  'searches.delete': { input: Id, output: z.object({ ok: z.literal(true) }) },
  /** How many mentions each of the caller's searches matches now (all of them when no ids). */
  'searches.counts': {
    input: z.object({ ids: z.array(z.number().int().positive()).max(100).optional() }).strict(),
    output: z.object({ counts: z.array(SavedCountSchema) }),
  },
  /**
   * The war room's first picture: the last hour's mentions in 5-minute windows by sentiment
   * (the wall clock's hour; a mention dated a little ahead counts in the last window) and the
   * newest mentions. Arrivals then come as mentions.added.
   */
  'warroom.snapshot': {
    input: z.object({}).strict(),
    output: z.object({
      from: z.number().int(),
      bucketMs: z.number().int(),
      buckets: z.array(z.object({ positive: z.number().int(), neutral: z.number().int(), negative: z.number().int(), unscored: z.number().int() })),
      latest: z.array(MentionSchema),
    }),
  },
} as const;

export const searchesEvents = {
  /** Saved searches changed (someone's shared one, or the caller's in another window): re-read the list. */
  'searches.changed': z.object({}).strict(),
} as const;
