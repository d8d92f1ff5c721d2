// Publishing: channels (list, create, update, disable, "Prova connessione") and the outbox
// (list, record a manual post's URL, retry a failed entry). Entering the outbox is not an
// operation: only the responses workflow does it, after every approval is checked.
import { z } from 'zod';
import {
  OutboxStateSchema,
  OutboxViewSchema,
  PublishChannelCreateSchema,
  PublishChannelTestResultSchema,
  PublishChannelTestSchema,
  PublishChannelUpdateSchema,
  PublishChannelViewSchema,
} from '../publishing';

const ById = z.object({ id: z.number().int() }).strict();

export const publishingOperations = {
  'publishing.channels': { input: z.object({}).strict(), output: z.array(PublishChannelViewSchema) },
  'publishing.channelCreate': { input: PublishChannelCreateSchema, output: PublishChannelViewSchema },
  'publishing.channelUpdate': { input: PublishChannelUpdateSchema, output: PublishChannelViewSchema },
  'publishing.channelDisable': { input: ById, output: PublishChannelViewSchema },
  'publishing.channelTest': { input: PublishChannelTestSchema, output: PublishChannelTestResultSchema },
  'publishing.outbox': {
    input: z.object({
      responseId: z.number().int().optional(),
      state: OutboxStateSchema.optional(),
      limit: z.number().int().min(1).max(500).default(200),
    }).strict(),
    output: z.array(OutboxViewSchema),
  },
  /** Manual channel: the URL where the text was posted by hand (http/https). */
  'publishing.recordManual': {
    input: z.object({ id: z.number().int(), url: z.string().trim().max(2000) }).strict(),
    output: OutboxViewSchema,
  },
  /** A failed entry goes back to the queue (reconciled first, so it never posts twice). */
  'publishing.retry': { input: ById, output: OutboxViewSchema },
} as const;

export const publishingEvents = {
  /** An outbox entry changed state (queued, sending, published, failed, awaiting a URL). */
  'publishing.outboxChanged': OutboxViewSchema,
  'publishing.channelsChanged': z.object({}),
} as const;
