// Publishing: where an approved response goes out, and the outbox that makes it happen
// exactly once. Shared by the responses workflow and the publishing connectors (issue #5).
import { z } from 'zod';

export const PublishChannelKindSchema = z.enum(['reddit', 'mastodon', 'webhook', 'manual']);
export type PublishChannelKind = z.infer<typeof PublishChannelKindSchema>;

/** A configured place to publish; credentials live in the vault, never here. */
export const PublishChannelSchema = z.object({
  id: z.number().int(),
  kind: PublishChannelKindSchema,
  name: z.string(),
  /** The policy adds a legal review step for every response on this channel. */
  requiresLegal: z.boolean(),
  enabled: z.boolean(),
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
