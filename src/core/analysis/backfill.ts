// Re-scores stored mentions in the background whenever the engine that scores new ones
// changes: after an upgrade that ships a new model, when the model comes back after a
// fallback, and for rows stored before sentiment existed (NULL = never scored).
//
// - Off the hot path: small batches (sized to stay well under ~50 ms of the thread that
//   answers the UI and ingests), each scored and then written in one transaction together
//   with the cursor, so a failure leaves neither half a batch nor a cursor past unwritten rows.
//   The event loop gets the thread between batches.
// - Resumable: the cursor (last id done) lives in the settings table keyed by the target
//   engine; a quit resumes where it stopped, a different target starts over.
// - In rules fallback only rows never scored are touched: a model's scores are better than
//   what the fallback would put in their place, and rows already 'rules' are up to date.
// - Live ingest runs beside it: its rows are scored by the current engine already, so they
//   are not stale and the job never sees them.
// - A person's label survives (MentionsRepo.setSentiment); the engine's own label and score
//   are still updated. When a committed batch changes shown labels or scores, the changes
//   are handed on (onRelabel) so the moments' counts are adjusted in place, keeping the
//   moments' ids that responses and checklists point at.
import { performance } from 'node:perf_hooks';
import type { SentimentRescore as RescoreProgress } from '../../shared/ops/sentiment';
import type { SentimentLabel } from '../../shared/sentiment';
import type { Logger } from '../platform';
import type { Db } from '../store/db';
import type { MentionsRepo, RescoreRow } from '../store/mentions-repo';
import type { SettingsRepo } from '../store/settings-repo';
import { analyzeMention, type SentimentFields } from './analyze';
import type { WorkspaceLayer } from './workspace-layer';
import { RULES_MODEL_ID, type SentimentAnalyzer } from './sentiment';
import { yieldTurn } from '../event-loop';

/** Settings key (internal, never shown) of the persisted cursor. */
export const RESCORE_STATE_KEY = 'sentimentRescore';

interface RescoreState {
  /** The engine the job scores towards ('rules' or a model id). */
  model: string;
  /** Last mention id written. */
  cursor: number;
  done: number;
  total: number;
}

export interface RescoreDeps {
  db: Db;
  mentions: MentionsRepo;
  settings: SettingsRepo;
  analyzer: SentimentAnalyzer;
  logger: Logger;
  now: () => number;
  /** Fixed rows per batch (tests); otherwise sized from the time the last batch took. */
  batchSize?: number;
  /** Progress, throttled to one call per `progressEveryMs` while running, plus the last one. */
  onProgress?: (p: RescoreProgress) => void;
  progressEveryMs?: number;
  /**
   * Shown labels or scores a committed batch changed: the aggregates derived from them
   * (the moments' counts) are adjusted in place, so moments keep their ids.
   */
  onRelabel?: (changes: readonly LabelChange[]) => void;
  /** The workspace's correction layer, as the ingest path uses it. */
  layer?: () => WorkspaceLayer | null;
}

/** Ids per COUNT slice at start: a few ms each, so counting a large store never blocks. */
const COUNT_SLICE = 20_000;
/** Adaptive batches aim at this much scoring+writing per batch. */
const TARGET_BATCH_MS = 15;
const MIN_BATCH = 20;
const MAX_BATCH = 1_000;
const FIRST_BATCH = 100;


function readState(raw: unknown): RescoreState | null {
  if (raw === null || typeof raw !== 'object') return null;
  const o = raw as Partial<Record<keyof RescoreState, unknown>>;
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (typeof o.model !== 'string' || !int(o.cursor) || !int(o.done) || !int(o.total)) return null;
  return { model: o.model, cursor: o.cursor, done: o.done, total: o.total };
}

export class SentimentRescoreJob {
  private stopped = false;
  private running: Promise<RescoreProgress> | null = null;
  private state: RescoreProgress = { total: 0, done: 0, running: false };
  private readonly write: (batch: { id: number; f: SentimentFields }[], next: RescoreState) => void;

  constructor(private readonly deps: RescoreDeps) {
    this.write = deps.db.transaction((batch: { id: number; f: SentimentFields }[], next: RescoreState) => {
      for (const { id, f } of batch) deps.mentions.setSentiment(id, f);
      deps.settings.setInternal(RESCORE_STATE_KEY, next);
    });
  }

  /** Starts (once); resolves when every stale mention is re-scored, on stop(), or on a failure (logged). */
  start(): Promise<RescoreProgress> {
    this.running ??= this.run().catch((err: unknown) => {
      this.deps.logger.error('sentiment: rianalisi in background interrotta; riprende al prossimo avvio', {
        error: err instanceof Error ? err.message : String(err),
      });
      this.state = { ...this.state, running: false };
      if (!this.stopped) this.deps.onProgress?.(this.state);
      return this.state;
    });
    return this.running;
  }

