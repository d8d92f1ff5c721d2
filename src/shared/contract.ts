// The API contract: every operation a client may call and every event the backend
// pushes. Served twice (Electron IPC and HTTP+WebSocket) from this one definition.
import { z } from 'zod';
import {
  ERROR_CODES,
  ERROR_KINDS_LIST,
  errorLanguage,
  isErrorCode,
  isTextCode,
  renderError,
  renderText,
  zodIssueRef,
  zodIssueText,
  type CatalogueCode,
  type ErrorCode,
  type ErrorKind,
  type ErrorLang,
  type ErrorParams,
  type TextRef,
} from './errors';
import {
  ImportProgressSchema,
  ImportReportSchema,
  LangSchema,
  LIMITS,
  MentionSchema,
  ReplayStateSchema,
  SettingsSchema,
  UserSettingsSchema,
} from './schemas';
import { TimeZoneSchema } from './time-zone';
import { sentimentEvents, sentimentOperations } from './ops/sentiment';
import { SentimentLabelSchema } from './sentiment';
import { MatchSpanSchema, QueryErrorSchema } from './perimeters';
import { perimetersEvents, perimetersOperations } from './ops/perimeters';
import { sourcesEvents, sourcesOperations } from './ops/sources';
import { qualityEvents } from './ops/quality';
import { metricsEvents, metricsOperations } from './ops/metrics';
import { momentsEvents, momentsOperations } from './ops/moments';
import { authOperations } from './ops/auth';
import { auditOperations } from './ops/audit';
import { webhooksEvents, webhooksOperations } from './ops/webhooks';
import { publishingEvents, publishingOperations } from './ops/publishing';
import { policyOperations } from './ops/policy';
import { responsesEvents, responsesOperations } from './ops/responses';
import { audiencesEvents, audiencesOperations } from './ops/audiences';
import { notesEvents, notesOperations } from './ops/notes';
import { presenceEvents, presenceOperations } from './ops/presence';
import { notificationsEvents, notificationsOperations } from './ops/notifications';
import { assignmentsEvents, assignmentsOperations } from './ops/assignments';
import { tagsEvents, tagsOperations } from './ops/tags';
import { importOperations } from './ops/import';
import { searchesEvents, searchesOperations } from './ops/searches';

const Empty = z.object({}).strict();

export const TeamServerInfoSchema = z.object({
  publicUrl: z.string(),
  /** SHA-256 of the certificate, "AB:CD:…". */
  fingerprint: z.string(),
  selfSigned: z.boolean(),
});
export type TeamServerInfo = z.infer<typeof TeamServerInfoSchema>;

export const MentionQuerySchema = z.object({
  /**
   * The search, in the perimeter query language (AND/OR/NOT, "phrases", wildcards, NEAR/n,
   * #tags, @handles, field:value); plain words are ANDed and the last one is a prefix.
   * Accents and case ignored.
   */
  text: z.string().max(500).optional(),
  sourceIds: z.array(z.number().int()).max(200).optional(),
  langs: z.array(LangSchema).max(20).optional(),
  sentiments: z.array(SentimentLabelSchema).max(3).optional(),
  /** Only mentions matching any of these perimeter themes. */
  themeIds: z.array(z.number().int()).max(500).optional(),
  /** Only mentions linked to this moment. */
  momentId: z.number().int().optional(),
  /** Only mentions in any of these audiences. */
  audienceIds: z.array(z.number().int()).max(200).optional(),
  /** Only mentions assigned to the signed-in person ('me' is resolved from the session). */
  assignedTo: z.literal('me').optional(),
  /** Only mentions carrying any of these tags. */
  tagIds: z.array(z.number().int()).max(50).optional(),
}).strict();
export type MentionQuery = z.infer<typeof MentionQuerySchema>;

/** Keyset cursor: the last row of the previous page, in inbox order. */
export const CursorSchema = z.object({
  publishedAt: z.string(),
  id: z.number().int(),
  /** Present when sorting by relevance: the last row's relevance. */
  relevance: z.number().optional(),
}).strict();
export type Cursor = z.infer<typeof CursorSchema>;

