import type { ImportFormat, IngestReject } from '../../../shared/schemas';

/** One record of a file, not yet validated: the pipeline checks it against InboundMention. */
export interface ImportRecord {
  /** 0-based position among the file's records (header and blank lines not counted). */
  index: number;
  /** 1-based line where the record starts. */
  line: number;
  value: unknown;
}

export interface ParsedImport {
  format: ImportFormat;
  /** Records seen: data lines of a JSONL, data rows of a CSV. */
  lines: number;
  records: ImportRecord[];
  /** Records that could not even be read (bad JSON, wrong column count…). */
  rejected: IngestReject[];
  /** Set when the file as a whole cannot be read; then nothing in it may be stored. */
  error: string | null;
}
