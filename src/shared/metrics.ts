// Owned content and its metric points (Tier 2). Ids are English and stable; the UI names
// them in Italian through i18n. Rates are fractions (0.034 = 3,4%), times are seconds.
import { z } from 'zod';
import { ErrorRefSchema } from './errors';
import { regionByCode, resolveRegion } from './regions';
import { linkField } from './links';

export const CHANNELS = ['instagram_reel', 'newsletter', 'web_article', 'social_post', 'localized'] as const;
export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;

/** Metrics a point may carry. Counters (views, likes…) feed computed metrics and A/B tests. */
export const INPUT_METRICS = [
  'avg_time_on_watch',
  'drop_off_rate_30s',
  'drop_off_rate_60s',
  'drop_off_rate_90s',
  'ctr',
  'time_to_click',
  'share_rate',
  'bounce_rate',
  'regional_conversion_rate',
  'language_fit_score',
  'views',
  'likes',
  'comments',
  'shares',
  'impressions',
  'clicks',
] as const;
/** Computed by Vedetta, never sent: (likes+comments+shares)/views and linked-mention sentiment. */
export const COMPUTED_METRICS = ['compound_engagement', 'sentiment_score'] as const;
export const METRIC_IDS = [...INPUT_METRICS, ...COMPUTED_METRICS] as const;
export const InputMetricSchema = z.enum(INPUT_METRICS, { message: 'schema.metricUnknown' });
export const MetricIdSchema = z.enum(METRIC_IDS);
export type InputMetricId = z.infer<typeof InputMetricSchema>;
export type MetricId = z.infer<typeof MetricIdSchema>;

export type MetricUnit = 'rate' | 'seconds' | 'count' | 'score';
/** Unit of each metric, and which direction is good (for alerts and intervention effects). */
export const METRIC_INFO: Record<MetricId, { unit: MetricUnit; higherIsBetter: boolean }> = {
  avg_time_on_watch: { unit: 'seconds', higherIsBetter: true },
  drop_off_rate_30s: { unit: 'rate', higherIsBetter: false },
  drop_off_rate_60s: { unit: 'rate', higherIsBetter: false },
  drop_off_rate_90s: { unit: 'rate', higherIsBetter: false },
  ctr: { unit: 'rate', higherIsBetter: true },
  time_to_click: { unit: 'seconds', higherIsBetter: false },
  share_rate: { unit: 'rate', higherIsBetter: true },
  bounce_rate: { unit: 'rate', higherIsBetter: false },
  regional_conversion_rate: { unit: 'rate', higherIsBetter: true },
  language_fit_score: { unit: 'score', higherIsBetter: true },
  views: { unit: 'count', higherIsBetter: true },
  likes: { unit: 'count', higherIsBetter: true },
  comments: { unit: 'count', higherIsBetter: true },
  shares: { unit: 'count', higherIsBetter: true },
  impressions: { unit: 'count', higherIsBetter: true },
  clicks: { unit: 'count', higherIsBetter: true },
  compound_engagement: { unit: 'rate', higherIsBetter: true },
  sentiment_score: { unit: 'score', higherIsBetter: true },
};

/** The 5–7 KPIs each channel's panel shows, most important first. */
export const CHANNEL_KPIS: Record<Channel, readonly MetricId[]> = {
  instagram_reel: ['avg_time_on_watch', 'drop_off_rate_30s', 'compound_engagement', 'share_rate', 'sentiment_score', 'language_fit_score'],
  newsletter: ['ctr', 'time_to_click', 'bounce_rate', 'share_rate', 'regional_conversion_rate', 'sentiment_score'],
  web_article: ['bounce_rate', 'ctr', 'time_to_click', 'share_rate', 'regional_conversion_rate', 'sentiment_score'],
  social_post: ['compound_engagement', 'share_rate', 'ctr', 'sentiment_score', 'regional_conversion_rate'],
  localized: ['language_fit_score', 'regional_conversion_rate', 'ctr', 'bounce_rate', 'compound_engagement', 'sentiment_score'],
};

