// Sources: list with health, add/edit/pause/resume/delete, a dry run ("Prova") and a poll now.
import { z } from 'zod';
import { SourceSchema } from '../schemas';
import {
  SourceAddInputSchema,
  SourceHealthSchema,
  SourceTestInputSchema,
  SourceTestResultSchema,
  SourceUpdateInputSchema,
} from '../sources';

/** A source as the Sources view and `vedetta sources list` show it. */
export const SourceViewSchema = SourceSchema.extend({
  /** Polled by the scheduler (rss, reddit, discourse, mastodon) or pushed (webhook, import, replay). */
  polled: z.boolean(),
  intervalSec: z.number().int().nullable(),
  /** Kind-specific settings (never credentials); null for pushed sources. */
  config: z.record(z.string(), z.unknown()).nullable(),
  /** Which credentials are set, never their values. */
  secretNames: z.array(z.string()),
  health: SourceHealthSchema,
});
export type SourceView = z.infer<typeof SourceViewSchema>;

const ById = z.object({ id: z.number().int() }).strict();

export const sourcesOperations = {
  'sources.list': { input: z.object({}).strict(), output: z.array(SourceViewSchema) },
  'sources.add': { input: SourceAddInputSchema, output: SourceViewSchema },
  'sources.update': { input: SourceUpdateInputSchema, output: SourceViewSchema },
  'sources.pause': { input: ById, output: SourceViewSchema },
  'sources.resume': { input: ById, output: SourceViewSchema },
  'sources.delete': {
    input: ById,
    output: z.object({ id: z.number().int(), name: z.string(), deletedMentions: z.number().int() }),
  },
  /** Fetch once and preview what would be stored; stores nothing. A stored source (id) or a config. */
  'sources.test': {
    input: SourceTestInputSchema,
    output: SourceTestResultSchema,
  },
  'sources.pollNow': { input: ById, output: SourceViewSchema },
} as const;

export const sourcesEvents = {
  /** A source was paused by the scheduler after repeated failures: tell the user. */
  'sources.paused': z.object({ id: z.number().int(), name: z.string(), reason: z.string() }),
} as const;
