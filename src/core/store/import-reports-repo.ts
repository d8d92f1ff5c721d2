import { IngestRejectSchema, type ImportFormat, type ImportReport, type IngestReject } from '../../shared/schemas';
import type { Db } from './db';

interface ReportRow {
  id: number;
  file_name: string;
  format: ImportFormat;
  at: number;
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: string;
  warnings: string;
  error: string | null;
  encoding: string | null;
  repaired_lines: number;
  cancelled: number;
}

export type NewImportReport = Omit<ImportReport, 'id' | 'at' | 'warnings' | 'encoding' | 'repairedLines' | 'cancelled'> & {
  at: number;
  warnings?: IngestReject[];
  encoding?: string | null;
  repairedLines?: number;
  cancelled?: boolean;
};

function parseRejected(json: string): IngestReject[] {
  try {
    const parsed = IngestRejectSchema.array().safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

function toReport(r: ReportRow): ImportReport {
  return {
    id: r.id,
    fileName: r.file_name,
    format: r.format,
    at: new Date(r.at).toISOString(),
    lines: r.lines,
    accepted: r.accepted,
    duplicates: r.duplicates,
    rejected: parseRejected(r.rejected),
    warnings: parseRejected(r.warnings),
    error: r.error,
    encoding: r.encoding,
    repairedLines: r.repaired_lines,
    cancelled: r.cancelled === 1,
  };
}

export class ImportReportsRepo {
  private readonly insertStmt;
  private readonly listStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, number, number, number, number, string, string, string | null, string | null, number, number], ReportRow>(`
      INSERT INTO import_reports (file_name, format, at, lines, accepted, duplicates, rejected, warnings, error, encoding, repaired_lines, cancelled)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`);
    this.listStmt = db.prepare<[number], ReportRow>('SELECT * FROM import_reports ORDER BY at DESC, id DESC LIMIT ?');
  }

  insert(r: NewImportReport): ImportReport {
    const row = this.insertStmt.get(r.fileName, r.format, r.at, r.lines, r.accepted, r.duplicates, JSON.stringify(r.rejected), JSON.stringify(r.warnings ?? []), r.error, r.encoding ?? null, r.repairedLines ?? 0, r.cancelled ? 1 : 0);
    if (!row) throw new Error('import report not stored');
    return toReport(row);
  }

  /** Newest first. */
  list(limit = 100): ImportReport[] {
    return this.listStmt.all(limit).map(toReport);
  }
}
