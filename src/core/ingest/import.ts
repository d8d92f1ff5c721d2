// What an import stores with and how it stores a chunk, for the background job (import-job.ts):
// the one way a file is imported, from the UI, the CLI and the tests alike.
import type { IngestReject, IngestWarning } from '../../shared/schemas';
import { renderText, type ErrorLang } from '../../shared/errors';
import type { EventBus } from '../api/events';
import type { Logger } from '../platform';
import type { ImportReportsRepo } from '../store/import-reports-repo';
import type { IngestPipeline } from './pipeline';

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

/**
 * Stores one chunk of an import (records in published order) and adds its refusals and
 * warnings to the lists, each at its line of the file.
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
