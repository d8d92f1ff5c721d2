// Replays of a recorded stream: a file (`vedetta replay`) and the demo. One runs at a time; its
// state is announced as replay.state, and what it stores goes through the ingest pipeline like
// any other origin. Each demo is a fresh run: its items get ids of their own after the first
// run (never duplicates of the last one) and dates that end now (never ahead of the clock).
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readReplayFile, Replayer, type ReplayItem } from '../connectors/inbound/replay';
import { ApiError } from '../shared/contract';
import type { ReplayState } from '../shared/schemas';
import type { EventBus } from '../core/api/events';
import type { IngestPipeline } from '../core/ingest/pipeline';
import type { Logger } from '../core/platform';
import type { ReplaySummary } from './app';
import type { DemoPrepared } from './demo-workspace';

export const DEMO_STREAM = join('demo', 'stream.jsonl');

const IDLE_REPLAY: ReplayState = { running: false, name: null, speed: 1, emitted: 0, total: 0 };

interface ActiveReplay {
  kind: 'demo' | 'file';
  replayer: Replayer;
}

export interface ReplaysDeps {
  pipeline: IngestPipeline;
  events: EventBus;
  logger: Logger;
  resourcesDir: string;
  /** Fills in the demo workspace (perimeter, audiences, channel, people, Tier 2) and counts the run. */
  prepareDemo: () => Promise<DemoPrepared>;
  /** The moments' window: --shift-to-now moves a recording by whole windows. */
  bucketMs: () => number;
  now: () => number;
  /** The app is closing: nothing more is stored or announced. */
  closed: () => boolean;
}

export class Replays {
  #replay: ActiveReplay | null = null;
  #last: ReplayState = IDLE_REPLAY;
  #demoStarting: Promise<ReplayState> | null = null;

  constructor(private readonly d: ReplaysDeps) {}

  state(): ReplayState {
    return this.#replay ? this.#replay.replayer.state() : this.#last;
  }

  /** Stops the demo if it runs; false when there was none running (nothing to audit). */
  stopDemo(): boolean {
    const demo = this.#replay?.kind === 'demo' ? this.#replay.replayer : null;
    const running = demo?.state().running ?? false;
    demo?.stop();
    return running;
  }

  stop(): void {
    this.#replay?.replayer.stop();
  }

  async replayFile(file: string, speed: number, opts: { shiftToNow?: boolean } = {}): Promise<ReplaySummary> {
    if (this.d.closed()) throw new ApiError('app.closing');
    if (this.#replay?.replayer.state().running) {
      throw new ApiError('replay.running');
    }
    const stream = await readReplayFile(file);
    const summary: ReplaySummary = {
      total: stream.items.length,
      accepted: 0,
      duplicates: 0,
      rejected: stream.skipped.map((s) => ({ index: s.line - 1, line: s.line, reason: s.reason })),
      warnings: [],
      shiftMs: 0,
    };
    if (this.d.closed()) return summary;
    // --shift-to-now moves the recording by whole windows of the moments, so they open as on
    // the recorded times, shifted by the same constant.
    const replayer = this.#start('file', basename(file), speed, stream.items, opts.shiftToNow ? this.d.bucketMs() : null, summary);
    summary.shiftMs = replayer.shiftMs;
    await replayer.done;
    return summary;
  }

