// Events of the quality checks run at ingest (bot/spam flags).
import { z } from 'zod';
import { MentionFlagSchema } from '../mention-flags';

export const qualityEvents = {
  /** Mentions stored earlier that a later arrival revealed as part of a pattern. */
  'mentions.flagged': z.object({ items: z.array(z.object({ id: z.number().int(), flag: MentionFlagSchema })) }),
} as const;
