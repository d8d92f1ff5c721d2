// Over 400 lines (~455): the job's phases (read, store, cancel, resume, report) share one
// state and one report; split, each half would need the other's internals.
// An import as a background job: a worker thread reads, decodes and parses the file
// (import-worker.ts) while this thread stores its records through the pipeline, a small
// chunk at a time, giving the event loop back between chunks (setImmediate) so the UI and
// the webhooks keep answering. Progress (rows, bytes, ETA) is an event; cancel is a call;
// the end is a stored report.
//
// What is stored when: nothing while the file is read. A file the worker refuses (binary,
// empty, a CSV row that cannot be read without "store the good rows") stores nothing. Then
// the records are stored in published order; a cancel during that phase stops at the next
// chunk boundary: the chunks already stored stay (each is one transaction, never half
// stored), they are the file's mentions published up to a time the report names, and
// importing the same file again stores the rest and nothing twice.
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-thread';
import { renderText } from '../../shared/errors';
import { ApiError } from '../../shared/contract';
import { importEncodingOf } from './formats/decode';
import { LIMITS, type ImportFormat, type ImportProgress, type ImportReport, type IngestReject, type IngestWarning } from '../../shared/schemas';
import { REJECTS_LISTED_MAX, savedUpTo, storeChunk, type ImportDeps } from './import';
import { OffThreadCheckpoints } from '../store/checkpoint-thread';
import type { Db } from '../store/db';
import type { FromWorker, ReadSummary, SpooledRecord, ToWorker, WorkerInput } from './import-read';
import { yieldTurn } from '../event-loop';

export interface ImportJobRequest {
  /** The file to read (the CLI's path, or an upload's temporary file). */
  path: string;
  fileName: string;
  format?: ImportFormat;
  encoding?: string | null;
  keepGoodRows?: boolean;
  /** Delete `path` when the job ends (an upload). */
  removeFile?: boolean;
}

export interface ImportJob {
  id: string;
  done: Promise<ImportReport>;
}

/** Records per message from the worker, and how many may wait here. */
const WORKER_BATCH = 1_000;
const AHEAD = 3;
/** Chunk sizes stored between two turns of the event loop: adapted to take ~TURN_MS. */
const TURN_MS = 8;
const CHUNK_MIN = 10;
const CHUNK_MAX = 1_000;

/**
 * The worker's heap. Its garbage is short-lived (a line's text and record, gone once spooled),
 * so a small young generation is collected often and cheaply: on a 60 MiB JSONL import the
 * process grew by 245 MiB with 64 MiB of young generation and by 153 MiB with 8. The old
 * generation holds the spool's index (~20 bytes a record: ~40 MiB for the largest file of
 * short mentions) and a `.json` array, which is one document read whole: the cap makes a
 * document too large for memory a clear refusal ("save it as JSONL"), not a process that
 * grows by gigabytes.
 */
export const WORKER_HEAP = { youngMb: 8, oldMb: 256 } as const;

function startImportWorker(input: WorkerInput, oldMb: number): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_HEAP.youngMb, maxOldGenerationSizeMb: oldMb };
  return startWorker({ from: import.meta.url, source: './import-worker.ts', bundled: 'import-worker', workerData: input, resourceLimits });
}

interface Running {
  worker: Worker;
  cancel(): void;
}

export class ImportJobs {
  readonly #running = new Map<string, Running>();
  readonly #dir: string;
  #closing = false;

