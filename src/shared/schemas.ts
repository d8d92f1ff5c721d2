// Domain shapes shared by every runtime. Validation happens once at each edge
// (IPC, HTTP, files, network) with these schemas; inside core the types are trusted.
import { z } from 'zod';
import { SentimentLabelSchema, SentimentScoreSchema, SentimentTermSchema } from './sentiment';
import { MentionThemeSchema } from './perimeters';
import { MentionFlagSchema } from './mention-flags';

export const LIMITS = {
  textMax: 100_000,
  titleMax: 1_000,
  sourceNameMax: 120,
  externalIdMax: 500,
  urlMax: 4_000,
  authorMax: 300,
  batchMax: 5_000,
  webhookBodyBytes: 5 * 1024 * 1024,
  importFileBytes: 200 * 1024 * 1024,
  /** One piece of a file sent from the UI: its base64 stays under the 1 MiB RPC body limit. */
  importChunkBytes: 512 * 1024,
  pageMax: 1_000,
  /** A filtered inbox counts its matches up to this many; past it, it says "oltre 10.000". */
  countCap: 10_000,
} as const;

export const LangSchema = z.string().regex(/^[a-z]{2,3}$/, 'schema.lang');

/** A mention as it arrives from outside: webhook body, JSONL/CSV row, replay line. */
export const InboundMentionSchema = z.object({
  source: z.string().trim().min(1, 'schema.sourceRequired').max(LIMITS.sourceNameMax),
  external_id: z.string().trim().min(1).max(LIMITS.externalIdMax).optional(),
  url: z.string().trim().max(LIMITS.urlMax).url('schema.urlInvalid').optional(),
  author: z.string().trim().max(LIMITS.authorMax).optional(),
  title: z.string().max(LIMITS.titleMax).optional(),
  text: z.string().max(LIMITS.textMax, 'schema.textTooLong'),
  published_at: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'schema.publishedAtNotIso')
    .optional(),
  lang: LangSchema.optional(),
  thread_id: z.string().max(LIMITS.externalIdMax).optional(),
  parent_id: z.string().max(LIMITS.externalIdMax).optional(),
  likes: z.number().int().nonnegative().optional(),
  comments: z.number().int().nonnegative().optional(),
  shares: z.number().int().nonnegative().optional(),
  score: z.number().int().optional(),
}).refine((m) => m.text.trim().length > 0 || (m.title ?? '').trim().length > 0, {
  message: 'schema.textOrTitle',
  path: ['text'],
});
export type InboundMention = z.infer<typeof InboundMentionSchema>;

export const SourceKindSchema = z.enum(['webhook', 'import', 'replay', 'rss', 'reddit', 'discourse', 'mastodon']);
export type SourceKind = z.infer<typeof SourceKindSchema>;

export const SourceSchema = z.object({
  id: z.number().int(),
  kind: SourceKindSchema,
  name: z.string(),
  enabled: z.boolean(),
  createdAt: z.string(),
  mentionCount: z.number().int(),
  lastItemAt: z.string().nullable(),
});
export type Source = z.infer<typeof SourceSchema>;

export const MentionStatusSchema = z.enum(['new', 'read', 'archived']);

/** A person's correction of a mention's sentiment: who (display name) and when (ISO time). */
export const SentimentCorrectionSchema = z.object({
  /** The corrector's display name; null when the person is no longer known (or the system acted). */
  by: z.string().nullable(),
  at: z.string(),
});
export type SentimentCorrection = z.infer<typeof SentimentCorrectionSchema>;

