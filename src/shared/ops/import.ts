// Contract of file imports: a file sent whole (the CLI, small files) or in pieces from the UI,
// its reports, and stopping a background import.
import { z } from 'zod';
import { ImportFormatSchema, ImportReportSchema, LIMITS } from '../schemas';

const Empty = z.object({}).strict();

export const importOperations = {
  'import.file': {
    input: z.object({
      fileName: z.string().min(1).max(300),
      format: ImportFormatSchema.optional(),
      content: z.string().max(LIMITS.importFileBytes),
      /** Store the good rows of a CSV with unreadable ones (else the file is refused whole). */
      keepGoodRows: z.boolean().optional(),
    }).strict(),
    output: ImportReportSchema,
  },
  'import.reports': { input: Empty, output: z.array(ImportReportSchema) },
  /**
   * A file sent from the UI in pieces (each under the RPC body limit) to a temporary file in
   * the data folder, then imported in the background: begin, chunks in order, end. Progress
   * comes as import.progress events, the report as import.finished.
   */
  'import.begin': {
    input: z.object({
      fileName: z.string().min(1).max(300),
      size: z.number().int().min(0).max(LIMITS.importFileBytes),
      format: ImportFormatSchema.optional(),
      /** An encoding label chosen by the person (utf-8, utf-16le, windows-1252, latin-1…). */
      encoding: z.string().min(1).max(40).optional(),
      keepGoodRows: z.boolean().optional(),
    }).strict(),
    output: z.object({ uploadId: z.string() }),
  },
  'import.chunk': {
    input: z.object({
      uploadId: z.string().min(1).max(64),
      /** Where this piece starts: pieces come in order, a repeated or missing one is refused. */
      offset: z.number().int().min(0),
      /** Base64 of at most LIMITS.importChunkBytes bytes. */
      data: z.string().max(Math.ceil(LIMITS.importChunkBytes / 3) * 4),
    }).strict(),
    output: z.object({ received: z.number().int() }),
  },
  'import.end': {
    input: z.object({ uploadId: z.string().min(1).max(64) }).strict(),
    output: z.object({ jobId: z.string(), fileName: z.string() }),
  },
  /** Stops a background import: see the README (what was stored stays, in published order). */
  'import.cancel': {
    input: z.object({ jobId: z.string().min(1).max(64) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
} as const;
