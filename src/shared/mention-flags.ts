// Bot/spam signals on a mention. A flag never hides or deletes anything: it tells the
// reader why an item looks automated, with the numbers behind the judgement.
import { z } from 'zod';

export const MentionFlagKindSchema = z.enum(['copy_campaign', 'fast_author']);
export type MentionFlagKind = z.infer<typeof MentionFlagKindSchema>;

export const MentionFlagSchema = z.object({
  kind: MentionFlagKindSchema,
  /** copy_campaign: distinct authors with the same text; fast_author: the author's posts. */
  count: z.number().int().nonnegative(),
  /** The window those items fell in, in seconds. */
  windowSec: z.number().int().positive(),
});
export type MentionFlag = z.infer<typeof MentionFlagSchema>;

/** The thresholds, shared so the UI can explain them. */
export const FLAG_RULES = {
  copyCampaign: { minAuthors: 5, windowSec: 120, minChars: 60 },
  fastAuthor: { minPosts: 8, windowSec: 60 },
} as const;