/** A stored mention as the UI and API see it. Authors appear only by pseudonym. */
export const MentionSchema = z.object({
  id: z.number().int(),
  sourceId: z.number().int(),
  sourceName: z.string(),
  sourceKind: SourceKindSchema,
  externalId: z.string().nullable(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  text: z.string(),
  authorKey: z.string().nullable(),
  /**
   * The author's readable alias in this workspace ("Volpe-482"), what people call them by;
   * authorKey stays the key. Absent or null when there is no author (or not yet assigned).
   */
  authorAlias: z.string().nullable().optional(),
  /**
   * The raw handle, only when an administrator enabled handles with a legal basis (stored
   * from then on; erased when they are turned off). Absent or null otherwise.
   */
  authorHandle: z.string().nullable().optional(),
  lang: z.string(),
  publishedAt: z.string(),
  fetchedAt: z.string(),
  threadId: z.string().nullable(),
  parentId: z.string().nullable(),
  likes: z.number().int(),
  comments: z.number().int(),
  shares: z.number().int(),
  score: z.number().int(),
  status: MentionStatusSchema,
  /** null until the mention has been scored (rows stored before sentiment existed). */
  sentimentScore: SentimentScoreSchema.nullable(),
  sentimentLabel: SentimentLabelSchema.nullable(),
  /** The words and emoji that drove the score, strongest first. */
  sentimentTerms: z.array(SentimentTermSchema),
  /** What scored it: 'rules' or the shipped model's id; null until scored. */
  sentimentModel: z.string().nullable(),
  /** The engine's own label; differs from sentimentLabel when a person corrected it. */
  sentimentModelLabel: SentimentLabelSchema.nullable(),
  /** Set when sentimentLabel is a person's: the engine's label stays in sentimentModelLabel. */
  sentimentCorrection: SentimentCorrectionSchema.nullable(),
  /** Perimeter themes matched, most relevant first (absent where not computed). */
  themes: z.array(MentionThemeSchema).optional(),
  /** Bot/spam signal (flagged, never removed); absent or null when none. */
  flag: MentionFlagSchema.nullable().optional(),
});
export type Mention = z.infer<typeof MentionSchema>;

export const IngestRejectSchema = z.object({
  index: z.number().int(),
  /** 1-based line of the file, for imports. */
  line: z.number().int().optional(),
  reason: z.string(),
});
export type IngestReject = z.infer<typeof IngestRejectSchema>;

/** An item stored, but with something the sender should fix (a published time far in the future). */
export const IngestWarningSchema = IngestRejectSchema;
export type IngestWarning = IngestReject;

export const IngestResultSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(IngestRejectSchema),
  /** Stored items the sender should look at (index in the body, and why), in Italian. */
  warnings: z.array(IngestWarningSchema),
  ids: z.array(z.number().int()),
});
export type IngestResult = z.infer<typeof IngestResultSchema>;

export const ImportFormatSchema = z.enum(['jsonl', 'csv']);
export type ImportFormat = z.infer<typeof ImportFormatSchema>;

export const ImportReportSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  format: ImportFormatSchema,
  at: z.string(),
  lines: z.number().int(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(IngestRejectSchema),
  /** Lines stored with a warning (a published time more than a day after the import). */
  warnings: z.array(IngestWarningSchema),
  /** Set when the whole file could not be read (encoding, size, header). */
  error: z.string().nullable(),
  /** The encoding the file was read in (utf-8, utf-16le, utf-16be, windows-1252…); null in reports written before it was kept. */
  encoding: z.string().nullable(),
  /** Lines with bytes invalid in that encoding, each read with U+FFFD in their place. */
  repairedLines: z.number().int(),
  /** Stopped by the person before the end (what was stored then is said in `error`). */
  cancelled: z.boolean(),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

/** Where a background import is: reading the file, storing its records, or done (with its report). */
export const ImportProgressSchema = z.object({
  jobId: z.string(),
  fileName: z.string(),
  phase: z.enum(['reading', 'storing', 'done']),
  bytes: z.number().int(),
  totalBytes: z.number().int(),
  /** Records read so far. */
  rows: z.number().int(),
  /** Records stored so far, of `total` to store. */
  stored: z.number().int(),
  total: z.number().int(),
  /** Seconds left in this phase at the rate so far; null until there is a rate. */
  etaSeconds: z.number().int().nullable(),
  reportId: z.number().int().nullable(),
});
export type ImportProgress = z.infer<typeof ImportProgressSchema>;

export const LocaleSchema = z.enum(['it', 'en']);
export type Locale = z.infer<typeof LocaleSchema>;
export const ThemeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof ThemeSchema>;

/** The settings any editor changes with settings.update. */
export const UserSettingsSchema = z.object({
  locale: LocaleSchema,
  theme: ThemeSchema,
  /** Whether the first-run welcome (open the demo or start empty) has been answered. */
  onboarded: z.boolean(),
  /** Minutes without activity before the window locks (0 = never); fractions allowed. */
  lockMinutes: z.number().min(0).max(1440),
});

/**
 * Whether raw author handles are kept and shown beside the aliases: off unless an
 * administrator turned them on with a legal basis (who and when are kept here and in the audit).
 */
export const AuthorHandlesSchema = z.object({
  enabled: z.boolean(),
  legalBasis: z.string().nullable(),
  /** Display name of who last changed it, and when (ISO). */
  by: z.string().nullable(),
  at: z.string().nullable(),
});
export type AuthorHandles = z.infer<typeof AuthorHandlesSchema>;

export type UserSettings = z.infer<typeof UserSettingsSchema>;

export const SettingsSchema = UserSettingsSchema.extend({
  /** IANA zone every time is shown in (administrators set it with settings.setTimeZone). */
  timeZone: z.string(),
  authorHandles: AuthorHandlesSchema,
});
export type Settings = z.infer<typeof SettingsSchema>;

export const ReplayStateSchema = z.object({
  running: z.boolean(),
  name: z.string().nullable(),
  speed: z.number(),
  emitted: z.number().int(),
  total: z.number().int(),
});
export type ReplayState = z.infer<typeof ReplayStateSchema>;
