// Import of a JSONL/CSV file's text, in one go on the calling thread: parse (pure, ./formats)
// → the pipeline in batches, in published order → a stored report listing every refused line
// and why, and every line stored with a warning. For in-process callers with small texts (the
// tests); files from people go through import-job.ts, the same steps off the main thread.
import { decodeImportBytes, formatFromFileName, parseImportFile } from './formats';
import { Utf8Census } from '../../shared/charset';
import { LIMITS, type ImportFormat, type ImportReport, type IngestReject, type IngestWarning } from '../../shared/schemas';
import { renderText, type ErrorLang } from '../../shared/errors';
import type { EventBus } from '../api/events';
import type { Logger } from '../platform';
import type { ImportReportsRepo } from '../store/import-reports-repo';
import type { IngestPipeline } from './pipeline';
import { publishedTimeOf } from './import-read';

/** More refused lines than this and the file is not what the user meant to import. */
export const REJECTS_LISTED_MAX = 1_000;

export interface ImportDeps {
  pipeline: IngestPipeline;
  reports: ImportReportsRepo;
  events: EventBus;
  now: () => number;
  logger: Logger;
  /** The workspace's language: the report is stored worded in it (default Italian). */
  lang?: () => ErrorLang;
}

export interface ImportOptions {
  format?: ImportFormat;
  /** Store the good rows of a CSV with unreadable ones; else such a file is refused whole. */
  keepGoodRows?: boolean;
  /** How the text was decoded, for the report (set by importBytes). */
  decoded?: { encoding: string; repairedLines: number };
}

/**
 * Import of a file's bytes: decoded once (formats/decode.ts: BOM, else the shape of all the
 * bytes, or the encoding the person chose), then as importText.
 */
export function importBytes(deps: ImportDeps, fileName: string, bytes: Uint8Array, opts: ImportOptions & { encoding?: string | null } = {}): ImportReport {
  const census = new Utf8Census();
  census.push(bytes, true);
  const decoded = decodeImportBytes(bytes, census.end(), opts.encoding);
  if ('unsupported' in decoded) {
    const lang = deps.lang?.() ?? 'it';
    const report = deps.reports.insert({
      fileName, format: opts.format ?? formatFromFileName(fileName) ?? 'jsonl', lines: 0, accepted: 0, duplicates: 0, rejected: [], at: deps.now(),
      error: renderText('import.encodingUnsupported', { encoding: decoded.unsupported.toUpperCase() }, lang),
    });
    deps.events.emit('import.finished', report);
    return report;
  }
  return importText(deps, fileName, decoded.text, { ...opts, decoded: { encoding: decoded.encoding, repairedLines: decoded.repairedLines } });
}

export function importText(deps: ImportDeps, fileName: string, content: string, opts: ImportOptions = {}): ImportReport {
  const { format } = opts;
  const at = deps.now();
  const lang = deps.lang?.() ?? 'it';
  const finish = (r: Omit<ImportReport, 'id' | 'at' | 'warnings' | 'encoding' | 'repairedLines' | 'cancelled'> & { warnings?: IngestWarning[] }): ImportReport => {
    const report = deps.reports.insert({ ...r, at, encoding: opts.decoded?.encoding ?? null, repairedLines: opts.decoded?.repairedLines ?? 0 });
    deps.events.emit('import.finished', report);
    return report;
  };

  if (content.length > LIMITS.importFileBytes) {
    return finish({
      fileName, format: format ?? formatFromFileName(fileName) ?? 'jsonl', lines: 0, accepted: 0, duplicates: 0, rejected: [],
      error: renderText('import.tooLarge', { mib: Math.round(LIMITS.importFileBytes / 1024 / 1024) }, lang),
    });
  }

  const parsed = parseImportFile(fileName, content, format, lang, { keepGoodRows: opts.keepGoodRows === true });
  if (parsed.error) {
    return finish({ fileName, format: parsed.format, lines: parsed.lines, accepted: 0, duplicates: 0, rejected: [], error: parsed.error });
  }

  let accepted = 0;
  let duplicates = 0;
  let error: string | null = null;
  const rejected: IngestReject[] = [...parsed.rejected];
  const warnings: IngestWarning[] = [];
  // Stored in published order, whatever the file's: the moments then see the file as the
  // stream it records (a file written newest first, or two exports pasted together, opens the
  // same moments as the sorted file and as the webhook), and a chunk never splits the
  // mentions of one published time (they are judged together). A line without a readable
  // time is stored as published now, so it sorts there.
  const records = parsed.records.map((r) => ({ r, t: publishedTimeOf(r.value, at) })).sort((a, b) => a.t - b.t);
  for (let i = 0; i < records.length; ) {
    let end = Math.min(records.length, i + LIMITS.batchMax);
    while (end < records.length && end < i + 2 * LIMITS.batchMax && records[end]!.t === records[end - 1]!.t) end++;
    const chunk = records.slice(i, end).map((x) => x.r);
    const chunkFrom = records[i]!.t;
    i = end;
    try {
      const res = storeChunk(deps.pipeline, chunk, rejected, warnings);
      accepted += res.accepted;
      duplicates += res.duplicates;
    } catch (err) {
      deps.logger.error('import: batch failed', { fileName, error: err instanceof Error ? err.message : String(err) });
      error = savedUpTo(chunkFrom, accepted > 0, lang);
      break;
    }
  }
  rejected.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (rejected.length > REJECTS_LISTED_MAX && !error) {
    error = renderText('import.manyRejected', { n: rejected.length, max: REJECTS_LISTED_MAX }, lang);
  }
  return finish({
    fileName,
    format: parsed.format,
    lines: parsed.lines,
    accepted,
    duplicates,
    rejected: rejected.slice(0, REJECTS_LISTED_MAX),
    warnings: warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)).slice(0, REJECTS_LISTED_MAX),
    error,
  });
}

/**
 * Stores one chunk of an import (records in published order) and adds its refusals and
 * warnings to the lists, each at its line of the file. Both the in-process import and the
 * background job store through it.
 */
export function storeChunk(
  pipeline: IngestPipeline,
  chunk: readonly { value: unknown; index: number; line: number }[],
  rejected: IngestReject[],
  warnings: IngestWarning[],
): { accepted: number; duplicates: number; rejected: number } {
  const res = pipeline.ingest(chunk.map((r) => r.value), 'import', { lines: chunk.map((r) => r.line) });
  for (const rej of res.rejected) {
    const rec = chunk[rej.index];
    rejected.push({ index: rec?.index ?? rej.index, line: rec?.line ?? rej.line, reason: rej.reason });
  }
  for (const w of res.warnings) {
    const rec = chunk[w.index];
    warnings.push({ index: rec?.index ?? w.index, line: rec?.line ?? w.line, reason: w.reason });
  }
  return { accepted: res.accepted, duplicates: res.duplicates, rejected: res.rejected.length };
}

/** Why an import stopped while storing: what was saved, up to which published time. */
export function savedUpTo(chunkFrom: number, savedSome: boolean, lang: ErrorLang): string {
  const when = new Date(chunkFrom).toISOString().slice(0, 16).replace('T', ' ');
  return savedSome ? renderText('import.savedBefore', { when }, lang) : renderText('import.savedNone', {}, lang);
}
