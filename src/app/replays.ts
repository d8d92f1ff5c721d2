// Replays of a recorded stream: a file (`vedetta replay`) and the demo. One runs at a time; its
// state is announced as replay.state, and what it stores goes through the ingest pipeline like
// any other origin.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readReplayFile, Replayer, type ReplayItem } from '../connectors/inbound/replay';
import { ApiError } from '../shared/contract';
import type { ReplayState } from '../shared/schemas';
import type { EventBus } from '../core/api/events';
import type { IngestPipeline } from '../core/ingest/pipeline';
import type { Logger } from '../core/platform';
import { seedDemoPerimeter, type PerimetersService } from '../core/perimeters';
import type { ReplaySummary } from './app';

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
  perimeters: PerimetersService;
  /** The demo's Tier 2 history; the inbox demo runs without it if it fails. */
  seedDemoMetrics: () => void;
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
   * `shiftStepMs`: a file replay with --shift-to-now (null: recorded times). `summary`
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
      // The demo unfolds as if it were happening (its first item now), keeping its recording's
      // gaps, so its crisis and opportunity span hours of published time even at 60×. A file
      // keeps its recorded times unless --shift-to-now moves them to end now.
      times: kind === 'demo' ? 'startNow' : shiftStepMs !== null ? 'endNow' : 'recorded',
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
      const file = join(this.d.resourcesDir, DEMO_STREAM);
      if (!existsSync(file)) {
        throw new ApiError('demo.missing', { file });
      }
      const stream = await readReplayFile(file);
      if (this.d.closed()) throw new ApiError('app.closing');
      // The demo shows its brand's perimeter at once (only when no perimeter exists yet).
      if (seedDemoPerimeter(this.d.perimeters, this.d.now())) this.d.perimeters.changed();
      if (stream.items.length === 0) throw new ApiError('demo.empty', { file });
      try {
        this.d.seedDemoMetrics();
      } catch (err) {
        // The inbox demo still runs without its Tier 2 part.
        this.d.logger.error('demo: metriche Tier 2 non caricate', { err: err instanceof Error ? err.message : String(err) });
      }
      return this.#start('demo', 'demo', speed, stream.items).state();
    })();
    try {
      return await this.#demoStarting;
    } finally {
      this.#demoStarting = null;
    }
  }
}
