// Plays a recorded stream with its original timing divided by a speed factor. Time is
// injected (clock + interval timer), so tests run it instantly and the app on wall time.
// A single coarse timer flushes everything due at each tick: at 1,000 items/s that is a
// handful of batches a second, not a timer per item.
import { readFile } from 'node:fs/promises';
import type { ReplayState } from '../../shared/schemas';

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

export interface ReplayItem {
  /** Original publication time, ms. */
  at: number;
  item: StreamItem;
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
      skipped.push({ line: i + 1, reason: 'JSON non valido' });
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      skipped.push({ line: i + 1, reason: 'la riga non è un oggetto JSON' });
      return;
    }
    const item = v as StreamItem;
    const parsed = typeof item.published_at === 'string' ? Date.parse(item.published_at) : Number.NaN;
    const at = Number.isFinite(parsed) ? parsed : lastAt;
    if (at === null) {
      skipped.push({ line: i + 1, reason: 'manca published_at' });
      return;
    }
    lastAt = at;
    items.push({ at, item });
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
  /** Receives each due batch, with published_at rebased so the first item is "now". */
  sink: (batch: StreamItem[]) => void;
  onState?: (state: ReplayState) => void;
  /** A sink failure is reported here and the replay goes on with the next batch. */
  onError?: (err: unknown) => void;
  clock?: ReplayClock;
  tickMs?: number;
  /** Upper bound of one sink call, so a burst never blocks the thread for long. */
  maxBatch?: number;
  /**
   * Keep the stream's own clock: published_at is shifted by one constant (the first item is
   * "now") instead of squeezed by the speed, so at 60× an hour of the recording still spans an
   * hour of published time and time-window analysis (moments) sees it as it happened.
   */
  keepStreamTime?: boolean;
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
  /** keepStreamTime: published = original + offset, fixed at start. */
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
    this.offset = this.wallAnchor - first.at;
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

  private wallAt(streamTime: number): number {
    return this.wallAnchor + (streamTime - this.streamAnchor) / this.speed;
  }

  private tick(): void {
    if (!this.running) return;
    const cutoff = this.streamAt(this.clock.now());
    const max = this.opts.maxBatch ?? 2_000;
    const batch: StreamItem[] = [];
    while (this.next < this.items.length && batch.length < max) {
      const it = this.items[this.next]!;
      if (it.at > cutoff) break;
      const published = this.opts.keepStreamTime ? it.at + this.offset : this.wallAt(it.at);
      batch.push({ ...it.item, published_at: new Date(Math.round(published)).toISOString() });
      this.next++;
    }
    if (batch.length > 0) {
      try {
        this.opts.sink(batch);
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