  constructor(
    private readonly deps: ImportDeps & { dataDir: string; db: Db; workerHeapMb?: number },
  ) {
    this.#dir = join(deps.dataDir, 'imports');
    mkdirSync(this.#dir, { recursive: true });
    // Uploads and spools of a run that ended without finishing them (no job survives a restart).
    for (const f of readdirSync(this.#dir)) rmSync(join(this.#dir, f), { force: true });
  }

  /** The folder uploads are written to. */
  get folder(): string {
    return this.#dir;
  }

  running(): number {
    return this.#running.size;
  }

  cancel(id: string): boolean {
    const job = this.#running.get(id);
    if (!job) return false;
    job.cancel();
    return true;
  }

  /**
   * At close, before the database closes: every job stops at its next chunk boundary and
   * its promise rejects (app.closing); the chunks stored stay, as for a cancel.
   */
  stopAll(): void {
    this.#closing = true;
    for (const j of this.#running.values()) {
      j.cancel();
      void j.worker.terminate().catch(() => 0);
    }
  }

  start(req: ImportJobRequest): ImportJob {
    if (this.#closing) throw new ApiError('app.closing');
    const id = randomUUID();
    const done = this.#run(id, req);
    return { id, done };
  }

  async #run(id: string, req: ImportJobRequest): Promise<ImportReport> {
    const { deps } = this;
    const at = deps.now();
    const lang = deps.lang?.() ?? 'it';
    const spoolPath = join(this.#dir, `${id}.spool`);
    const totalBytes = statSync(req.path).size;
    const fallbackFormat: ImportFormat = req.format ?? (/\.(csv|tsv|txt)$/i.test(req.fileName) ? 'csv' : 'jsonl');
    const started = performance.now();

    const finish = (r: Omit<ImportReport, 'id' | 'at'>): ImportReport => {
      if (this.#closing) throw new ApiError('app.closing');
      const report = deps.reports.insert({ ...r, at });
      deps.events.emit('import.finished', report);
      this.#progress({ jobId: id, fileName: req.fileName, phase: 'done', bytes: totalBytes, totalBytes, rows: r.lines, stored: r.accepted + r.duplicates, total: r.lines, etaSeconds: 0, reportId: report.id });
      return report;
    };

    if (totalBytes > LIMITS.importFileBytes) {
      return finish({
        fileName: req.fileName, format: fallbackFormat, lines: 0, accepted: 0, duplicates: 0, rejected: [], warnings: [], encoding: null, repairedLines: 0, cancelled: false,
        error: renderText('import.tooLarge', { mib: Math.round(LIMITS.importFileBytes / 1024 / 1024) }, lang),
      });
    }

    const input: WorkerInput = {
      path: req.path, fileName: req.fileName, ...(req.format ? { format: req.format } : {}), encoding: req.encoding ?? null,
      keepGoodRows: req.keepGoodRows === true, lang, at, spoolPath, totalBytes, batch: WORKER_BATCH,
    };
    const oldMb = deps.workerHeapMb ?? WORKER_HEAP.oldMb;
    const worker = startImportWorker(input, oldMb);
    const tell = (m: ToWorker): void => worker.postMessage(m);

    let summary = null as ReadSummary | null;
    let encodingSeen: string | null = null;
    let cancelled = false;
    let ended = false;
    let failure: string | null = null;
    let accepted = 0;
    let duplicates = 0;
    let storeError: string | null = null;
    let stored = 0;
    let lastStoredAt = at;
    let asked = 0;
    const rejected: IngestReject[] = [];
    const warnings: IngestWarning[] = [];
    let rejectedTotal = 0;
    const buffer: SpooledRecord[] = [];
    let chunkSize = 100;
    let storingSince = 0;
    let lastProgress = 0;
    let wake: (() => void) | null = null;
    const poke = (): void => {
      wake?.();
      wake = null;
    };
    // At most AHEAD batches asked for or waiting here: memory stays a few thousand records.
    const topUp = (): void => {
      while (summary && !ended && asked < AHEAD && buffer.length + asked * WORKER_BATCH < AHEAD * WORKER_BATCH) {
        asked++;
        tell({ type: 'more' });
      }
    };
    const keepBounded = <T extends { line?: number }>(list: T[]): void => {
      if (list.length < 2 * REJECTS_LISTED_MAX) return;
      list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      list.length = REJECTS_LISTED_MAX;
    };

    this.#running.set(id, {
      worker,
      cancel: () => {
        cancelled = true;
        tell({ type: 'cancel' });
        poke();
      },
    });

    worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'encoding':
          // Known before the end: a report cancelled while reading still says it.
          encodingSeen = m.encoding;
          break;
        case 'progress':
          this.#progress({ jobId: id, fileName: req.fileName, phase: 'reading', bytes: m.bytes, totalBytes, rows: m.rows, stored: 0, total: 0, etaSeconds: eta(started, m.bytes, totalBytes), reportId: null });
          break;
        case 'read':
          summary = m.summary;
          storingSince = performance.now();
          topUp();
          break;
        case 'batch':
          for (const r of m.records) buffer.push(r);
          asked--;
          break;
        case 'failed':
          failure = m.outcome.error;
          summary = { format: m.outcome.format, encoding: m.outcome.encoding ?? '', repairedLines: m.outcome.repairedLines, lines: m.outcome.lines, rejected: [], rejectedCount: 0, count: 0, sorted: true };
          ended = true;
          break;
        case 'end':
        case 'cancelled':
          ended = true;
          break;
        case 'crashed':
          deps.logger.error('import: worker failed', { fileName: req.fileName, error: m.message });
          failure = renderText('import.readFailed', { reason: m.message }, lang);
          ended = true;
          break;
      }
      poke();
    });
    worker.on('error', (e: Error & { code?: string }) => {
      deps.logger.error('import: worker failed', { fileName: req.fileName, error: e.message });
      failure ??= e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? renderText('import.tooBigToRead', { mib: oldMb }, lang) : renderText('import.readFailed', { reason: e.message }, lang);
      ended = true;
      poke();
    });
    worker.on('exit', () => {
      ended = true;
      poke();
    });

    let checkpoints: OffThreadCheckpoints | null = null;
    try {
      // The WAL is copied back on a thread of its own while the storing pauses
      // (checkpoint-thread.ts). Made inside the try: if it cannot start, the reader still ends.
      checkpoints = new OffThreadCheckpoints(deps.db);
      // Store as records arrive: a chunk never splits the mentions of one published time
      // (they are judged together), see import.ts.
      for (;;) {
        if (cancelled || failure || storeError) break;
        if (checkpoints.due) {
          await checkpoints.checkpoint();
          continue;
        }
        let end = Math.min(buffer.length, chunkSize);
        while (end < buffer.length && end < 2 * LIMITS.batchMax && buffer[end]!.t === buffer[end - 1]!.t) end++;
        const complete = end < buffer.length || (ended && end > 0) || end >= 2 * LIMITS.batchMax;
        if (!complete) {
          if (ended && buffer.length === 0) break;
          topUp();
          await new Promise<void>((r) => (wake = r));
          continue;
        }
        const chunk = buffer.splice(0, end);
        const t0 = performance.now();
        try {
          const res = storeChunk(deps.pipeline, chunk, rejected, warnings);
          accepted += res.accepted;
          duplicates += res.duplicates;
          rejectedTotal += res.rejected;
          keepBounded(rejected);
          keepBounded(warnings);
        } catch (err) {
          deps.logger.error('import: batch failed', { fileName: req.fileName, error: err instanceof Error ? err.message : String(err) });
          storeError = savedUpTo(chunk[0]!.t, stored > 0, lang);
          break;
        }
        stored += chunk.length;
        lastStoredAt = chunk[chunk.length - 1]!.t;
        const took = performance.now() - t0;
        chunkSize = Math.max(CHUNK_MIN, Math.min(CHUNK_MAX, Math.round(chunkSize * (TURN_MS / Math.max(took, 1)))));
        if (performance.now() - lastProgress > 250) {
          lastProgress = performance.now();
          const total = summary?.count ?? 0;
          this.#progress({ jobId: id, fileName: req.fileName, phase: 'storing', bytes: totalBytes, totalBytes, rows: summary?.lines ?? 0, stored, total, etaSeconds: eta(storingSince, stored, total), reportId: null });
        }
        topUp();
        // The event loop's turn: sockets, timers, the webhook.
        await yieldTurn();
      }
    } finally {
      await checkpoints?.stop();
      this.#running.delete(id);
      tell({ type: 'cancel' });
      await worker.terminate().catch(() => 0);
      rmSync(spoolPath, { force: true });
      if (req.removeFile) rmSync(req.path, { force: true });
    }

    const s: ReadSummary = summary ?? { format: fallbackFormat, encoding: '', repairedLines: 0, lines: 0, rejected: [], rejectedCount: 0, count: 0, sorted: true };
    const all = [...s.rejected, ...rejected].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const rejectedCount = s.rejectedCount + rejectedTotal;
    let error = failure ?? storeError;
    if (!error && cancelled) {
      error = stored > 0
        ? renderText('import.cancelledAfter', { n: stored, when: new Date(lastStoredAt).toISOString().slice(0, 16).replace('T', ' ') }, lang)
        : renderText('import.cancelledNone', {}, lang);
    }
    if (!error && rejectedCount > REJECTS_LISTED_MAX) error = renderText('import.manyRejected', { n: rejectedCount, max: REJECTS_LISTED_MAX }, lang);
    return finish({
      fileName: req.fileName,
      format: s.format,
      lines: s.lines,
      accepted,
      duplicates,
      rejected: all.slice(0, REJECTS_LISTED_MAX),
      warnings: warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)).slice(0, REJECTS_LISTED_MAX),
      error,
      encoding: s.encoding || encodingSeen,
      repairedLines: s.repairedLines,
      cancelled: cancelled && !failure,
    });
  }

  #progress(p: ImportProgress): void {
    this.deps.events.emit('import.progress', p);
  }
}

