// Contract of the sentiment area: which engine scores (the shipped model or the rules it
// falls back to, and why) and the background re-score of stored mentions after an upgrade.
import { z } from 'zod';
import { ErrorRefSchema } from '../errors';

export const SentimentRescoreSchema = z.object({
  /** Stored mentions this re-score has to go through (those already done included). */
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  running: z.boolean(),
});
export type SentimentRescore = z.infer<typeof SentimentRescoreSchema>;

export const SentimentStatusSchema = z.object({
  /** 'model' = the shipped trained classifier; 'rules' = the lexicon rule scorer. */
  engine: z.enum(['model', 'rules']),
  /** What new mentions are scored with: the model's id, or 'rules'. */
  modelId: z.string(),
  /** When the model in use was built (ISO 8601), when known. */
  modelDate: z.string().nullable(),
  /** Why the model could not be loaded, in Italian; null when nothing went wrong. */
  error: z.string().nullable(),
  /** The same as a code, worded by each client in its language. */
  errorRef: ErrorRefSchema.nullable().optional(),
  rescore: SentimentRescoreSchema,
});
export type SentimentStatus = z.infer<typeof SentimentStatusSchema>;

export const sentimentOperations = {
  'sentiment.status': { input: z.object({}).strict(), output: SentimentStatusSchema },
} as const;

export const sentimentEvents = {
  /** The engine's state or the re-score's progress changed (throttled while it runs). */
  'sentiment.status': SentimentStatusSchema,
} as const;
