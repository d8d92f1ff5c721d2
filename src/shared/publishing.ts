// Publishing: where an approved response goes out, and the outbox that makes it happen
// exactly once. Shared by the responses workflow and the publishing connectors (issue #5).
import { z } from 'zod';
import { ErrorRefSchema } from './errors';

export const PublishChannelKindSchema = z.enum(['reddit', 'mastodon', 'webhook', 'manual']);
export type PublishChannelKind = z.infer<typeof PublishChannelKindSchema>;

/** Where a manual channel's text is posted by hand: it decides the length a reply may have. */
export const ManualPlatformSchema = z.enum(['x', 'instagram', 'facebook', 'linkedin']);
export type ManualPlatform = z.infer<typeof ManualPlatformSchema>;
export const MANUAL_PLATFORMS = ManualPlatformSchema.options;

/** Characters a reply may have, per platform (X: a post; the others: a comment or a post caption). */
export const PLATFORM_CHAR_LIMITS: Record<ManualPlatform, number> = { x: 280, instagram: 2_200, facebook: 63_206, linkedin: 3_000 };
export const REDDIT_CHAR_LIMIT = 10_000;
/** Mastodon's default, used until the instance has said its own (`configuration.statuses.max_characters`). */
export const MASTODON_DEFAULT_CHAR_LIMIT = 500;
/** A webhook or a manual channel of no platform: only the response's own ceiling. */
export const GENERIC_CHAR_LIMIT = 10_000;

/**
 * The characters a reply may have on a channel. Counted as the platforms count them for plain
 * text: Unicode code points (an emoji is one), not UTF-16 units.
 */
export function channelCharLimit(kind: PublishChannelKind, config: { platform?: ManualPlatform | undefined; maxChars?: number | undefined }): number {
  if (kind === 'reddit') return REDDIT_CHAR_LIMIT;
  if (kind === 'mastodon') return config.maxChars ?? MASTODON_DEFAULT_CHAR_LIMIT;
  if (kind === 'manual' && config.platform) return PLATFORM_CHAR_LIMITS[config.platform];
  return GENERIC_CHAR_LIMIT;
}

/** The length a platform sees: code points, so "☕" is one character as on X or Mastodon. */
export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A configured place to publish; credentials live in the vault, never here. */
export const PublishChannelSchema = z.object({
  id: z.number().int(),
  kind: PublishChannelKindSchema,
  name: z.string(),
  /** The policy adds a legal review step for every response on this channel. */
  requiresLegal: z.boolean(),
  enabled: z.boolean(),
  /** Characters a reply may have there (channelCharLimit). */
  charLimit: z.number().int(),
  /** A manual channel's platform; null for the others and a manual channel without one. */
  platform: ManualPlatformSchema.nullable(),
}).strict();
export type PublishChannel = z.infer<typeof PublishChannelSchema>;

/**
 * pending: queued; sending: handed to the connector (a crash here is reconciled on restart);
 * published: the platform's id/URL recorded; awaiting_manual: text copied, URL not yet recorded;
 * failed: gave up after retries or a permanent error (lastError says why).
 */
export const OutboxStateSchema = z.enum(['pending', 'sending', 'published', 'awaiting_manual', 'failed']);
export type OutboxState = z.infer<typeof OutboxStateSchema>;

