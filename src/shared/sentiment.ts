// Sentiment as every runtime sees it: a score in [-1, 1], a label, and the words that
// drove it (so the UI can answer "perché negativo?").
import { z } from 'zod';

export const SentimentLabelSchema = z.enum(['positive', 'neutral', 'negative']);
export type SentimentLabel = z.infer<typeof SentimentLabelSchema>;
export const SENTIMENT_LABELS: readonly SentimentLabel[] = SentimentLabelSchema.options;

/** One driver of a score: the words as written (with their negator/intensifier) and its signed weight. */
export const SentimentTermSchema = z.object({
  term: z.string().max(200),
  weight: z.number(),
});
export type SentimentTerm = z.infer<typeof SentimentTermSchema>;

export const SentimentScoreSchema = z.number().min(-1).max(1);
