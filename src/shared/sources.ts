// What a scheduled source is: its kind, its settings (per kind), its schedule and its health.
// Shared by the UI form, the CLI, the HTTP/IPC contract and the connectors, so a source
// written by any of them is validated by the same rules.
import { z } from 'zod';
import { ErrorRefSchema } from './errors';

const httpUrl = z
  .string()
  .trim()
  .max(4_000)
  .url('schema.addressInvalid')
  .refine((u) => /^https?:\/\//i.test(u), 'schema.httpOnly');

export const RssConfigSchema = z.object({ url: httpUrl }).strict();

/** Reddit through its API (snoowrap). Secrets (client secret, password, refresh token) are not here: see SourceSecretsSchema. */
export const RedditConfigSchema = z
  .object({
    mode: z.enum(['subreddit_posts', 'subreddit_comments', 'search', 'thread']),
    /** One subreddit, or several joined by "+". Required for subreddit_* modes, optional for search. */
    subreddit: z.string().trim().max(200).optional(),
    query: z.string().trim().max(500).optional(),
    threadUrl: httpUrl.optional(),
    /** OAuth "script" app id; public, so kept in the config. */
    clientId: z.string().trim().min(1).max(200),
    username: z.string().trim().max(100).optional(),
  })
  .strict();

export const DiscourseConfigSchema = z
  .object({
    baseUrl: httpUrl,
    mode: z.enum(['latest', 'search', 'topic']),
    query: z.string().trim().max(500).optional(),
    topicId: z.number().int().positive().optional(),
    apiUsername: z.string().trim().max(100).optional(),
  })
  .strict();

export const MastodonConfigSchema = z
  .object({
    instanceUrl: httpUrl,
    mode: z.enum(['hashtag', 'account']),
    hashtag: z.string().trim().max(200).optional(),
    /** "user" or "user@instance". */
    account: z.string().trim().max(300).optional(),
  })
  .strict();

/** A source the scheduler polls, with its kind-specific settings. */
export const PolledSourceConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rss'), config: RssConfigSchema }),
  z.object({ kind: z.literal('reddit'), config: RedditConfigSchema }),
  z.object({ kind: z.literal('discourse'), config: DiscourseConfigSchema }),
  z.object({ kind: z.literal('mastodon'), config: MastodonConfigSchema }),
]);
export type PolledSourceConfig = z.infer<typeof PolledSourceConfigSchema>;
export type PolledKind = PolledSourceConfig['kind'];
export type ConfigOf<K extends PolledKind> = Extract<PolledSourceConfig, { kind: K }>['config'];

/**
 * Credentials given with a source. They travel once, from the form to core, and are then
 * kept only encrypted by the platform's secret store (safeStorage on desktop); they never
 * come back to a client.
 */
export const SourceSecretsSchema = z
  .object({
    clientSecret: z.string().max(500).optional(),
    password: z.string().max(500).optional(),
    refreshToken: z.string().max(2_000).optional(),
    apiKey: z.string().max(500).optional(),
    accessToken: z.string().max(2_000).optional(),
  })
  .strict();
export type SourceSecrets = z.infer<typeof SourceSecretsSchema>;

/** Which credentials each kind can use; anything else sent with a source is refused. */
export const SECRETS_BY_KIND: { [K in PolledKind]: readonly (keyof SourceSecrets)[] } = {
  rss: [],
  reddit: ['clientSecret', 'password', 'refreshToken'],
  discourse: ['apiKey'],
  mastodon: ['accessToken'],
};

export const SOURCE_INTERVAL = { minSec: 60, defaultSec: 300, maxSec: 86_400 } as const;

/** The state the Sources view shows, in the user's words. */
export const SourceStateSchema = z.enum(['ok', 'pending', 'failing', 'paused', 'disabled']);
export type SourceState = z.infer<typeof SourceStateSchema>;

/** Kinds the scheduler polls (the others push: webhook, import, replay). */
export const POLLED_KINDS = ['rss', 'reddit', 'discourse', 'mastodon'] as const satisfies readonly PolledKind[];
export function isPolledKind(k: string): k is PolledKind {
  return (POLLED_KINDS as readonly string[]).includes(k);
}

/** The config schema of one polled kind, for edits that change only the settings. */
export const CONFIG_SCHEMAS = {
  rss: RssConfigSchema,
  reddit: RedditConfigSchema,
  discourse: DiscourseConfigSchema,
  mastodon: MastodonConfigSchema,
} as const satisfies { [K in PolledKind]: z.ZodType<ConfigOf<K>> };

