// Tier 2 operations and events: owned content, metric points, panels, CSV import with
// mapping, alert rules and lifecycle, notification channels and their delivery log.
import { z } from 'zod';
import {
  AlertSchema,
  DeliverySchema,
  NotifyChannelSchema,
  NotifyConfigSchema,
  NotifySecretsSchema,
  NotifySettingsSchema,
  RuleInputSchema,
  RuleSchema,
  SeveritySchema,
} from '../alerts';
import {
  ChannelSchema,
  ContentInputSchema,
  ContentSchema,
  CsvMappingSchema,
  CsvPreviewSchema,
  MetricIngestResultSchema,
  MetricImportReportSchema,
  MetricPointInputSchema,
  PanelSchema,
} from '../metrics';
import { LIMITS } from '../schemas';

const Empty = z.object({}).strict();
const Id = z.object({ id: z.number().int() }).strict();

export const metricsOperations = {
  'metrics.contents': { input: z.object({ channel: ChannelSchema.optional() }).strict(), output: z.array(ContentSchema) },
  'metrics.saveContent': { input: ContentInputSchema, output: ContentSchema },
  /** Points entered by hand (language_fit_score) or sent by a script over the RPC. */
  'metrics.record': { input: z.object({ points: z.array(MetricPointInputSchema).min(1).max(1000) }).strict(), output: MetricIngestResultSchema },
  'metrics.panel': {
    input: z.object({ channel: ChannelSchema, contentId: z.number().int().optional(), area: z.enum(['all', 'north', 'centre', 'south', 'islands']).default('all') }).strict(),
    output: PanelSchema,
  },
  'metrics.csvPreview': {
    input: z.object({ fileName: z.string().min(1).max(300), content: z.string().max(LIMITS.importFileBytes) }).strict(),
    output: CsvPreviewSchema,
  },
  'metrics.csvImport': {
    input: z.object({ fileName: z.string().min(1).max(300), content: z.string().max(LIMITS.importFileBytes), mapping: CsvMappingSchema }).strict(),
    output: MetricImportReportSchema,
  },
  'alerts.list': { input: z.object({ includeResolved: z.boolean().default(false) }).strict(), output: z.array(AlertSchema) },
  // Who acts is the signed-in person (the call's actor), never a name typed in: nobody acts as
  // someone else.
  'alerts.acknowledge': { input: Id, output: AlertSchema },
  'alerts.intervene': { input: z.object({ id: z.number().int(), what: z.string().trim().min(1, 'schema.interventionWhat').max(2000) }).strict(), output: AlertSchema },
  'alerts.resolve': { input: Id, output: AlertSchema },
  'alerts.rules': { input: Empty, output: z.array(RuleSchema) },
  'alerts.saveRule': { input: z.object({ id: z.number().int().optional(), rule: RuleInputSchema }).strict(), output: RuleSchema },
  'alerts.deleteRule': { input: Id, output: z.object({ deleted: z.boolean() }) },
  'notify.get': { input: Empty, output: NotifyConfigSchema },
  'notify.update': {
    input: z.object({ settings: NotifySettingsSchema.optional(), secrets: NotifySecretsSchema.optional() }).strict(),
    output: NotifyConfigSchema,
  },
  'notify.test': { input: z.object({ channel: NotifyChannelSchema }).strict(), output: z.array(DeliverySchema) },
  'notify.deliveries': { input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(), output: z.array(DeliverySchema) },
} as const;

export const metricsEvents = {
  /** New or corrected points were stored: panels showing these contents reload. */
  'metrics.points': z.object({ contentIds: z.array(z.number().int()), metrics: z.array(z.string()), count: z.number().int() }),
  'alerts.changed': z.object({ alert: AlertSchema, reason: z.enum(['fired', 'updated', 'escalated', 'acknowledged', 'intervened', 'resolved']) }),
  /** The desktop notification the window (Electron or browser) shows. */
  'notify.desktop': z.object({ alertId: z.number().int().nullable(), title: z.string(), body: z.string(), severity: SeveritySchema }),
  'notify.delivery': DeliverySchema,
} as const;