/** Seconds left at the rate so far; null until there is a rate. */
function eta(since: number, done: number, total: number): number | null {
  const elapsed = (performance.now() - since) / 1000;
  if (done <= 0 || total <= 0 || elapsed <= 0) return null;
  return Math.max(0, Math.round((elapsed / done) * (total - done)));
}

interface Upload {
  path: string;
  fd: number;
  fileName: string;
  size: number;
  received: number;
  format?: ImportFormat;
  encoding: string | null;
  keepGoodRows: boolean;
}

/**
 * Files sent from the UI in pieces, written to a temporary file in the data folder (the
 * import then streams it like the CLI streams its path). Each piece is checked in order.
 */
export class ImportUploads {
  readonly #open = new Map<string, Upload>();

  constructor(private readonly jobs: ImportJobs) {}

  begin(i: { fileName: string; size: number; format?: ImportFormat; encoding?: string; keepGoodRows?: boolean }): { uploadId: string } {
    const encoding = i.encoding === undefined ? null : importEncodingOf(i.encoding);
    if (i.encoding !== undefined && !encoding) throw new ApiError('import.badEncoding', { value: i.encoding });
    const uploadId = randomUUID();
    const path = join(this.jobs.folder, `${uploadId}.upload`);
    const fd = openSync(path, 'w', 0o600);
    this.#open.set(uploadId, { path, fd, fileName: i.fileName, size: i.size, received: 0, ...(i.format ? { format: i.format } : {}), encoding, keepGoodRows: i.keepGoodRows === true });
    return { uploadId };
  }

