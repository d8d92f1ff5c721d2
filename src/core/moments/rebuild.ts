// The rebuild: every count and moment recomputed from the stored mentions, after a settings or
// perimeter change, a late archive, a failed batch, or at the first start over mentions stored
// before moments existed. It clears the moments' tables and reads the mentions back in stream
// order through the same steps as live tracking (steps.ts), in slices of a few milliseconds,
// each its own transaction, giving the thread back between them so no request waits long.
import { isFutureDated } from '../../shared/clock';
import type { Logger } from '../platform';
import type { PerimetersService } from '../perimeters';
import { OffThreadCheckpoints } from '../store/checkpoint-thread';
import type { Db } from '../store/db';
import type { MentionInsert } from '../store/mentions-repo';
import type { MomentsRepo, TrackedRow } from '../store/moments-repo';
import { rowToItem } from './items';
import type { MomentKeys } from './keys';
import type { MomentsMemory } from './memory';
import type { StreamSteps } from './steps';
import { yieldTurn } from '../event-loop';

/**
 * A rebuild gives the thread back at least this often (elapsed time, not a row count: a
 * slice of long mentions costs more than one of short ones, and the machine may be busy), so
 * no request waits behind it for much longer: the bound is 100 ms.
 */
const REBUILD_YIELD_MS = 10;
/** What one slice (one transaction) of a rebuild aims to take; its row count adapts to it. */
const REBUILD_SLICE_MS = 8;

export interface RebuildDeps {
  db: Db;
  perimeters: PerimetersService;
  logger: Logger;
  /** Runs `f` later (tests may pass a synchronous scheduler). */
  defer: (f: () => void, ms: number) => void;
  /** Elapsed milliseconds, to slice a rebuild by time. */
  clock: () => number;
  /** Tells the listeners that the moments were recomputed. */
  rebuilt: () => void;
}

export class Rebuild {
  /** How the last rebuild was sliced (the bench and tests read it). */
  readonly stats = { slices: 0, yields: 0, rows: 0, longestSliceMs: 0, longestSliceCpuMs: 0 };
  private rebuilding: Promise<void> | null = null;
  /** Whether mentions stored now are the rebuild's to track (live tracking waits). */
  private scanning = false;
  private rebuildAgain = false;
  private timer = false;
  /** Where a running rebuild has read up to, in stream order (published_at, id). */
  private cursor: { at: number; id: number } | null = null;
  /** Mentions stored during a rebuild behind its cursor: the scan will not meet them again. */
  private late: number[] = [];

  constructor(
    private readonly deps: RebuildDeps,
    private readonly mem: MomentsMemory,
    private readonly repo: MomentsRepo,
    private readonly keys: MomentKeys,
    private readonly steps: StreamSteps,
  ) {}

  /**
   * Whether a rebuild is reading the stored mentions: one stored now is its to track. False
   * from the turn its scan read nothing more, even while the rebuild itself winds down.
   */
  get running(): boolean {
    return this.scanning;
  }

  /** Whether a rebuild is running or scheduled (tests wait on it). */
  get busy(): boolean {
    return this.rebuilding !== null || this.timer;
  }

