// Plays a recorded stream with its original timing divided by a speed factor. Time is
// injected (clock + interval timer), so tests run it instantly and the app on wall time.
// The speed paces delivery only: the items keep their recorded published times (or all move
// by one constant, see ReplayOptions.times), never squeezed by the speed, so moments measured
// in published time find at 100× what they find at 1× and what an import of the file finds.
// A single coarse timer flushes everything due at each tick: at 1,000 items/s that is a
// handful of batches a second, not a timer per item.
import { readFile } from 'node:fs/promises';
import type { ReplayState } from '../../../shared/schemas';
import { renderText } from '../../../shared/errors';

export interface ReplayClock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemClock: ReplayClock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

export type StreamItem = Record<string, unknown>;

/**
 * The published times a replay gives its items. 'recorded': the file's own. 'startNow': all
 * shifted so the first item is dated now (the demo, which unfolds as if it were happening).
 * 'endNow': all shifted so the last item is dated when the replay delivers it, at its end —
 * a recorded crisis replayed with --shift-to-now then ends in the present, as if it had just
 * happened, and no item is ever dated after the moment it arrives, whatever the speed (at 1×
 * every item is dated exactly when it arrives; below 1× the first one is; a pace raised
 * mid-run holds an item back until its date).
 */
export type ReplayTimes = 'recorded' | 'startNow' | 'endNow';

export interface ReplayItem {
  /** Original publication time, ms. */
  at: number;
  item: StreamItem;
  /** 1-based line of the file (0 when the item did not come from a file). */
  line?: number;
}

export interface ParsedStream {
  items: ReplayItem[];
  skipped: { line: number; reason: string }[];
}

/**
 * JSONL stream → items in time order. A line without a readable published_at keeps its
 * place after the line before it; lines that are not JSON objects are skipped and listed.
 */
export function parseReplayStream(content: string): ParsedStream {
  const items: ReplayItem[] = [];
  const skipped: ParsedStream['skipped'] = [];
  let lastAt: number | null = null;
  const lines = content.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      skipped.push({ line: i + 1, reason: renderText('replay.badJson') });
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      skipped.push({ line: i + 1, reason: renderText('replay.notObject') });
      return;
    }
    const item = v as StreamItem;
    const parsed = typeof item.published_at === 'string' ? Date.parse(item.published_at) : Number.NaN;
    const at = Number.isFinite(parsed) ? parsed : lastAt;
    if (at === null) {
      skipped.push({ line: i + 1, reason: renderText('replay.noDate') });
      return;
    }
    lastAt = at;
    items.push({ at, item, line: i + 1 });
  });
  // Array.prototype.sort is stable: equal times keep file order.
  items.sort((a, b) => a.at - b.at);
  return { items, skipped };
}

export async function readReplayFile(file: string): Promise<ParsedStream> {
  return parseReplayStream(await readFile(file, 'utf8'));
}

export interface ReplayOptions {
  name: string;
  speed: number;
  items: readonly ReplayItem[];
  /** Receives each due batch (published_at as `times` says), with each item's file line. */
  sink: (batch: StreamItem[], lines: number[]) => void;
  onState?: (state: ReplayState) => void;
  /** A sink failure is reported here and the replay goes on with the next batch. */
  onError?: (err: unknown) => void;
  clock?: ReplayClock;
  tickMs?: number;
  /**
   * Upper bound of one sink call, so a burst never blocks the thread for long (exceeded only
   * to keep the items of one published time together: they are judged together).
   */
  maxBatch?: number;
  /** Default 'recorded'. */
  times?: ReplayTimes;
  /**
   * A shift ('startNow', 'endNow') is a whole multiple of this many ms, rounded towards the
   * past: with the moments' window width, every window holds the same mentions as with the
   * recorded times, so the same moments open, shifted by the same constant.
   */
  shiftStepMs?: number;
}

