// Import screen state: a picked file is sent in pieces (import.begin / chunk / end) and read in
// the background by the app; progress comes as import.progress events, the report as
// import.finished. Nothing of the file is decoded here: the app decides the encoding.
import type { VedettaApi } from '../../../shared/contract';
import { LIMITS, type ImportFormat, type ImportProgress, type ImportReport } from '../../../shared/schemas';
import { listen } from '../../lib/events';

export type ImportProblem =
  | { kind: 'too-large'; size: number; max: number }
  | { kind: 'unknown-format' }
  | { kind: 'failed'; message: string };

/** Where the current import is: sending the file, or the app's progress of its job. */
export type ImportBusy =
  | { phase: 'sending'; name: string; sent: number; size: number }
  | { phase: 'reading' | 'storing'; name: string; jobId: string; progress: ImportProgress | null };

export function formatOf(fileName: string): ImportFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

/** Base64 of bytes, in slices (fromCharCode takes arguments, and engines limit how many). */
function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(s);
}

export class ImportStore {
  reports = $state.raw<ImportReport[]>([]);
  current = $state.raw<ImportReport | null>(null);
  busy = $state.raw<ImportBusy | null>(null);
  problem = $state.raw<ImportProblem | null>(null);
  /** Store the good rows of a CSV with unreadable ones (else such a file is refused whole). */
  keepGoodRows = $state(false);

  #api: VedettaApi;
  #off: () => void;
  #stopSending = false;

  constructor(api: VedettaApi) {
    this.#api = api;
    this.#off = listen(api, {
      'import.finished': () => void this.refresh(),
      'import.progress': (p) => this.#onProgress(p),
    });
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
    this.#stopSending = false;
    try {
      this.busy = { phase: 'sending', name: file.name, sent: 0, size: file.size };
      const { uploadId } = await this.#api.call('import.begin', { fileName: file.name, size: file.size, format, keepGoodRows: this.keepGoodRows });
      for (let offset = 0; offset < file.size; ) {
        if (this.#stopSending) {
          this.busy = null;
          return;
        }
        const bytes = new Uint8Array(await file.slice(offset, offset + LIMITS.importChunkBytes).arrayBuffer());
        const { received } = await this.#api.call('import.chunk', { uploadId, offset, data: base64(bytes) });
        offset = received;
        this.busy = { phase: 'sending', name: file.name, sent: received, size: file.size };
      }
      const { jobId } = await this.#api.call('import.end', { uploadId });
      // Progress events may have come before this answer (a small file may even be done):
      // only a screen still showing the sending moves on to reading.
      const b = this.busy as ImportBusy | null;
      if (b?.phase === 'sending') this.busy = { phase: 'reading', name: file.name, jobId, progress: null };
    } catch (e) {
      this.problem = { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
      this.busy = null;
    }
  }

  /** Stops sending, or asks the app to stop the import (what is stored stays: see the README). */
  async cancel(): Promise<void> {
    const b = this.busy;
    if (!b) return;
    if (b.phase === 'sending') {
      this.#stopSending = true;
      return;
    }
    try {
      await this.#api.call('import.cancel', { jobId: b.jobId });
    } catch (e) {
      this.problem = { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
  }

  show(report: ImportReport): void {
    this.current = report;
  }

  #onProgress(p: ImportProgress): void {
    const b = this.busy;
    // Another window's import is not this screen's.
    if (!b || b.name !== p.fileName || (b.phase !== 'sending' && b.jobId !== p.jobId)) return;
    if (p.phase === 'done') {
      this.busy = null;
      void this.#showReport(p.reportId);
      return;
    }
    this.busy = { phase: p.phase, name: p.fileName, jobId: p.jobId, progress: p };
  }

  async #showReport(id: number | null): Promise<void> {
    await this.refresh();
    const r = this.reports.find((x) => x.id === id);
    if (r) this.current = r;
  }
}
