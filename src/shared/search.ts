// The inbox search and saved searches (issue #17): what core and the UI read alike.
import { z } from 'zod';
import { LangSchema } from './schemas';
import { SentimentLabelSchema } from './sentiment';
import type { MentionQuery } from './contract';

/**
 * Typed text with no query syntax at all (no quotes, brackets, wildcards, fields, tags,
 * exclusions or uppercase operators): the way people search while typing, read as words ANDed
 * with the last one a prefix.
 */
export function isPlainSearch(text: string): boolean {
  return !/["()*:#@]|(^|\s)-\S|\b(AND|OR|NOT|NEAR(\/\d*)?)\b/.test(text);
}

// --- Saved searches ---

/** What a saved search keeps: the inbox's search and filters, as the inbox holds them. */
export const SavedFiltersSchema = z
  .object({
    text: z.string().max(500).default(''),
    sourceId: z.number().int().nullable().default(null),
    lang: LangSchema.nullable().default(null),
    sentiment: SentimentLabelSchema.nullable().default(null),
    themeId: z.number().int().nullable().default(null),
    audienceId: z.number().int().nullable().default(null),
    assignedToMe: z.boolean().default(false),
    sort: z.enum(['time', 'relevance']).default('time'),
  })
  .strict();
export type SavedFilters = z.output<typeof SavedFiltersSchema>;

export const SAVED_NAME_MAX = 80;
/** A person's own searches plus the shared ones: a short list of chips, not a library. */
export const SAVED_MAX = 50;

export const SavedNameSchema = z
  .string()
  .trim()
  .min(1, 'schema.savedNameEmpty')
  .max(SAVED_NAME_MAX, 'schema.savedNameTooLong')
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'schema.savedNameControl');

export const SavedSearchSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** Shared: the whole workspace sees it; only its author or an admin changes it. */
  shared: z.boolean(),
  ownerId: z.number().int(),
  ownerName: z.string(),
  filters: SavedFiltersSchema,
  /** Whether the caller may rename or delete it. */
  canChange: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type SavedSearch = z.infer<typeof SavedSearchSchema>;

export const SavedCountSchema = z.object({ id: z.number().int(), count: z.number().int(), approximate: z.boolean() });
export type SavedCount = z.infer<typeof SavedCountSchema>;

/** A saved search's filters as the inbox's query ('me' is the caller, resolved by core). */
export function savedToQuery(f: SavedFilters): MentionQuery {
  const q: MentionQuery = {};
  const text = f.text.trim();
  if (text) q.text = text;
  if (f.sourceId !== null) q.sourceIds = [f.sourceId];
  if (f.lang) q.langs = [f.lang];
  if (f.sentiment) q.sentiments = [f.sentiment];
  if (f.themeId !== null) q.themeIds = [f.themeId];
  if (f.audienceId !== null) q.audienceIds = [f.audienceId];
  if (f.assignedToMe) q.assignedTo = 'me';
  return q;
}

// --- War room ---

export const WAR_BUCKET_MS = 5 * 60_000;
export const WAR_BUCKETS = 12;
export const WAR_LATEST = 30;

export interface WarBucket {
  positive: number;
  neutral: number;
  negative: number;
  unscored: number;
}

/** Which of the hour's windows a mention published at `at` counts in (null: before the hour). */
export function warBucketOf(at: number, from: number): number | null {
  if (at < from) return null;
  return Math.min(WAR_BUCKETS - 1, Math.floor((at - from) / WAR_BUCKET_MS));
}