export class Replayer {
  private readonly clock: ReplayClock;
  private readonly items: readonly ReplayItem[];
  private speed: number;
  private next = 0;
  private running = false;
  private timer: unknown = null;
  // Anchors: wall time wallAnchor corresponds to stream time streamAnchor.
  private wallAnchor = 0;
  private streamAnchor = 0;
  /** published = recorded + offset, fixed at start (0 for recorded times). */
  private offset = 0;
  private resolveDone: (() => void) | null = null;
  readonly done: Promise<void>;

  constructor(private readonly opts: ReplayOptions) {
    if (!(opts.speed > 0) || !Number.isFinite(opts.speed)) throw new RangeError('speed must be a positive number');
    this.clock = opts.clock ?? systemClock;
    this.items = opts.items;
    this.speed = opts.speed;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** What is added to every recorded published time (0 with recorded times); fixed at start. */
  get shiftMs(): number {
    return this.offset;
  }

  state(): ReplayState {
    return { running: this.running, name: this.opts.name, speed: this.speed, emitted: this.next, total: this.items.length };
  }

  /** Starts playing; the returned promise settles when the stream ends or stop() is called. */
  start(): Promise<void> {
    if (this.running || this.next > 0) return this.done;
    const first = this.items[0];
    if (!first) {
      this.finish();
      return this.done;
    }
    this.running = true;
    this.wallAnchor = this.clock.now();
    this.streamAnchor = first.at;
    this.offset = this.shift(first.at, this.items[this.items.length - 1]!.at);
    this.opts.onState?.(this.state());
    this.tick();
    if (this.running) this.timer = this.clock.setInterval(() => this.tick(), this.opts.tickMs ?? 100);
    return this.done;
  }

  /** Changes the pace from now on, without jumping or repeating. */
  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError('speed must be a positive number');
    if (this.running) {
      const now = this.clock.now();
      this.streamAnchor = this.streamAt(now);
      this.wallAnchor = now;
    }
    this.speed = speed;
    this.opts.onState?.(this.state());
  }

  stop(): void {
    if (!this.running && this.resolveDone === null) return;
    this.finish();
  }

  private streamAt(wall: number): number {
    return this.streamAnchor + (wall - this.wallAnchor) * this.speed;
  }

  private shift(firstAt: number, lastAt: number): number {
    const times = this.opts.times ?? 'recorded';
    if (times === 'recorded') return 0;
    // Below ×1 the first item, not the last, is the one that would arrive before its date.
    const target = times === 'startNow' ? this.wallAnchor - firstAt : Math.min(this.wallAnchor - firstAt, this.wallAnchor + (lastAt - firstAt) / this.speed - lastAt);
    const step = this.opts.shiftStepMs ?? 1;
    return Math.floor(target / step) * step;
  }

  private tick(): void {
    if (!this.running) return;
    const now = this.clock.now();
    // Times shifted to end now stay in the past even when the pace is raised mid-run (the
    // demo's speed menu): an item waits until the clock reaches its date.
    const cutoff = (this.opts.times ?? 'recorded') === 'endNow' ? Math.min(this.streamAt(now), now - this.offset) : this.streamAt(now);
    const max = this.opts.maxBatch ?? 2_000;
    const batch: StreamItem[] = [];
    const lines: number[] = [];
    while (this.next < this.items.length) {
      const it = this.items[this.next]!;
      if (it.at > cutoff) break;
      if (batch.length >= max && it.at !== this.items[this.next - 1]!.at) break;
      // Always written: a line without a readable time takes the time of the line before it.
      batch.push({ ...it.item, published_at: new Date(it.at + this.offset).toISOString() });
      lines.push(it.line ?? 0);
      this.next++;
    }
    if (batch.length > 0) {
      try {
        this.opts.sink(batch, lines);
      } catch (err) {
        this.opts.onError?.(err);
      }
      if (this.running) this.opts.onState?.(this.state());
    }
    if (this.next >= this.items.length) this.finish();
  }

  private finish(): void {
    if (this.timer !== null) this.clock.clearInterval(this.timer);
    this.timer = null;
    const wasRunning = this.running;
    this.running = false;
    if (wasRunning || this.items.length === 0) this.opts.onState?.(this.state());
    const resolve = this.resolveDone;
    this.resolveDone = null;
    resolve?.();
  }
}
