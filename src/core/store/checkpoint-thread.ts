// Checkpoints off the main thread for long writers (an import, a moments rebuild). A commit that
// crosses the WAL mark copies every waiting page back and fsyncs inside the commit, on the thread
// that commits: 30–300 ms on a busy disk, a stall every request waits behind. While a long
// writer runs, the main connection's automatic checkpoints are off; every CHECKPOINT_EVERY_MS
// the writer pauses between two transactions (the event loop stays free) while a worker thread
// copies the WAL back on its own connection. With no write in between the copy is complete, so
// the next commit restarts the log and the WAL stays small.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-thread';
import type { Db } from './db';

export const CHECKPOINT_EVERY_MS = 2_000;

/**
 * Long writers holding the automatic checkpoints off, per connection (an import and a rebuild
 * may overlap), and the mark to put back when the last one stops.
 */
const holders = new WeakMap<Db, { count: number; pages: number }>();

export class OffThreadCheckpoints {
  #worker: Worker | null;
  #last: number;
  #waiting: (() => void) | null = null;
  #released = false;

  /** Turns the connection's automatic checkpoints off until `stop()`; an in-memory store has no WAL. */
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.#last = clock();
    // Started first: a thread that cannot start leaves the connection as it was.
    this.#worker = db.memory ? null : startWorker({ from: import.meta.url, source: './checkpoint-worker.ts', bundled: 'checkpoint-worker', workerData: { dbFile: db.name } });
    const held = holders.get(db);
    if (held) held.count++;
    else holders.set(db, { count: 1, pages: db.pragma('wal_autocheckpoint', { simple: true }) as number });
    db.pragma('wal_autocheckpoint = 0');
    const gone = (): void => {
      this.#worker = null;
      this.#wake();
      // A thread lost mid-run: the connection checkpoints on its own again rather than let
      // the WAL grow for the rest of the writer's run.
      const mark = holders.get(db)?.pages;
      if (!this.#released && mark !== undefined && db.open) db.pragma(`wal_autocheckpoint = ${mark}`);
    };
    this.#worker?.on('message', () => {
      this.#worker?.unref();
      this.#wake();
    });
    this.#worker?.on('error', gone);
    this.#worker?.on('exit', gone);
    // Idle, the thread keeps no process alive; a checkpoint being waited for does (ref below).
    this.#worker?.unref();
  }

  /** Whether the writer should pause for a checkpoint now. */
  get due(): boolean {
    return this.#worker !== null && this.clock() - this.#last >= CHECKPOINT_EVERY_MS;
  }

  /** Copies the WAL back on the worker; resolves when it is done (or the thread is gone). */
  checkpoint(): Promise<void> {
    this.#last = this.clock();
    const w = this.#worker;
    if (!w) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#waiting = resolve;
      w.ref();
      w.postMessage('checkpoint');
    });
  }

  /**
   * A last checkpoint (the WAL the writer left must not be copied by the next ordinary commit,
   * on the main thread), then the connection's mark back once no other writer holds it off.
   */
  async stop(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    if (this.db.open) await this.checkpoint();
    const w = this.#worker;
    this.#worker = null;
    this.#wake();
    if (w) await w.terminate().catch(() => 0);
    const held = holders.get(this.db);
    if (held && --held.count === 0) {
      holders.delete(this.db);
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${held.pages}`);
    }
  }

  #wake(): void {
    const w = this.#waiting;
    this.#waiting = null;
    w?.();
  }
}
