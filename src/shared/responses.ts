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

/**
 * A warning of the "prima di intervenire" checks that stops publishing until a reviewer of one
 * of `overrideRoles` overrides it with a reason: the moment the response speaks in touches a
 * forbidden theme (below the share that would make the response an internal note), or an open
 * crisis on a sensitive theme is still moving (timing).
 */
export const ResponseWarningKindSchema = z.enum(['forbiddenTheme', 'sensitiveTiming']);
export type ResponseWarningKind = z.infer<typeof ResponseWarningKindSchema>;
export const ResponseWarningSchema = z.object({
  kind: ResponseWarningKindSchema,
  /** The themes it is about (forbidden, or the crisis' sensitive ones). */
  themes: z.array(z.string()),
  /** sensitiveTiming: minutes since the crisis' last mention. */
  quietMinutes: z.number().int().nullable(),
  overrideRoles: z.array(RoleSchema),
  /** The override that lifts it, while it covers every theme now named. */
  override: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
});
export type ResponseWarning = z.infer<typeof ResponseWarningSchema>;

/** A post of the conversation a response answers, as stored (plain text). */
export const ThreadPostSchema = z.object({
  id: z.number().int(),
  title: z.string().nullable(),
  text: z.string(),
  publishedAt: z.string(),
  url: z.string().nullable(),
});
export type ThreadPost = z.infer<typeof ThreadPostSchema>;

/** What the composer shows about the target and fills the template placeholders with. */
export const ResponseContextSchema = z.object({
  /** The mention answered (null for a moment). */
  mention: ThreadPostSchema.extend({ sourceName: z.string() }).nullable(),
  /** The post it replies to and the thread's first post, where they are stored. */
  parent: ThreadPostSchema.nullable(),
  root: ThreadPostSchema.nullable(),
  /** Where the reply is posted by hand: the mention's own page. */
  url: z.string().nullable(),
  /** Placeholder values: {autore} (a readable name; null while authors are only keys), {brand}, {link}. */
  author: z.string().nullable(),
  brand: z.string().nullable(),
});
export type ResponseContext = z.infer<typeof ResponseContextSchema>;

export const ResponseTemplateSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  text: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type ResponseTemplate = z.infer<typeof ResponseTemplateSchema>;
export const ResponseTemplateSaveSchema = z.object({
  /** Absent: a new template. */
  id: z.number().int().optional(),
  name: z.string().trim().min(1, 'schema.templateNameEmpty').max(80, 'schema.templateNameTooLong'),
  text: z.string().trim().min(1, 'schema.responseEmpty').max(RESPONSE_TEXT_MAX, 'schema.responseTooLong'),
}).strict();
export type ResponseTemplateSave = z.infer<typeof ResponseTemplateSaveSchema>;

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
  /** Characters the channel takes (null without a channel) and the current text's count. */
  charLimit: z.number().int().nullable(),
  charCount: z.number().int(),
  /** The checks' warnings: each one not overridden blocks publishing. */
  warnings: z.array(ResponseWarningSchema),
  context: ResponseContextSchema,
  /** What the caller may do now (the core checks again on every call). */
  can: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    decide: z.boolean(),
    checklist: z.boolean(),
    publish: z.boolean(),
    /** A manual channel awaits the address of what was posted by hand, and this person may record it. */
    recordManual: z.boolean(),
    /** The warnings this person may override. */
    override: z.array(ResponseWarningKindSchema),
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