export const SourceErrorSchema = z.object({
  /** Stable machine kind ('http_status', 'timeout', 'bad_xml'…). */
  kind: z.string(),
  /** Plain Italian, shown as it is. */
  message: z.string(),
  at: z.string(),
  httpStatus: z.number().int().optional(),
});
export type SourceError = z.infer<typeof SourceErrorSchema>;

export const SourceHealthSchema = z.object({
  state: SourceStateSchema,
  lastSuccessAt: z.string().nullable(),
  lastError: SourceErrorSchema.nullable(),
  consecutiveFailures: z.number().int(),
  /** Null for sources that push (webhook, import, replay) and for paused ones. */
  nextPollAt: z.string().nullable(),
  pausedReason: z.string().nullable(),
  itemsLastHour: z.number().int(),
  /**
   * Mentions that arrived in the last 24 hours dated more than a day after their arrival (a
   * wrong clock, shared/clock.ts): stored, not counted in the moments. Null when none.
   */
  futureDated: z.object({ count: z.number().int(), latestAt: z.string() }).nullable(),
});
export type SourceHealth = z.infer<typeof SourceHealthSchema>;

/** Pauses a source after this many failed polls in a row; the user is told why. */
export const FAILURES_BEFORE_PAUSE = 5;

const sourceName = z.string().trim().min(1, 'schema.nameRequired').max(120, 'schema.nameOver');
const intervalSec = z
  .number()
  .int('schema.intervalInt')
  .min(SOURCE_INTERVAL.minSec, 'schema.intervalMin')
  .max(SOURCE_INTERVAL.maxSec, 'schema.intervalMax');

const addCommon = {
  /** Defaults to something readable from the config (the feed's host, r/subreddit…). */
  name: sourceName.optional(),
  intervalSec: intervalSec.optional(),
  secrets: SourceSecretsSchema.optional(),
};

export const SourceAddInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rss'), config: RssConfigSchema, ...addCommon }).strict(),
  z.object({ kind: z.literal('reddit'), config: RedditConfigSchema, ...addCommon }).strict(),
  z.object({ kind: z.literal('discourse'), config: DiscourseConfigSchema, ...addCommon }).strict(),
  z.object({ kind: z.literal('mastodon'), config: MastodonConfigSchema, ...addCommon }).strict(),
]);
export type SourceAddInput = z.infer<typeof SourceAddInputSchema>;

export const SourceUpdateInputSchema = z
  .object({
    id: z.number().int(),
    name: sourceName.optional(),
    intervalSec: intervalSec.optional(),
    /** Checked by core against the source's own kind. */
    config: z.record(z.string(), z.unknown()).optional(),
    secrets: SourceSecretsSchema.optional(),
  })
  .strict();
export type SourceUpdateInput = z.infer<typeof SourceUpdateInputSchema>;

const testExtra = {
  /** Credentials typed in the form and not saved yet; used for this one fetch, never stored. */
  secrets: SourceSecretsSchema.optional(),
  /** Editing a stored source: its saved credentials fill in the ones not typed again. */
  id: z.number().int().optional(),
};

/** The dry run ("Prova"): a stored source by id, or settings from the form (with credentials). */
export const SourceTestInputSchema = z.union([
  z.object({ id: z.number().int() }).strict(),
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('rss'), config: RssConfigSchema, ...testExtra }).strict(),
    z.object({ kind: z.literal('reddit'), config: RedditConfigSchema, ...testExtra }).strict(),
    z.object({ kind: z.literal('discourse'), config: DiscourseConfigSchema, ...testExtra }).strict(),
    z.object({ kind: z.literal('mastodon'), config: MastodonConfigSchema, ...testExtra }).strict(),
  ]),
]);
export type SourceTestInput = z.infer<typeof SourceTestInputSchema>;

/** One item as a dry run would store it. */
export const SourcePreviewItemSchema = z.object({
  title: z.string().nullable(),
  text: z.string(),
  url: z.string().nullable(),
  author: z.string().nullable(),
  publishedAt: z.string().nullable(),
  externalId: z.string().nullable(),
});
export type SourcePreviewItem = z.infer<typeof SourcePreviewItemSchema>;

export const SourceTestResultSchema = z.object({
  ok: z.boolean(),
  /** `message` in Italian; `ref`, when there is one, the same text as a code each client words in its language. */
  error: z.object({ kind: z.string(), message: z.string(), ref: ErrorRefSchema.optional() }).nullable(),
  /** Items the source gives now (at most PREVIEW_MAX shown). */
  total: z.number().int(),
  items: z.array(SourcePreviewItemSchema),
  problems: z.array(z.object({ index: z.number().int(), reason: z.string(), ref: ErrorRefSchema.optional(), hint: z.string().optional() })),
});
export type SourceTestResult = z.infer<typeof SourceTestResultSchema>;
export const PREVIEW_MAX = 50;
