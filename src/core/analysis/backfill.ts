// Scores the mentions stored before sentiment existed, off the hot path: small batches,
// each scored outside any transaction and written in one short one, yielding to the event
// loop between batches. Resumable by construction: a NULL score is the "to do" mark, so a
// quit in the middle simply leaves the rest for the next start.
import type { Logger } from '../platform';
import type { Db } from '../store/db';
import type { MentionsRepo } from '../store/mentions-repo';
import { analyzeMention, type SentimentFields } from './analyze';
import type { SentimentAnalyzer } from './sentiment';

export interface BackfillDeps {
  db: Db;
  mentions: MentionsRepo;
  analyzer: SentimentAnalyzer;
  logger: Logger;
  /** Rows per batch; small enough that one batch stays well under ~50 ms. */
  batchSize?: number;
  onProgress?: (p: BackfillProgress) => void;
}

export interface BackfillProgress {
  scored: number;
  remaining: number;
  done: boolean;
}

export class SentimentBackfill {
  private stopped = false;
  private running: Promise<BackfillProgress> | null = null;
  private scored = 0;
  private readonly write: (batch: { id: number; f: SentimentFields }[]) => void;

  constructor(private readonly deps: BackfillDeps) {
    this.write = deps.db.transaction((batch: { id: number; f: SentimentFields }[]) => {
      for (const { id, f } of batch) deps.mentions.setSentiment(id, f);
    });
  }

  /** Starts (once) and resolves when every stored mention has a score, or on stop(). */
  start(): Promise<BackfillProgress> {
    this.running ??= this.run();
    return this.running;
  }

  progress(): { scored: number } {
    return { scored: this.scored };
  }

  stop(): void {
    this.stopped = true;
  }

  private async run(): Promise<BackfillProgress> {
    const size = this.deps.batchSize ?? 200;
    let lastId = 0;
    let remaining = this.deps.mentions.countUnscored();
    if (remaining > 0) this.deps.logger.info(`sentiment: ${remaining} menzioni da analizzare in background`);
    while (!this.stopped && remaining > 0) {
      // Yield first: the UI and ingest get the thread between batches.
      await new Promise<void>((r) => setImmediate(r));
      if (this.stopped) break;
      let rows;
      try {
        rows = this.deps.mentions.unscored(size, lastId);
      } catch (err) {
        // The database was closed under us (quit): what is left waits for the next start.
        if (this.stopped) break;
        throw err;
      }
      if (rows.length === 0) break;
      const batch = rows.map((r) => ({ id: r.id, f: analyzeMention(r, this.deps.analyzer) }));
      if (this.stopped) break;
      this.write(batch);
      lastId = rows[rows.length - 1]?.id ?? lastId;
      this.scored += batch.length;
      remaining = Math.max(0, remaining - batch.length);
      this.deps.onProgress?.({ scored: this.scored, remaining, done: false });
    }
    const done = !this.stopped;
    if (done) remaining = 0;
    const p = { scored: this.scored, remaining, done };
    if (done && this.scored > 0) {
      this.deps.logger.info(`sentiment: ${this.scored} menzioni analizzate`);
      this.deps.onProgress?.(p);
    }
    return p;
  }
}
