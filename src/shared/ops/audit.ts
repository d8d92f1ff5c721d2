// The audit log as the UI and the CLI read it: filtered, paged newest first, verifiable,
// exportable as CSV.
import { z } from 'zod';
import { RoleSchema } from '../auth';

export const AuditFilterSchema = z.object({
  /** Username of who acted ('sistema' for in-process actions). */
  actor: z.string().trim().max(80).optional(),
  /** Action name or its prefix: "sources" finds sources.add, sources.delete… */
  action: z.string().trim().max(80).optional(),
  /** Any part of the subject ("source:3", "user:anna"…). */
  subject: z.string().trim().max(200).optional(),
  /** Period, epoch ms, inclusive. */
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative().optional(),
}).strict();
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AuditRowSchema = z.object({
  id: z.number().int(),
  at: z.number().int(),
  actor: z.string(),
  userId: z.number().int().nullable(),
  roles: z.array(RoleSchema).nullable(),
  action: z.string(),
  subject: z.string().nullable(),
  /** JSON object text as stored (never holds secrets). */
  detail: z.string(),
  contentHash: z.string().nullable(),
  hash: z.string(),
});
export type AuditRow = z.infer<typeof AuditRowSchema>;

/**
 * The chain's head against the anchor kept outside the database (core/audit/anchor.ts):
 * none (a folder from before anchoring), ok (the anchored row is there, maybe with newer
 * ones), truncated (the anchored row is gone or different: the newest rows were cut or
 * rewritten), invalid (the anchor file is damaged or its signature does not match).
 */
export const AnchorCheckSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('none') }),
  z.object({ state: z.literal('ok'), anchoredAt: z.number().int(), anchoredEntries: z.number().int(), newer: z.number().int() }),
  z.object({ state: z.literal('truncated'), anchoredAt: z.number().int(), anchoredEntries: z.number().int(), anchoredLastId: z.number().int(), lastId: z.number().int(), entries: z.number().int() }),
  z.object({ state: z.literal('invalid') }),
]);

export const AuditVerifySchema = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  /** The first row that does not verify: edited, or the one after a deleted row. */
  broken: z.object({ id: z.number().int(), at: z.number().int(), action: z.string() }).nullable(),
  /** Whether the newest rows are all there, against the anchor kept outside the database. */
  anchor: AnchorCheckSchema,
  /** The same, against the copy in the folder an administrator chose (null: none chosen). */
  anchorCopy: AnchorCheckSchema.nullable(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifySchema>;
export type AnchorCheck = z.infer<typeof AnchorCheckSchema>;

/** The anchor's copy in a folder outside the data folder, written with every anchor write. */
export const AnchorCopyStatusSchema = z.object({
  dir: z.string().nullable(),
  /** When the copy was last written (epoch ms), in this run. */
  writtenAt: z.number().int().nullable(),
  /** Why the last write failed (the system's words), until one succeeds. */
  error: z.string().nullable(),
});
export type AnchorCopyStatus = z.infer<typeof AnchorCopyStatusSchema>;

export const auditOperations = {
  'audit.list': {
    input: z.object({
      filter: AuditFilterSchema.default({}),
      /** Keyset: rows with an id below this one (the last row of the previous page). */
      before: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }).strict(),
    output: z.object({ items: z.array(AuditRowSchema), total: z.number().int(), next: z.number().int().nullable() }),
  },
  'audit.facets': {
    input: z.object({}).strict(),
    output: z.object({ actors: z.array(z.string()), actions: z.array(z.string()) }),
  },
  'audit.verify': { input: z.object({}).strict(), output: AuditVerifySchema },
  'audit.anchorCopy': { input: z.object({}).strict(), output: AnchorCopyStatusSchema },
  'audit.setAnchorCopy': {
    input: z.object({ dir: z.string().trim().min(1).max(1000).nullable() }).strict(),
    output: AnchorCopyStatusSchema,
  },
  'audit.exportCsv': {
    input: z.object({ filter: AuditFilterSchema.default({}) }).strict(),
    output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  },
} as const;
