// What a scheduled source is: its kind, its settings (per kind), its schedule and its health.
// Shared by the UI form, the CLI, the HTTP/IPC contract and the connectors, so a source
// written by any of them is validated by the same rules.
import { z } from 'zod';

const httpUrl = z
  .string()
  .trim()
  .max(4_000)
  .url('indirizzo non valido')
  .refine((u) => /^https?:\/\//i.test(u), 'l’indirizzo deve iniziare con http:// o https://');

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

export const SOURCE_INTERVAL = { minSec: 60, defaultSec: 300, maxSec: 86_400 } as const;

/** The state the Sources view shows, in the user's words. */
export const SourceStateSchema = z.enum(['ok', 'pending', 'failing', 'paused', 'disabled']);
export type SourceState = z.infer<typeof SourceStateSchema>;