export const OutboxEntrySchema = z.object({
  id: z.number().int(),
  responseId: z.number().int(),
  versionId: z.number().int(),
  contentHash: z.string(),
  channelId: z.number().int(),
  channelKind: PublishChannelKindSchema,
  /** Stable per (response, content hash, channel): retries and restarts reuse it. */
  idempotencyKey: z.string(),
  state: OutboxStateSchema,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  externalId: z.string().nullable(),
  url: z.string().nullable(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
}).strict();
export type OutboxEntry = z.infer<typeof OutboxEntrySchema>;

// --- Channel settings and the publishing API (issue #5, part C) ---

/** Kind-specific settings of a channel, never credentials (those go to the vault). */
export const PublishChannelConfigSchema = z.object({
  /** Reddit script app: its client id and the account that posts (password grant). */
  clientId: z.string().trim().max(100).optional(),
  username: z.string().trim().max(100).optional(),
  /** Mastodon: the instance's base URL (https://mastodon.uno). */
  instance: z.string().trim().max(300).optional(),
  /** Webhook: where the signed JSON is POSTed. */
  url: z.string().trim().max(2000).optional(),
  /** Manual: the platform the text is posted on by hand (decides the character limit). */
  platform: ManualPlatformSchema.optional(),
  /** Mastodon: the instance's own limit, read when the channel connects; never typed by a person. */
  maxChars: z.number().int().positive().max(1_000_000).optional(),
}).strict();
export type PublishChannelConfig = z.infer<typeof PublishChannelConfigSchema>;

/** Sealed in the vault; an empty string or a missing field keeps what is stored. */
export const PublishChannelSecretsSchema = z.object({
  clientSecret: z.string().max(500).optional(),
  password: z.string().max(500).optional(),
  refreshToken: z.string().max(2000).optional(),
  accessToken: z.string().max(2000).optional(),
  hmacSecret: z.string().max(500).optional(),
}).strict();
export type PublishChannelSecrets = z.infer<typeof PublishChannelSecretsSchema>;

/** A channel as Settings shows it: which credentials are set, never their values. */
export const PublishChannelViewSchema = PublishChannelSchema.extend({
  config: PublishChannelConfigSchema,
  secretNames: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PublishChannelView = z.infer<typeof PublishChannelViewSchema>;

export const PublishChannelCreateSchema = z.object({
  kind: PublishChannelKindSchema,
  name: z.string().trim().min(1, 'schema.channelNameRequired').max(100),
  requiresLegal: z.boolean().default(false),
  enabled: z.boolean().default(true),
  config: PublishChannelConfigSchema.default({}),
  secrets: PublishChannelSecretsSchema.default({}),
}).strict();
export type PublishChannelCreate = z.input<typeof PublishChannelCreateSchema>;

export const PublishChannelUpdateSchema = z.object({
  id: z.number().int(),
  name: z.string().trim().min(1, 'schema.channelNameRequired').max(100).optional(),
  requiresLegal: z.boolean().optional(),
  enabled: z.boolean().optional(),
  config: PublishChannelConfigSchema.optional(),
  secrets: PublishChannelSecretsSchema.optional(),
}).strict();
export type PublishChannelUpdate = z.input<typeof PublishChannelUpdateSchema>;

/** "Prova connessione": a stored channel (id), or settings typed in the form (with the stored secrets of id, if given). */
export const PublishChannelTestSchema = z.object({
  id: z.number().int().optional(),
  kind: PublishChannelKindSchema.optional(),
  config: PublishChannelConfigSchema.optional(),
  secrets: PublishChannelSecretsSchema.optional(),
}).strict();
export type PublishChannelTest = z.input<typeof PublishChannelTestSchema>;

export const PublishChannelTestResultSchema = z.object({
  ok: z.boolean(),
  /** Italian: who we are on the platform, or what went wrong; `ref` is the same as a code the form words in its language. */
  message: z.string(),
  ref: ErrorRefSchema.optional(),
});
export type PublishChannelTestResult = z.infer<typeof PublishChannelTestResultSchema>;

/** An outbox entry as the UI lists it: with the text to copy and where it goes. */
export const OutboxViewSchema = OutboxEntrySchema.extend({
  channelName: z.string(),
  text: z.string(),
  /** The post/comment/status replied to (t3_…, t1_…, a status id), if any. */
  target: z.string().nullable(),
  /** When the next automatic attempt is due (pending after a failure). */
  nextAttemptAt: z.string().nullable(),
});
export type OutboxView = z.infer<typeof OutboxViewSchema>;
