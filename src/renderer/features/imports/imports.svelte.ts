// Import screen state: read a picked file as text, send it, keep the report and the history.
import type { VedettaApi } from '../../../shared/contract';
import { LIMITS, type ImportFormat, type ImportReport } from '../../../shared/schemas';
import { listen } from '../../lib/events';

export type ImportProblem =
  | { kind: 'too-large'; size: number; max: number }
  | { kind: 'unknown-format' }
  | { kind: 'failed'; message: string };

export function formatOf(fileName: string): ImportFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

export class ImportStore {
  reports = $state.raw<ImportReport[]>([]);
  current = $state.raw<ImportReport | null>(null);
  busy = $state<{ phase: 'reading' | 'sending'; name: string } | null>(null);
  problem = $state.raw<ImportProblem | null>(null);

  #api: VedettaApi;
  #off: () => void;

  constructor(api: VedettaApi) {
    this.#api = api;
    this.#off = listen(api, { 'import.finished': () => void this.refresh() });
  }

  dispose(): void {
    this.#off();
  }

  async refresh(): Promise<void> {
    try {
      this.reports = await this.#api.call('import.reports', {});
    } catch {
      /* history is secondary; the current report stays */
    }
  }

  async importFile(file: File): Promise<void> {
    this.problem = null;
    const format = formatOf(file.name);
    if (!format) {
      this.problem = { kind: 'unknown-format' };
      return;
    }
    if (file.size > LIMITS.importFileBytes) {
      this.problem = { kind: 'too-large', size: file.size, max: LIMITS.importFileBytes };
      return;
    }
    try {
      this.busy = { phase: 'reading', name: file.name };
      const content = await file.text();
      this.busy = { phase: 'sending', name: file.name };
      this.current = await this.#api.call('import.file', { fileName: file.name, format, content });
      await this.refresh();
    } catch (e) {
      this.problem = { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
    } finally {
      this.busy = null;
    }
  }

  show(report: ImportReport): void {
    this.current = report;
  }
}
