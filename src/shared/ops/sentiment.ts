// Contract of the sentiment area: progress of the background scoring of older mentions.
import { z } from 'zod';

export const SentimentBackfillSchema = z.object({
  /** Mentions scored by the running backfill so far. */
  scored: z.number().int(),
  /** Mentions still without a score. */
  remaining: z.number().int(),
  done: z.boolean(),
});
export type SentimentBackfill = z.infer<typeof SentimentBackfillSchema>;

export const sentimentOperations = {
  'sentiment.status': { input: z.object({}).strict(), output: SentimentBackfillSchema },
} as const;

export const sentimentEvents = {
  'sentiment.backfill': SentimentBackfillSchema,
} as const;
