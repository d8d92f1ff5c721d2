// Contract of the response lifecycle: queues, detail, draft/edit/submit, decisions,
// the pre-publish checklist and publishing.
import { z } from 'zod';
import { PublishChannelSchema } from '../publishing';
import { RoleSchema } from '../auth';
import { StepKindSchema } from '../policy';
import { linkField } from '../links';
import {
  ChecklistSchema,
  ResponseCommentTextSchema,
  ResponseCreateSchema,
  ResponseDecideSchema,
  ResponseDetailSchema,
  ResponseEditSchema,
  ResponseQueueSchema,
  ResponseSummarySchema,
  ResponseContextSchema,
  ResponseTemplateSaveSchema,
  ResponseTemplateSchema,
  ResponseWarningKindSchema,
  TargetKindSchema,
} from '../responses';

const id = z.object({ id: z.number().int() }).strict();

export const responsesOperations = {
  'responses.list': {
    input: z.object({ queue: ResponseQueueSchema.default('all'), limit: z.number().int().min(1).max(500).default(200) }).strict(),
    output: z.object({ items: z.array(ResponseSummarySchema), counts: z.record(ResponseQueueSchema, z.number().int()) }),
  },
  'responses.get': { input: id, output: ResponseDetailSchema },
  /** Channels a response may target (those the publishing service has, enabled). */
  'responses.channels': { input: z.object({}).strict(), output: z.array(PublishChannelSchema) },
  'responses.create': { input: ResponseCreateSchema, output: ResponseDetailSchema },
  'responses.edit': { input: ResponseEditSchema, output: ResponseDetailSchema },
  'responses.submit': { input: id, output: ResponseDetailSchema },
  'responses.decide': { input: ResponseDecideSchema, output: ResponseDetailSchema },
  'responses.comment': { input: z.object({ id: z.number().int(), text: ResponseCommentTextSchema.min(1, 'schema.commentEmpty') }).strict(), output: ResponseDetailSchema },
  'responses.checklist': {
    input: z.object({ id: z.number().int(), versionId: z.number().int(), checklist: ChecklistSchema }).strict(),
    output: ResponseDetailSchema,
  },
  'responses.publish': {
    input: z.object({ id: z.number().int(), versionId: z.number().int(), contentHash: z.string() }).strict(),
    output: ResponseDetailSchema,
  },
  /** Manual channel: where the text was posted by hand. */
  'responses.recordManual': {
    input: z.object({ id: z.number().int(), outboxId: z.number().int(), url: linkField('schema.urlFull') }).strict(),
    output: ResponseDetailSchema,
  },
  /** A warning of the checks lifted by a reviewer of the right role, with the reason (audited). */
  'responses.override': {
    input: z.object({ id: z.number().int(), warning: ResponseWarningKindSchema, reason: z.string().trim().min(1, 'schema.overrideReasonEmpty').max(1_000, 'schema.commentTooLong') }).strict(),
    output: ResponseDetailSchema,
  },
  /** The conversation around a target and the placeholder values, for the composer. */
  'responses.context': { input: z.object({ targetKind: TargetKindSchema, targetId: z.number().int() }).strict(), output: ResponseContextSchema },
  'responses.templates': { input: z.object({}).strict(), output: z.array(ResponseTemplateSchema) },
  'responses.templateSave': { input: ResponseTemplateSaveSchema, output: z.array(ResponseTemplateSchema) },
  'responses.templateDelete': { input: id, output: z.array(ResponseTemplateSchema) },
} as const;

export const responsesEvents = {
  /**
   * A response changed. `next` names whom it now waits for, so that reviewer is notified;
   * null when nobody's turn began.
   */
  'responses.changed': z.object({
    id: z.number().int(),
    next: z.object({ role: RoleSchema, kind: StepKindSchema, title: z.string(), dueAt: z.string().nullable() }).nullable(),
  }),
  /** The saved reply templates changed: composers re-read them. */
  'responses.templatesChanged': z.object({}),
} as const;