  /**
   * `shiftStepMs`: the demo, or a file replay with --shift-to-now (null: recorded times). `summary`
   * collects what a file replay stored, with the file's lines.
   */
  #start(
    kind: ActiveReplay['kind'],
    name: string,
    speed: number,
    items: readonly ReplayItem[],
    shiftStepMs: number | null = null,
    summary: ReplaySummary | null = null,
  ): Replayer {
    const replayer = new Replayer({
      name,
      speed,
      items,
      // The demo keeps its recording's gaps, so its crisis and opportunity span hours of
      // published time even at 60×, shifted to end now: never dated ahead of the clock. A file
      // keeps its recorded times unless --shift-to-now moves them the same way.
      times: shiftStepMs !== null ? 'endNow' : 'recorded',
      ...(shiftStepMs !== null ? { shiftStepMs } : {}),
      sink: (batch, lines) => {
        if (this.d.closed()) return;
        const res = this.d.pipeline.ingest(batch, 'replay', { lines });
        if (summary) {
          summary.accepted += res.accepted;
          summary.duplicates += res.duplicates;
          summary.rejected.push(...res.rejected);
          summary.warnings.push(...res.warnings);
        }
        // The demo has no report: what it refuses or warns about goes to the log.
        else if (res.rejected.length > 0 || res.warnings.length > 0) {
          this.d.logger.warn(`replay ${name}: ${res.rejected.length} elementi scartati, ${res.warnings.length} salvati con un avviso`, {
            first: res.rejected[0]?.reason ?? res.warnings[0]?.reason,
          });
        }
      },
      onState: (s) => {
        this.#last = s;
        if (!this.d.closed()) this.d.events.emit('replay.state', s);
      },
      onError: (err) => this.d.logger.error(`replay ${name}: salvataggio non riuscito`, { error: err instanceof Error ? err.message : String(err) }),
    });
    this.#replay = { kind, replayer };
    void replayer.start();
    return replayer;
  }

  async startDemo(speed: number): Promise<ReplayState> {
    const current = this.#replay;
    if (current?.kind === 'demo' && current.replayer.state().running) {
      current.replayer.setSpeed(speed);
      return current.replayer.state();
    }
    if (current?.replayer.state().running) {
      throw new ApiError('demo.replayRunning');
    }
    // Two clicks in a row start one demo, not two.
    if (this.#demoStarting) return this.#demoStarting;
    this.#demoStarting = (async () => {
      const { items } = await this.#demoRun();
      return this.#start('demo', 'demo', speed, items, this.d.bucketMs()).state();
    })();
    try {
      return await this.#demoStarting;
    } finally {
      this.#demoStarting = null;
    }
  }

  /**
   * The whole demo at once, without a window (`vedetta demo`): the workspace filled in and a
   * fresh run of the stream stored at once, dated so that its last item is now.
   */
  async buildDemo(): Promise<DemoBuild> {
    if (this.#replay?.replayer.state().running || this.#demoStarting) throw new ApiError('demo.replayRunning');
    const { items, prepared } = await this.#demoRun();
    const last = items[items.length - 1]!.at;
    const step = this.d.bucketMs();
    // Whole windows of the moments, towards the past: the same moments open, shifted.
    const shiftMs = Math.floor((this.d.now() - last) / step) * step;
    const out: DemoBuild = { prepared, total: items.length, accepted: 0, duplicates: 0, rejected: 0, shiftMs };
    let i = 0;
    while (i < items.length && !this.d.closed()) {
      // Batches of about BUILD_BATCH that never split one published time (judged together).
      let j = Math.min(items.length, i + BUILD_BATCH);
      while (j < items.length && items[j]!.at === items[j - 1]!.at) j++;
      const slice = items.slice(i, j);
      const res = this.d.pipeline.ingest(
        slice.map((it) => ({ ...it.item, published_at: new Date(it.at + shiftMs).toISOString() })),
        'replay',
        { lines: slice.map((it) => it.line ?? 0) },
      );
      out.accepted += res.accepted;
      out.duplicates += res.duplicates;
      out.rejected += res.rejected.length;
      i = j;
    }
    return out;
  }

  /** The demo's stream for the next run, with the workspace prepared for it. */
  async #demoRun(): Promise<{ items: ReplayItem[]; prepared: DemoPrepared }> {
    if (this.d.closed()) throw new ApiError('app.closing');
    const file = join(this.d.resourcesDir, DEMO_STREAM);
    if (!existsSync(file)) {
      throw new ApiError('demo.missing', { file });
    }
    const stream = await readReplayFile(file);
    if (this.d.closed()) throw new ApiError('app.closing');
    if (stream.items.length === 0) throw new ApiError('demo.empty', { file });
    const prepared = await this.d.prepareDemo();
    return { items: freshRun(stream.items, prepared.run), prepared };
  }
}

/** Items per ingest call when the demo is built at once (the pipeline's own batch size). */
const BUILD_BATCH = 500;

export interface DemoBuild {
  prepared: DemoPrepared;
  total: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Added to every recorded published time. */
  shiftMs: number;
}

/**
 * The stream as run `run` sees it: the first run keeps the recording's ids; each later one
 * gives every item an id, a URL (a query parameter the canonical URL keeps) and a thread of
 * its own, replies following their parents, so a second run is new mentions and threads
 * instead of duplicates — and its comments under the brand's posts are new threads, not
 * the first run's threads suddenly twice as busy.
 */
export function freshRun(items: readonly ReplayItem[], run: number): ReplayItem[] {
  if (run <= 1) return [...items];
  const suffix = `-r${run}`;
  const renamed = (v: unknown): unknown => (typeof v === 'string' && v !== '' ? `${v}${suffix}` : v);
  return items.map((it) => {
    const item = { ...it.item };
    for (const k of ['external_id', 'parent_id', 'thread_id'] as const) if (k in item) item[k] = renamed(item[k]);
    if (typeof item.url === 'string') item.url = withRun(item.url, run);
    return { ...it, item };
  });
}

function withRun(raw: string, run: number): string {
  try {
    const u = new URL(raw);
    u.searchParams.set('demo_run', String(run));
    return u.toString();
  } catch {
    return raw;
  }
}