  /** Resolves when no rebuild is running or scheduled. */
  async idle(): Promise<void> {
    while (this.busy) {
      if (this.rebuilding) await this.rebuilding;
      else await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The running rebuild may have read stale data: it runs once more when it ends. */
  again(): void {
    this.rebuildAgain = true;
  }

  /**
   * A rebuild nobody waits for. A failure is logged rather than left an unhandled rejection,
   * which would end the server or desktop process: the stored mentions are intact and the next
   * edit, correction or start rebuilds again.
   */
  inBackground(): void {
    this.run().catch((e: unknown) => {
      this.deps.logger.error('momenti: ricalcolo non riuscito', { error: e instanceof Error ? e.message : String(e) });
    });
  }

  /** A rebuild once the perimeters' re-match (which it reads) has finished. */
  schedule(): void {
    if (this.timer) return;
    this.timer = true;
    const attempt = (): void => {
      if (this.mem.stopped) {
        this.timer = false;
        return;
      }
      if (this.deps.perimeters.busy) {
        this.deps.defer(attempt, 250);
        return;
      }
      this.timer = false;
      this.inBackground();
    };
    this.deps.defer(attempt, 300);
  }

  /** Recomputes every count and moment from the stored mentions, in slices. */
  run(): Promise<void> {
    if (this.rebuilding) {
      this.rebuildAgain = true;
      return this.rebuilding;
    }
    this.scanning = true;
    this.rebuilding = (async () => {
      // The clear and the scan write millions of rows: a commit that crossed the WAL mark held
      // the thread for 100–300 ms copying them back, so the copies are made on another thread.
      const checkpoints = new OffThreadCheckpoints(this.deps.db, this.deps.clock);
      try {
        do {
          this.rebuildAgain = false;
          this.scanning = true;
          await this.once(checkpoints);
        } while (this.rebuildAgain && !this.mem.stopped);
      } finally {
        this.scanning = false;
        // Not awaited: the rebuild ends with its scan. Live tracking resumes only when it has
        // ended, and a mention stored while the last copy was awaited here was neither read
        // by the scan nor tracked live: it was lost to the moments.
        void checkpoints.stop();
      }
    })().finally(() => {
      this.rebuilding = null;
      if (!this.mem.stopped) this.deps.rebuilt();
    });
    return this.rebuilding;
  }

  /** Mentions stored while a rebuild runs: those behind its scan are tracked by it as late items. */
  noteDuring(rows: readonly { id: number; row: MentionInsert }[]): void {
    const c = this.cursor;
    // Before the scan starts (while clearing) everything lies ahead of it.
    if (!c) return;
    for (const { id, row } of rows) if (row.publishedAt < c.at || (row.publishedAt === c.at && id <= c.id)) this.late.push(id);
  }

  /**
   * One rebuild, in slices of about REBUILD_SLICE_MS (one transaction each, sized by how long
   * the last one took), giving the thread back whenever REBUILD_YIELD_MS have passed since it
   * last did: clearing the old moments and counts, then reading the mentions back in stream
   * order. Mentions stored meanwhile are tracked by the scan when they lie ahead of it (it reads
   * them in turn), or as late items right away when they lie behind it.
   */
  private async once(checkpoints: OffThreadCheckpoints): Promise<void> {
    this.keys.forget();
    this.cursor = null;
    this.late = [];
    const stats = this.stats;
    Object.assign(stats, { slices: 0, yields: 0, rows: 0, longestSliceMs: 0, longestSliceCpuMs: 0 });
    let lastYield = this.deps.clock();
    /** How long the last slice's work took (not counting the yield after it). */
    let lastMs = 0;
    const slice = async <T>(work: () => T): Promise<T> => {
      const t0 = this.deps.clock();
      const cpu0 = process.cpuUsage();
      const out = work();
      const t1 = this.deps.clock();
      const cpu = process.cpuUsage(cpu0);
      lastMs = t1 - t0;
      stats.slices++;
      stats.longestSliceMs = Math.max(stats.longestSliceMs, t1 - t0);
      stats.longestSliceCpuMs = Math.max(stats.longestSliceCpuMs, (cpu.user + cpu.system) / 1000);
      if (checkpoints.due) {
        // Between two transactions, and the thread is free while the WAL is copied back.
        stats.yields++;
        await checkpoints.checkpoint();
        lastYield = this.deps.clock();
      } else if (t1 - lastYield >= REBUILD_YIELD_MS) {
        stats.yields++;
        await yieldTurn();
        lastYield = this.deps.clock();
      }
      return out;
    };
    /**
     * Rows for the next slice so it takes about REBUILD_SLICE_MS, from what the last one cost;
     * at most twice as many: a slice that was cheap by chance (no new window, no prune) must
     * not size the next one that meets them.
     */
    const size = (rows: number, ms: number, min: number, max: number): number =>
      Math.max(min, Math.min(max, 2 * rows, Math.round((rows * REBUILD_SLICE_MS) / Math.max(ms, 0.5))));
    const clearTx = this.deps.db.transaction((limit: number) => this.repo.clearSome(limit));
    let limit = 2_000;
    for (;;) {
      if (this.mem.stopped) return;
      if (await slice(() => clearTx(limit))) break;
      limit = size(limit, lastMs, 200, 50_000);
    }
    this.mem.load();
    this.cursor = { at: Number.MIN_SAFE_INTEGER, id: 0 };
    let rows = 100;
    for (;;) {
      if (this.mem.stopped) return;
      const late = this.late.splice(0, rows);
      if (late.length > 0) {
        await slice(() => this.steps.process(late.map((x) => this.repo.tracked(x)).filter((r): r is TrackedRow => r !== null && !isFutureDated(r.published_at, r.fetched_at)).map(rowToItem), false));
        continue;
      }
      // The cursor moves, and the scan hands over to live tracking, in the same turn as the
      // read: a mention stored in the turn given back after a slice is then either behind the
      // cursor (a late item), ahead of it (the next read), or tracked live.
      const read = await slice(() => {
        const c = this.cursor!;
        let batch = this.repo.scan(c.at, c.id, Number.MIN_SAFE_INTEGER, rows);
        if (batch.length === 0 && this.late.length === 0) {
          this.scanning = false;
          return 0;
        }
        // A slice ends before the mentions of its last published time, which the next one reads
        // whole: a published time is judged once, with all its mentions (see StreamSteps).
        const lastAt = batch[batch.length - 1]?.published_at;
        if (batch.length === rows && batch[0]!.published_at !== lastAt) batch = batch.filter((r) => r.published_at !== lastAt);
        const last = batch[batch.length - 1];
        if (last) this.cursor = { at: last.published_at, id: last.id };
        if (batch.length > 0) this.steps.process(batch.filter((r) => !isFutureDated(r.published_at, r.fetched_at)).map(rowToItem), false);
        return batch.length;
      });
      if (!this.scanning) break;
      stats.rows += read;
      if (read > 0) rows = size(rows, lastMs, 20, 5_000);
    }
    this.cursor = null;
  }
}
