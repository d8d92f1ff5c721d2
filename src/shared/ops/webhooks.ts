// The webhook keys: named secrets that let another system push mentions and Tier 2 metrics
// in. Only administrators see and manage them. A key's token is shown once, when it is
// created or rotated (only its SHA-256 is stored); afterwards the key shows its last four
// characters, so a person can tell which one a script holds.
import { z } from 'zod';

const Empty = z.object({}).strict();

export const WebhookKeyNameSchema = z.string().trim().min(1).max(60).regex(/^[^\u0000-\u001f\u007f]+$/);

export const WebhookKeySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The token's last four characters. */
  hint: z.string(),
  createdAt: z.number().int(),
  createdBy: z.string(),
  rotatedAt: z.number().int().nullable(),
  lastUsedAt: z.number().int().nullable(),
  /** Requests accepted with this key. */
  uses: z.number().int(),
  /** Set from VEDETTA_WEBHOOK_TOKEN at each start: rotating it here lasts until the next start. */
  fromEnvironment: z.boolean(),
});
export type WebhookKey = z.infer<typeof WebhookKeySchema>;

/** A key with its token: the only answer that carries one. */
export const WebhookKeyGrantSchema = z.object({ key: WebhookKeySchema, token: z.string() });
export type WebhookKeyGrant = z.infer<typeof WebhookKeyGrantSchema>;

/**
 * The keys changed (made, rotated, removed, or their uses written): open screens re-read
 * them. Carries nothing: every client hears it, and only administrators may read the keys.
 */
export const webhooksEvents = {
  'webhooks.changed': z.object({}).strict(),
} as const;

export const webhooksOperations = {
  'webhooks.list': {
    input: Empty,
    output: z.object({
      keys: z.array(WebhookKeySchema),
      /** Where to POST mentions and metric points (null: no server is listening). */
      mentionsUrl: z.string().nullable(),
      metricsUrl: z.string().nullable(),
    }),
  },
  'webhooks.create': { input: z.object({ name: WebhookKeyNameSchema }).strict(), output: WebhookKeyGrantSchema },
  /** A new token for the key: the old one is refused from this moment. */
  'webhooks.rotate': { input: z.object({ id: z.number().int().positive() }).strict(), output: WebhookKeyGrantSchema },
  'webhooks.remove': { input: z.object({ id: z.number().int().positive() }).strict(), output: z.object({ ok: z.literal(true) }) },
} as const;