  chunk(uploadId: string, offset: number, data: string): { received: number } {
    const u = this.#get(uploadId);
    if (offset !== u.received) throw new ApiError('import.uploadOrder', { expected: u.received, got: offset });
    const bytes = Buffer.from(data, 'base64');
    if (u.received + bytes.length > u.size) {
      this.#drop(uploadId);
      throw new ApiError('import.uploadIncomplete', { received: u.received + bytes.length, size: u.size });
    }
    writeSync(u.fd, bytes);
    u.received += bytes.length;
    return { received: u.received };
  }

  end(uploadId: string): { jobId: string; fileName: string; done: Promise<ImportReport> } {
    const u = this.#get(uploadId);
    this.#open.delete(uploadId);
    closeSync(u.fd);
    if (u.received !== u.size) {
      rmSync(u.path, { force: true });
      throw new ApiError('import.uploadIncomplete', { received: u.received, size: u.size });
    }
    const job = this.jobs.start({
      path: u.path, fileName: u.fileName, ...(u.format ? { format: u.format } : {}), encoding: u.encoding, keepGoodRows: u.keepGoodRows, removeFile: true,
    });
    return { jobId: job.id, fileName: u.fileName, done: job.done };
  }

  /** At close: uploads left open are dropped. */
  closeAll(): void {
    for (const id of [...this.#open.keys()]) this.#drop(id);
  }

  #get(uploadId: string): Upload {
    const u = this.#open.get(uploadId);
    if (!u) throw new ApiError('import.uploadUnknown');
    return u;
  }

  #drop(uploadId: string): void {
    const u = this.#open.get(uploadId);
    if (!u) return;
    this.#open.delete(uploadId);
    closeSync(u.fd);
    rmSync(u.path, { force: true });
  }
}
