// Import of a JSONL/CSV file's text: parse (pure, in ingest) → the pipeline in batches →
// a stored report listing every refused line and why.
import { formatFromFileName, parseImportFile } from '../../ingest/import';
import { LIMITS, type ImportFormat, type ImportReport, type IngestReject } from '../../shared/schemas';
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
}

export function importText(deps: ImportDeps, fileName: string, content: string, format?: ImportFormat): ImportReport {
  const at = deps.now();
  const finish = (r: Omit<ImportReport, 'id' | 'at'>): ImportReport => {
    const report = deps.reports.insert({ ...r, at });
    deps.events.emit('import.finished', report);
    return report;
  };

  if (content.length > LIMITS.importFileBytes) {
    return finish({
      fileName, format: format ?? formatFromFileName(fileName) ?? 'jsonl', lines: 0, accepted: 0, duplicates: 0, rejected: [],
      error: `Il file supera il limite di ${Math.round(LIMITS.importFileBytes / 1024 / 1024)} MiB: dividilo in parti più piccole.`,
    });
  }

  const parsed = parseImportFile(fileName, content, format);
  if (parsed.error) {
    return finish({ fileName, format: parsed.format, lines: parsed.lines, accepted: 0, duplicates: 0, rejected: [], error: parsed.error });
  }

  let accepted = 0;
  let duplicates = 0;
  let error: string | null = null;
  const rejected: IngestReject[] = [...parsed.rejected];
  for (let i = 0; i < parsed.records.length; i += LIMITS.batchMax) {
    const chunk = parsed.records.slice(i, i + LIMITS.batchMax);
    try {
      const res = deps.pipeline.ingest(chunk.map((r) => r.value), 'import', { lines: chunk.map((r) => r.line) });
      accepted += res.accepted;
      duplicates += res.duplicates;
      for (const rej of res.rejected) {
        const rec = chunk[rej.index];
        rejected.push({ index: rec?.index ?? rej.index, line: rec?.line ?? rej.line, reason: rej.reason });
      }
    } catch (err) {
      deps.logger.error('import: batch failed', { fileName, error: err instanceof Error ? err.message : String(err) });
      const firstLine = chunk[0]?.line ?? 0;
      error =
        `Salvataggio interrotto alla riga ${firstLine}: ${accepted > 0 ? 'le righe precedenti sono state salvate, ' : ''}` +
        'le successive no. Riprova: le righe già salvate non verranno duplicate.';
      break;
    }
  }
  rejected.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (rejected.length > REJECTS_LISTED_MAX && !error) {
    error = `Scartate ${rejected.length} righe: qui sono elencate le prime ${REJECTS_LISTED_MAX}. Controlla che il file sia nel formato giusto.`;
  }
  return finish({
    fileName,
    format: parsed.format,
    lines: parsed.lines,
    accepted,
    duplicates,
    rejected: rejected.slice(0, REJECTS_LISTED_MAX),
    error,
  });
}