  progress(): RescoreProgress {
    return this.state;
  }

  stop(): void {
    this.stopped = true;
  }

  private async run(): Promise<RescoreProgress> {
    const { deps } = this;
    const target = deps.analyzer.status.modelId;
    // With the rules as target only what was never scored is filled in (see the top).
    const scope = target === RULES_MODEL_ID ? null : target;
    const saved = readState(deps.settings.internal(RESCORE_STATE_KEY));
    const resume = saved?.model === target ? saved : { model: target, cursor: 0, done: 0, total: 0 };

    const upto = deps.mentions.maxId();
    let remaining = 0;
    for (let from = resume.cursor; from < upto; from += COUNT_SLICE) {
      remaining += deps.mentions.rescoreCount(scope, from, Math.min(upto, from + COUNT_SLICE));
      await yieldTurn();
      if (this.stopped) return this.state;
    }
    let cur: RescoreState = { ...resume, total: resume.done + remaining };
    if (remaining === 0) {
      // Nothing to do: remember it, so the next start counts from here only.
      if (saved?.model !== target || saved.cursor < upto) deps.settings.setInternal(RESCORE_STATE_KEY, { ...cur, cursor: Math.max(cur.cursor, upto) });
      this.state = { total: cur.total, done: cur.done, running: false };
      return this.state;
    }
    deps.logger.info(`sentiment: ${remaining} menzioni da rianalizzare in background (${target})`);
    this.state = { total: cur.total, done: cur.done, running: true };
    deps.onProgress?.(this.state);

    const everyMs = deps.progressEveryMs ?? 250;
    let lastEmit = deps.now();
    let size = deps.batchSize ?? FIRST_BATCH;
    {
      for (;;) {
        // Yield first: the UI and ingest get the thread between batches.
        await yieldTurn();
        if (this.stopped) break;
        const t0 = performance.now();
        const rows = deps.mentions.rescoreBatch(scope, cur.cursor, size);
        if (rows.length === 0) break;
        const batch = rows.map((r) => ({ id: r.id, f: analyzeMention(r, deps.analyzer, deps.layer?.() ?? null) }));
        const last = rows[rows.length - 1]!;
        const next: RescoreState = { ...cur, cursor: last.id, done: Math.min(cur.total, cur.done + rows.length) };
        this.write(batch, next);
        cur = next;
        const changes = changesOf(rows, batch);
        if (changes.length > 0) deps.onRelabel?.(changes);
        if (deps.batchSize === undefined) size = nextSize(size, performance.now() - t0);
        this.state = { total: cur.total, done: cur.done, running: true };
        const now = deps.now();
        if (now - lastEmit >= everyMs) {
          lastEmit = now;
          deps.onProgress?.(this.state);
        }
      }
    }
    if (this.stopped) {
      this.state = { ...this.state, running: false };
      return this.state;
    }
    // Rows may have been skipped (a scorer fault leaves a row on the fallback): done is what the job went through.
    this.state = { total: cur.total, done: cur.total, running: false };
    deps.settings.setInternal(RESCORE_STATE_KEY, { ...cur, done: cur.total });
    deps.logger.info(`sentiment: rianalisi completata (${cur.total} menzioni, ${target})`);
    deps.onProgress?.(this.state);
    return this.state;
  }
}

export interface LabelChange {
  id: number;
  before: { label: SentimentLabel | null; score: number | null };
  after: { label: SentimentLabel | null; score: number | null };
}

/** Rows whose shown label or score the batch changed (a person's label never changes). */
function changesOf(rows: readonly RescoreRow[], batch: readonly { f: SentimentFields }[]): LabelChange[] {
  const out: LabelChange[] = [];
  rows.forEach((r, i) => {
    const f = batch[i]?.f;
    if (!f || r.corrected || (r.label === f.sentimentLabel && r.score === f.sentimentScore)) return;
    out.push({ id: r.id, before: { label: r.label, score: r.score }, after: { label: f.sentimentLabel, score: f.sentimentScore } });
  });
  return out;
}

function nextSize(size: number, ms: number): number {
  const scaled = Math.round((size * TARGET_BATCH_MS) / Math.max(ms, 1));
  // Grow gently (a fast batch may be luck), shrink at once.
  return Math.max(MIN_BATCH, Math.min(MAX_BATCH, scaled > size ? Math.min(scaled, size * 2) : scaled));
}