export const operations = {
  'app.info': {
    input: Empty,
    output: z.object({
      version: z.string(),
      dataDir: z.string(),
      mode: z.enum(['desktop', 'browser']),
      webhookUrl: z.string().nullable(),
      mentionCount: z.number().int(),
      /** How source credentials are sealed: 'basic_text' and 'local_key' deserve a warning. */
      credentialsBackend: z.enum(['os', 'basic_text', 'local_key']).optional(),
      /** A team server: where colleagues connect, and the certificate fingerprint they pin. */
      team: TeamServerInfoSchema.nullable().optional(),
    }),
  },
  'settings.get': { input: Empty, output: SettingsSchema },
  'settings.update': { input: UserSettingsSchema.partial().strict(), output: SettingsSchema },
  /** The workspace's time zone (administrators): an IANA name, stored in its canonical spelling. */
  'settings.setTimeZone': { input: z.object({ timeZone: TimeZoneSchema }).strict(), output: SettingsSchema },
  /**
   * Raw handles on or off (administrators). On needs the legal basis in words; off erases the
   * handles kept meanwhile. Who, when and the basis go to the audit log.
   */
  'settings.setAuthorHandles': {
    input: z
      .object({ enabled: z.boolean(), legalBasis: z.string().trim().max(2_000, 'schema.legalBasisTooLong').optional() })
      .strict()
      .refine((i) => !i.enabled || (i.legalBasis ?? '').length >= 10, { message: 'schema.legalBasisRequired', path: ['legalBasis'] }),
    output: SettingsSchema,
  },
  'mentions.list': {
    input: z.object({
      query: MentionQuerySchema.default({}),
      after: CursorSchema.optional(),
      limit: z.number().int().min(1).max(LIMITS.pageMax).default(200),
      /** time: newest first (default); relevance: best perimeter match first, then newest. */
      sort: z.enum(['time', 'relevance']).default('time'),
    }).strict(),
    output: z.object({
      items: z.array(MentionSchema),
      /** Exact, or a lower bound when `capped`: there are more, not counted (past LIMITS.countCap, or past what a query search could test). */
      total: z.number().int(),
      capped: z.boolean(),
      next: CursorSchema.nullable(),
      /** With a search: the matched words of each item, for highlighting. */
      hits: z.array(z.object({ id: z.number().int(), spans: z.array(MatchSpanSchema) })).optional(),
      /** The search does not parse: no items, and why (a bad query is an answer, not a failure). */
      queryError: QueryErrorSchema.optional(),
    }),
  },
  'mentions.get': {
    input: z.object({ id: z.number().int() }).strict(),
    output: z.object({ mention: MentionSchema, thread: z.array(MentionSchema) }),
  },
  'mentions.setStatus': {
    input: z.object({ id: z.number().int(), status: z.enum(['new', 'read', 'archived']) }).strict(),
    output: MentionSchema,
  },
  /**
   * A person sets a mention's sentiment (managers, strategists, admins). Setting the label it
   * already shows changes nothing; setting the engine's own label undoes the correction.
   */
  'mentions.correctSentiment': {
    input: z.object({ id: z.number().int(), label: SentimentLabelSchema }).strict(),
    output: MentionSchema,
  },
  ...importOperations,
  'demo.start': {
    input: z.object({ speed: z.number().min(0.1).max(10_000).default(60) }).strict(),
    output: ReplayStateSchema,
  },
  'demo.stop': { input: Empty, output: ReplayStateSchema },
  'demo.state': { input: Empty, output: ReplayStateSchema },
  ...sentimentOperations,
  ...perimetersOperations,
  ...sourcesOperations,
  ...metricsOperations,
  ...momentsOperations,
  ...authOperations,
  ...auditOperations,
  ...publishingOperations,
  ...policyOperations,
  ...responsesOperations,
  ...audiencesOperations,
  ...webhooksOperations,
  ...notesOperations,
  ...presenceOperations,
  ...notificationsOperations,
  ...assignmentsOperations,
  ...tagsOperations,
  ...searchesOperations,
} as const;

export const events = {
  'mentions.added': z.object({ items: z.array(MentionSchema) }),
  /** Stored mentions that changed in place (a sentiment correction): open screens swap them. */
  'mentions.updated': z.object({ items: z.array(MentionSchema) }),
  'sources.changed': z.object({}),
  'replay.state': ReplayStateSchema,
  'import.finished': ImportReportSchema,
  'import.progress': ImportProgressSchema,
  ...sentimentEvents,
  ...perimetersEvents,
  ...sourcesEvents,
  ...qualityEvents,
  ...metricsEvents,
  ...momentsEvents,
  ...publishingEvents,
  ...responsesEvents,
  ...audiencesEvents,
  ...webhooksEvents,
  ...notesEvents,
  ...presenceEvents,
  ...notificationsEvents,
  ...assignmentsEvents,
  ...tagsEvents,
  ...searchesEvents,
} as const;

export type Operations = typeof operations;
export type OpName = keyof Operations;
export type OpInput<K extends OpName> = z.input<Operations[K]['input']>;
export type OpParsedInput<K extends OpName> = z.output<Operations[K]['input']>;
export type OpOutput<K extends OpName> = z.output<Operations[K]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const opNames = Object.keys(operations) as OpName[];
export const eventNames = Object.keys(events) as EventName[];

export function isOpName(x: unknown): x is OpName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(operations, x);
}
export function isEventName(x: unknown): x is EventName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(events, x);
}