export const METRIC_LIMITS = {
  batchMax: 5_000,
  keyMax: 200,
  titleMax: 300,
  variantMax: 40,
  variantsMax: 8,
  csvRowsMax: 200_000,
} as const;

const isoInstant = z
  .string()
  .max(64)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'schema.notIsoDate');

const contentKey = z
  .string()
  .trim()
  .min(1, 'schema.contentRequired')
  .max(METRIC_LIMITS.keyMax)
  .regex(/^[\w.:@/-]+$/u, 'schema.contentChars');

const regionCode = z
  .string()
  .trim()
  .max(60)
  .transform((s, ctx) => {
    const r = resolveRegion(s);
    if (!r) {
      ctx.addIssue({ code: 'custom', message: 'schema.regionUnknown', params: { region: s } });
      return z.NEVER;
    }
    return r.code;
  });

const variant = z.string().trim().min(1).max(METRIC_LIMITS.variantMax);

/** Owned content as registered from outside (webhook, UI). */
export const ContentInputSchema = z.object({
  key: contentKey,
  channel: ChannelSchema,
  title: z.string().trim().min(1, 'schema.titleRequired').max(METRIC_LIMITS.titleMax),
  url: linkField('schema.urlNeedHttp').optional(),
  published_at: isoInstant.optional(),
  region: regionCode.optional(),
  variants: z.array(variant).max(METRIC_LIMITS.variantsMax).optional(),
  control_variant: variant.optional(),
}).strict().refine((c) => !c.control_variant || (c.variants ?? []).includes(c.control_variant), {
  message: 'schema.controlVariant',
  path: ['control_variant'],
});
export type ContentInput = z.input<typeof ContentInputSchema>;
export type ParsedContentInput = z.output<typeof ContentInputSchema>;

export const ContentSchema = z.object({
  id: z.number().int(),
  key: z.string(),
  channel: ChannelSchema,
  title: z.string(),
  url: z.string().nullable(),
  publishedAt: z.string().nullable(),
  region: z.string().nullable(),
  variants: z.array(z.string()),
  controlVariant: z.string().nullable(),
  pointCount: z.number().int(),
  lastPointAt: z.string().nullable(),
});
export type Content = z.infer<typeof ContentSchema>;

/**
 * One metric point as sent: `time` must carry its zone (Z, ±hh:mm) or come with `tz`, an
 * IANA zone the local time is read in. Stored in UTC; the source zone is kept.
 */
export const MetricPointInputSchema = z.object({
  content: contentKey,
  metric: InputMetricSchema,
  value: z.number({ message: 'schema.valueNumber' }).finite('schema.valueFinite'),
  time: z.string().trim().min(1, 'schema.timeRequired').max(64),
  tz: z.string().trim().min(1).max(64).optional(),
  region: regionCode.optional(),
  variant: variant.optional(),
}).strict();
export type MetricPointInput = z.input<typeof MetricPointInputSchema>;
export type ParsedMetricPointInput = z.output<typeof MetricPointInputSchema>;

export const MetricPointSchema = z.object({
  contentId: z.number().int(),
  metric: MetricIdSchema,
  value: z.number(),
  at: z.string(),
  tz: z.string(),
  region: z.string().nullable(),
  variant: z.string().nullable(),
});
export type MetricPoint = z.infer<typeof MetricPointSchema>;

export const MetricRejectSchema = z.object({ index: z.number().int(), line: z.number().int().optional(), reason: z.string() });
export type MetricReject = z.infer<typeof MetricRejectSchema>;

export const MetricIngestResultSchema = z.object({
  accepted: z.number().int(),
  /** Same content, metric, time, region and variant already stored with the same value. */
  duplicates: z.number().int(),
  /** Same key already stored with another value: the later report wins. */
  updated: z.number().int(),
  /** Points older than the newest one already stored for their series. */
  late: z.number().int(),
  contents: z.number().int(),
  rejected: z.array(MetricRejectSchema),
});
export type MetricIngestResult = z.infer<typeof MetricIngestResultSchema>;

/** Webhook body: an array of points, or { content?: [...], points: [...] }. */
export const MetricsWebhookBodySchema = z.union([
  z.array(z.unknown()),
  z.object({ content: z.array(z.unknown()).optional(), points: z.array(z.unknown()).default([]) }).strict(),
]);

