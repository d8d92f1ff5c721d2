// Moments: a theme, the brand, an owned thread or an emergent term suddenly moving against
// its baseline. A crisis is a negative surge where the brand is exposed; an opportunity a
// rising, not negative trend the brand may join.
import { z } from 'zod';
import { StanceSchema, SwotSchema } from './perimeters';
import { MentionSchema } from './schemas';

export const MomentKindSchema = z.enum(['crisis', 'opportunity']);
export type MomentKind = z.infer<typeof MomentKindSchema>;
export const MomentStateSchema = z.enum(['open', 'closed']);
export type MomentState = z.infer<typeof MomentStateSchema>;
/** What is tracked: a perimeter theme, a brand as a whole, a thread on an owned account, a term. */
export const MomentKeyKindSchema = z.enum(['theme', 'brand', 'thread', 'term']);
export type MomentKeyKind = z.infer<typeof MomentKeyKindSchema>;

export const MomentSettingsSchema = z.object({
  /** Width of the windows counts are kept in (stream time). */
  bucketMinutes: z.number().int().min(1, 'schema.atLeastOneMinute').max(60, 'schema.atMost60Minutes'),
  /** How many standard deviations above the baseline opens a moment. */
  zThreshold: z.number().min(1.5, 'schema.atLeastOneAndHalf').max(20, 'schema.atMost'),
  /** Fewest negative mentions in a window before a theme, the brand or a thread can open a crisis. */
  minVolume: z.number().int().min(2, 'schema.atLeast').max(100_000),
  /** Fewest not negative mentions in a window before an opportunity opens (trends are not urgent: a higher bar). */
  minOpportunityVolume: z.number().int().min(2, 'schema.atLeast').max(100_000),
  /** The same for emergent terms, which are noisier. */
  minTermVolume: z.number().int().min(2, 'schema.atLeast').max(100_000),
  /** How long a moment must stay below the threshold before it closes. */
  closeAfterMinutes: z.number().int().min(1, 'schema.atLeastOneMinute').max(1_440, 'schema.atMost24Hours'),
  /** How many past windows the baseline looks at. */
  baselineBuckets: z.number().int().min(3, 'schema.atLeastWindows').max(288, 'schema.atMostWindows'),
  /** Track hashtags and unusual words outside the perimeter. */
  trackTerms: z.boolean(),
}).strict();
export type MomentSettings = z.infer<typeof MomentSettingsSchema>;

export const DEFAULT_MOMENT_SETTINGS: MomentSettings = {
  bucketMinutes: 5,
  zThreshold: 3,
  minVolume: 5,
  minOpportunityVolume: 15,
  minTermVolume: 15,
  closeAfterMinutes: 20,
  baselineBuckets: 12,
  trackTerms: true,
};

export const MomentAcknowledgementSchema = z.object({
  /** The person's display name, kept even if the user is later deleted. */
  name: z.string(),
  at: z.string(),
});
export type MomentAcknowledgement = z.infer<typeof MomentAcknowledgementSchema>;

export const MomentSummarySchema = z.object({
  id: z.number().int(),
  kind: MomentKindSchema,
  state: MomentStateSchema,
  title: z.string(),
  keyKind: MomentKeyKindSchema,
  /** The theme the moment is about, when its main key is a theme. */
  themeId: z.number().int().nullable(),
  /** Stream time (the mentions' published time), ISO 8601. */
  openedAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  /** Mentions linked to the moment. */
  volume: z.number().int(),
  negative: z.number().int(),
  /** Mean sentiment of the linked mentions, in [-1, 1]. */
  sentiment: z.number(),
  /** Highest z-score seen. */
  peakZ: z.number(),
  /** Volume per window of the main key, oldest first, ending at the last update. */
  spark: z.array(z.number().int()),
  /** Who took charge of the moment (acknowledged its crisis banner) and when (wall clock, ISO 8601). */
  acknowledgedBy: MomentAcknowledgementSchema.nullable(),
  /**
   * Minutes of observed stream behind the baseline it was judged against when it opened; below
   * the baseline's full span (`baselineFull` false) part of the bar was still the prior.
   */
  baselineMinutes: z.number().int().min(0),
  baselineFull: z.boolean(),
});
export type MomentSummary = z.infer<typeof MomentSummarySchema>;

export const MomentBucketSchema = z.object({
  start: z.string(),
  volume: z.number().int(),
  negative: z.number().int(),
  /** Mean sentiment, null for an empty window. */
  sentiment: z.number().nullable(),
  /** The baseline (EWMA of past windows) and the level that would open a moment. */
  baseline: z.number(),
  upper: z.number(),
});
export type MomentBucket = z.infer<typeof MomentBucketSchema>;

export const MomentDetailSchema = z.object({
  moment: MomentSummarySchema,
  bucketMinutes: z.number().int(),
  timeline: z.array(MomentBucketSchema),
  topMentions: z.array(MentionSchema),
  themes: z.array(z.object({
    id: z.number().int(),
    name: z.string(),
    swot: SwotSchema,
    stance: StanceSchema,
    /** Linked mentions matching the theme. */
    count: z.number().int(),
  })),
  terms: z.array(z.object({ term: z.string(), count: z.number().int() })),
  /** Everything this moment tracks (themes, brand, threads, terms merged into it). */
  keys: z.array(z.object({ kind: MomentKeyKindSchema, label: z.string() })),
});
export type MomentDetail = z.infer<typeof MomentDetailSchema>;