/** What the UI holds: one async function per operation, plus event subscription. */
export type VedettaApi = {
  call<K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/**
 * One line under an error (a field that failed, where a query broke): the catalogue code and
 * params each client words in its language, the field's `path` when there is one, and `text`,
 * the Italian line ("path: reason") for whoever reads the raw answer (curl, logs).
 */
export const ErrorDetailSchema = z.object({
  text: z.string(),
  path: z.string().max(500).optional(),
  key: z.string().max(100),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;
/** A detail as a throw site gives it: the Italian text is worded from it. */
export interface DetailRef {
  path?: string;
  key: CatalogueCode;
  params?: ErrorParams;
}

/**
 * Errors cross every adapter as this shape, so the UI shows the same message anywhere: `code`
 * is the kind (it sets the HTTP status), `key` the error code of the catalogue with its
 * `params`, and `message` the Italian text for whoever reads the raw answer (curl, logs).
 * A detail may be a plain string: what a body written before details had codes carries.
 */
export const ApiErrorSchema = z.object({
  code: z.enum(ERROR_KINDS_LIST),
  message: z.string(),
  key: z.string().max(100).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  details: z.array(z.union([z.string(), ErrorDetailSchema])).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorSchema>;

function knownCode(key: string): key is CatalogueCode {
  return isErrorCode(key) || isTextCode(key);
}

/** A line nobody coded (an old body's, a reason already worded elsewhere): shown as it is. */
export function plainDetail(text: string): DetailRef {
  return { key: 'remote', params: { message: text } };
}

function toDetail(d: DetailRef | ErrorDetail | string): ErrorDetail {
  if (typeof d === 'string') return { text: d, ...plainDetail(d) };
  if ('text' in d) return d;
  const params = { ...d.params };
  const reason = renderText(d.key, params, 'it');
  return { text: d.path ? `${d.path}: ${reason}` : reason, ...(d.path ? { path: d.path } : {}), key: d.key, params };
}

/** A detail's reason without its path, in a language (the process's unless told). */
export function detailReason(d: ErrorDetail, lang: ErrorLang = errorLanguage()): string {
  if (knownCode(d.key)) return renderText(d.key, d.params ?? {}, lang);
  // A code this client does not know: the Italian text sent along, less its path.
  return d.path && d.text.startsWith(`${d.path}: `) ? d.text.slice(d.path.length + 2) : d.text;
}

/** A detail as one line, "path: reason", in a language (the process's unless told). */
export function detailLine(d: ErrorDetail, lang: ErrorLang = errorLanguage()): string {
  if (!knownCode(d.key)) return d.text;
  const reason = detailReason(d, lang);
  return d.path ? `${d.path}: ${reason}` : reason;
}

export class ApiError extends Error {
  /** The kind: sets the HTTP status and how clients react. */
  readonly code: ErrorKind;
  /** The catalogue code; its text, in this process's language, is the message. */
  readonly key: ErrorCode;
  readonly params: ErrorParams;
  readonly details?: ErrorDetail[];
  constructor(key: ErrorCode, params: ErrorParams = {}, details?: readonly (DetailRef | ErrorDetail | string)[]) {
    super(renderError(key, params));
    this.name = 'ApiError';
    this.key = key;
    this.code = ERROR_CODES[key];
    this.params = params;
    if (details) this.details = details.map(toDetail);
  }
  /** Is this error the given code? */
  is(key: ErrorCode): boolean {
    return this.key === key;
  }
  /** The details as lines ("path: reason") in a language (the process's unless told). */
  detailLines(lang: ErrorLang = errorLanguage()): string[] {
    return (this.details ?? []).map((d) => detailLine(d, lang));
  }
  toBody(): ApiErrorBody {
    // The wire always carries Italian, whatever language this process renders in.
    return {
      code: this.code,
      message: renderError(this.key, this.params, 'it'),
      key: this.key,
      params: { ...this.params },
      ...(this.details ? { details: this.details.map((d) => ({ ...d })) } : {}),
    };
  }
  /** A body received from another process, re-rendered in this process's language. */
  static fromBody(body: ApiErrorBody): ApiError {
    if (isErrorCode(body.key)) return new ApiError(body.key, body.params ?? {}, body.details);
    const e = new ApiError('remote', { message: body.message }, body.details);
    return Object.assign(e, { code: body.code });
  }
}

/**
 * Turn a zod failure into readable lines, "path: message", in a language (the process's
 * unless told): a schema message that is a catalogue code is worded there (zodIssueText).
 */
export function describeZodError(err: z.ZodError, lang: ErrorLang = errorLanguage()): string[] {
  return err.issues.map((i) => {
    const message = zodIssueText(i, lang);
    return i.path.length ? `${i.path.join('.')}: ${message}` : message;
  });
}

/**
 * A zod failure as an error's details, one per issue: the schema's code (zodIssueRef), else
 * what `refOf` makes of the issue (an error map's code: core/ingest/zod-it), else the
 * message as it is.
 */
export function zodDetails(err: z.ZodError, refOf?: (issue: z.core.$ZodIssue) => TextRef | null): DetailRef[] {
  return err.issues.map((i) => {
    const ref: TextRef = zodIssueRef(i) ?? refOf?.(i) ?? plainDetail(i.message);
    return { ...(i.path.length ? { path: i.path.join('.') } : {}), key: ref.key, ...(ref.params ? { params: ref.params } : {}) };
  });
}