// ── CSV import with column mapping ──────────────────────────────────────────────────
export const CSV_FIELDS = ['content', 'metric', 'value', 'time', 'tz', 'region', 'variant'] as const;
export const CsvFieldSchema = z.enum(CSV_FIELDS);
export type CsvField = z.infer<typeof CsvFieldSchema>;

/**
 * How the file's columns become points. Either one `metric` column (long format) or
 * `metricColumns` (wide format: each listed column is one metric, as Meta and Mailchimp
 * export). A constant may stand in for a missing column (e.g. every row is one content).
 */
export const CsvMappingSchema = z.object({
  columns: z.partialRecord(CsvFieldSchema, z.string().max(200)).default({}),
  metricColumns: z.record(z.string().max(200), InputMetricSchema).default({}),
  constants: z.object({
    content: contentKey.optional(),
    metric: InputMetricSchema.optional(),
    tz: z.string().max(64).optional(),
  }).strict().default({}),
  /** Content keys not yet registered are created on this channel (titled by their key). */
  createMissing: ChannelSchema.optional(),
}).strict();
export type CsvMapping = z.input<typeof CsvMappingSchema>;
export type ParsedCsvMapping = z.output<typeof CsvMappingSchema>;

export const CsvPreviewSchema = z.object({
  columns: z.array(z.string()),
  sample: z.array(z.array(z.string())),
  rows: z.number().int(),
  delimiter: z.string(),
  suggested: CsvMappingSchema,
});
export type CsvPreview = z.infer<typeof CsvPreviewSchema>;

export const MetricImportReportSchema = MetricIngestResultSchema.extend({
  fileName: z.string(),
  rows: z.number().int(),
  /** Why the file was not read at all, in Italian; `errorRef` is the same as a code. */
  error: z.string().nullable(),
  errorRef: ErrorRefSchema.optional(),
});
export type MetricImportReport = z.infer<typeof MetricImportReportSchema>;

// ── Panels ───────────────────────────────────────────────────────────────────────────
export const SeriesPointSchema = z.object({ t: z.string(), v: z.number() });
export const KpiSchema = z.object({
  metric: MetricIdSchema,
  latest: z.number().nullable(),
  latestAt: z.string().nullable(),
  /** Historical mean and standard deviation of the channel's series (null below 2 points). */
  mean: z.number().nullable(),
  std: z.number().nullable(),
  /** Relative change of the latest value against the mean, when both exist. */
  change: z.number().nullable(),
  series: z.array(SeriesPointSchema),
});
export type Kpi = z.infer<typeof KpiSchema>;

export const RegionValueSchema = z.object({ code: z.string(), value: z.number(), gap: z.number(), flagged: z.boolean() });
export const AbVariantSchema = z.object({
  variant: z.string(),
  control: z.boolean(),
  clicks: z.number().nullable(),
  impressions: z.number().nullable(),
  rate: z.number().nullable(),
  /** Against the control: null for the control itself or when counts are missing. */
  z: z.number().nullable(),
  pValue: z.number().nullable(),
  significant: z.boolean().nullable(),
});
export type AbVariant = z.infer<typeof AbVariantSchema>;

export const PanelSchema = z.object({
  channel: ChannelSchema,
  contents: z.array(ContentSchema),
  kpis: z.array(KpiSchema),
  /** Drop-off curve of the selected video: share of viewers still watching at 0/30/60/90 s. */
  dropOff: z.object({ contentId: z.number().int(), points: z.array(z.object({ second: z.number(), retained: z.number() })) }).nullable(),
  engagement: z.array(z.object({ contentId: z.number().int(), title: z.string(), value: z.number().nullable() })),
  regions: z.object({ metric: MetricIdSchema, mean: z.number().nullable(), values: z.array(RegionValueSchema) }),
  ab: z.object({ contentId: z.number().int(), title: z.string(), variants: z.array(AbVariantSchema) }).nullable(),
});
export type Panel = z.infer<typeof PanelSchema>;

export function isKnownRegion(code: string): boolean {
  return regionByCode(code) !== undefined;
}
