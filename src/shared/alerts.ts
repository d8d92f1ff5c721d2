// Alert rules, alerts with SLA clocks, interventions and notification channels (Tier 2).
import { z } from 'zod';
import { ChannelSchema, MetricIdSchema } from './metrics';

export const SeveritySchema = z.enum(['critical', 'moderate']);
export type Severity = z.infer<typeof SeveritySchema>;
export const DEFAULT_SLA_MINUTES: Record<Severity, number> = { critical: 15, moderate: 60 };

export const RuleKindSchema = z.enum(['relative_drop', 'threshold', 'regional_gap', 'trend']);
export type RuleKind = z.infer<typeof RuleKindSchema>;

/**
 * relative_drop: the latest value is `threshold` (0.15 = 15%) worse than the mean of the
 *   `window` points before it (the baseline); needs at least 2 baseline points.
 * threshold: the latest value is above/below `threshold`.
 * regional_gap: a region's latest value is more than `threshold` (0.10) below the mean of
 *   the regions.
 * trend: a least-squares line through the last `window` points crosses `threshold`
 *   (above/below) within `horizonMinutes`.
 */
export const RuleInputSchema = z.object({
  name: z.string().trim().min(1, 'schema.nameRequired').max(120),
  kind: RuleKindSchema,
  metric: MetricIdSchema,
  channel: ChannelSchema.nullable().default(null),
  direction: z.enum(['above', 'below']).default('below'),
  threshold: z.number().finite(),
  window: z.number().int().min(2).max(500).default(12),
  horizonMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
  severity: SeveritySchema,
  slaMinutes: z.number().int().min(1).max(7 * 24 * 60),
  enabled: z.boolean().default(true),
}).strict();
export type RuleInput = z.input<typeof RuleInputSchema>;
export type ParsedRuleInput = z.output<typeof RuleInputSchema>;

export const RuleSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: RuleKindSchema,
  metric: MetricIdSchema,
  channel: ChannelSchema.nullable(),
  direction: z.enum(['above', 'below']),
  threshold: z.number(),
  window: z.number().int(),
  horizonMinutes: z.number().int(),
  severity: SeveritySchema,
  slaMinutes: z.number().int(),
  enabled: z.boolean(),
});
export type Rule = z.infer<typeof RuleSchema>;

export const AlertStateSchema = z.enum(['open', 'acknowledged', 'intervened', 'resolved']);
export type AlertState = z.infer<typeof AlertStateSchema>;

export const InterventionSchema = z.object({
  id: z.number().int(),
  alertId: z.number().int(),
  what: z.string(),
  who: z.string(),
  at: z.string(),
  /** Mean of the metric in the same-length windows before and after; null when a side is empty. */
  effect: z.object({
    windowMinutes: z.number(),
    before: z.number().nullable(),
    after: z.number().nullable(),
    beforeCount: z.number().int(),
    afterCount: z.number().int(),
    change: z.number().nullable(),
    improved: z.boolean().nullable(),
  }),
});
export type Intervention = z.infer<typeof InterventionSchema>;

export const AlertSchema = z.object({
  id: z.number().int(),
  ruleId: z.number().int(),
  ruleName: z.string(),
  kind: RuleKindSchema,
  metric: MetricIdSchema,
  contentId: z.number().int(),
  contentKey: z.string(),
  contentTitle: z.string(),
  region: z.string().nullable(),
  severity: SeveritySchema,
  state: AlertStateSchema,
  escalated: z.boolean(),
  value: z.number(),
  reference: z.number().nullable(),
  message: z.string(),
  firedAt: z.string(),
  dueAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  interventions: z.array(InterventionSchema),
});
export type Alert = z.infer<typeof AlertSchema>;

// ── Notifications ───────────────────────────────────────────────────────────────────
export const NotifyChannelSchema = z.enum(['desktop', 'email', 'slack', 'teams', 'telegram']);
export type NotifyChannel = z.infer<typeof NotifyChannelSchema>;

const httpUrl = z.string().trim().url('schema.addressInvalid').max(2000).refine((u) => /^https?:\/\//i.test(u), 'schema.httpAddress');

/** What Settings shows and edits. Secrets are write-only: the answer says only whether set. */
export const NotifySettingsSchema = z.object({
  desktop: z.object({ enabled: z.boolean() }),
  email: z.object({
    enabled: z.boolean(),
    host: z.string().trim().max(255),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean(),
    user: z.string().max(255),
    from: z.string().trim().max(320),
    to: z.array(z.string().trim().email('schema.emailInvalid')).max(20),
  }),
  slack: z.object({ enabled: z.boolean() }),
  teams: z.object({ enabled: z.boolean() }),
  telegram: z.object({ enabled: z.boolean(), apiBase: httpUrl, chatId: z.string().trim().max(100) }),
  /** Which minimum severity is sent out (desktop always shows everything). */
  minSeverity: SeveritySchema,
});
export type NotifySettings = z.infer<typeof NotifySettingsSchema>;

export const NotifySecretsSchema = z.object({
  smtpPassword: z.string().max(500).optional(),
  slackWebhookUrl: httpUrl.optional().or(z.literal('')),
  teamsWebhookUrl: httpUrl.optional().or(z.literal('')),
  telegramBotToken: z.string().max(200).regex(/^[\w:-]*$/, 'schema.botToken').optional(),
}).strict();
export type NotifySecrets = z.infer<typeof NotifySecretsSchema>;

export const NotifyConfigSchema = z.object({
  settings: NotifySettingsSchema,
  /** Names of the secrets that are set, never their values. */
  secretsSet: z.array(z.string()),
  secretBackend: z.string(),
});
export type NotifyConfig = z.infer<typeof NotifyConfigSchema>;

export const DeliverySchema = z.object({
  id: z.number().int(),
  alertId: z.number().int().nullable(),
  channel: NotifyChannelSchema,
  attempt: z.number().int(),
  status: z.enum(['sent', 'failed', 'retrying']),
  detail: z.string(),
  at: z.string(),
});
export type Delivery = z.infer<typeof DeliverySchema>;
