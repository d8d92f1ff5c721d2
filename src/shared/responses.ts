// Responses: a text drafted against a mention or a moment for one channel, its versions
// (each with the sha256 of its exact text), the review steps the policy computed, the
// comments, the pre-publish checklist and where it was published.
import { z } from 'zod';
import { RoleSchema } from './auth';
import { SeveritySchema, StepKindSchema } from './policy';
import { OutboxStateSchema, PublishChannelKindSchema } from './publishing';

export const RESPONSE_TEXT_MAX = 10_000;

export const ResponseStateSchema = z.enum(['draft', 'in_review', 'changes_requested', 'rejected', 'approved', 'publishing', 'published', 'failed']);
export type ResponseState = z.infer<typeof ResponseStateSchema>;

export const TargetKindSchema = z.enum(['mention', 'moment']);
export type TargetKind = z.infer<typeof TargetKindSchema>;

/** waiting: an earlier step is open; active: the reviewer's turn; void: made moot by an edit. */
export const StepStateSchema = z.enum(['waiting', 'active', 'approved', 'rejected', 'changes_requested', 'void']);
export type StepState = z.infer<typeof StepStateSchema>;

export const ResponseStepSchema = z.object({
  id: z.number().int(),
  round: z.number().int(),
  position: z.number().int(),
  kind: StepKindSchema,
  role: RoleSchema,
  state: StepStateSchema,
  reasons: z.array(z.string()),
  slaMinutes: z.number().int(),
  activatedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** The version and content hash the decision was made on. */
  versionId: z.number().int().nullable(),
  contentHash: z.string().nullable(),
  comment: z.string().nullable(),
});
export type ResponseStep = z.infer<typeof ResponseStepSchema>;

export const ResponseVersionSchema = z.object({
  id: z.number().int(),
  n: z.number().int(),
  text: z.string(),
  contentHash: z.string(),
  author: z.string(),
  createdAt: z.string(),
});
export type ResponseVersion = z.infer<typeof ResponseVersionSchema>;

export const CommentKindSchema = z.enum(['comment', 'approved', 'rejected', 'changes_requested']);
export type CommentKind = z.infer<typeof CommentKindSchema>;
export const ResponseCommentSchema = z.object({
  id: z.number().int(),
  kind: CommentKindSchema,
  author: z.string(),
  versionN: z.number().int().nullable(),
  text: z.string(),
  createdAt: z.string(),
});
export type ResponseComment = z.infer<typeof ResponseCommentSchema>;

export const CHECKLIST_ITEMS = ['timing', 'pertinence', 'brandImage', 'product'] as const;
export const ChecklistSchema = z.object({
  timing: z.boolean(),
  pertinence: z.boolean(),
  brandImage: z.boolean(),
  product: z.boolean(),
}).strict();
export type Checklist = z.infer<typeof ChecklistSchema>;

export const ResponseSummarySchema = z.object({
  id: z.number().int(),
  state: ResponseStateSchema,
  targetKind: TargetKindSchema,
  targetId: z.number().int(),
  /** A line about what is answered (mention text or moment title). */
  targetTitle: z.string(),
  channelId: z.number().int().nullable(),
  channelName: z.string().nullable(),
  channelKind: PublishChannelKindSchema.nullable(),
  severity: SeveritySchema,
  author: z.string(),
  authorId: z.number().int(),
  excerpt: z.string(),
  versionN: z.number().int(),
  /** The step waiting for a decision, with its SLA clock. */
  activeStep: z.object({ kind: StepKindSchema, role: RoleSchema, dueAt: z.string().nullable() }).nullable(),
  /** False on a forbidden theme: internal notes only. */
  publishable: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedUrl: z.string().nullable(),
});
export type ResponseSummary = z.infer<typeof ResponseSummarySchema>;

export const ResponseDetailSchema = z.object({
  response: ResponseSummarySchema,
  versions: z.array(ResponseVersionSchema),
  currentVersion: ResponseVersionSchema,
  steps: z.array(ResponseStepSchema),
  comments: z.array(ResponseCommentSchema),
  /** Why it may not be published at all (forbidden theme), in Italian. */
  blockers: z.array(z.string()),
  checklist: ChecklistSchema.nullable(),
  checklistBy: z.string().nullable(),
  /** The checklist counts only for the version it was confirmed on. */
  checklistCurrent: z.boolean(),
  outbox: z.array(z.object({
    id: z.number().int(),
    state: OutboxStateSchema,
    url: z.string().nullable(),
    externalId: z.string().nullable(),
    lastError: z.string().nullable(),
  })),
  publishedUrl: z.string().nullable(),
  publishedId: z.string().nullable(),
  /** What the caller may do now (the core checks again on every call). */
  can: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    decide: z.boolean(),
    checklist: z.boolean(),
    publish: z.boolean(),
  }),
});
export type ResponseDetail = z.infer<typeof ResponseDetailSchema>;

export const ResponseQueueSchema = z.enum(['toApprove', 'mine', 'publishing', 'published', 'all']);
export type ResponseQueue = z.infer<typeof ResponseQueueSchema>;

const text = z.string().trim().min(1, 'schema.responseEmpty').max(RESPONSE_TEXT_MAX, 'schema.responseTooLong');
const comment = z.string().trim().max(2_000, 'schema.commentTooLong');

export const ResponseCreateSchema = z.object({
  targetKind: TargetKindSchema,
  targetId: z.number().int(),
  channelId: z.number().int().nullable(),
  severity: SeveritySchema.optional(),
  text,
}).strict();
export type ResponseCreate = z.infer<typeof ResponseCreateSchema>;

export const ResponseEditSchema = z.object({
  id: z.number().int(),
  /** The version the edit starts from: an edit on a stale screen is refused, not merged. */
  baseVersionId: z.number().int(),
  text,
}).strict();

export const DecisionSchema = z.enum(['approve', 'reject', 'request_changes']);
export type Decision = z.infer<typeof DecisionSchema>;

export const ResponseDecideSchema = z.object({
  id: z.number().int(),
  stepId: z.number().int(),
  decision: DecisionSchema,
  /** What the reviewer read: the decision binds to exactly this. */
  versionId: z.number().int(),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/, 'schema.contentHash'),
  comment: comment.default(''),
}).strict();
export type ResponseDecide = z.infer<typeof ResponseDecideSchema>;

export { text as ResponseTextSchema, comment as ResponseCommentTextSchema };
