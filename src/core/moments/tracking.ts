// Live tracking: the moments' ingest stage and the corrections. Every batch of mentions just
// inserted is tracked inside its ingest transaction (steps.ts); a person's label correction
// moves the counts it was in. What a client shows changed is announced once the batch commits.
// A failure never fails the ingest: the moments are recomputed from the stored mentions.
import type { MentionTheme } from '../../shared/perimeters';
import type { MomentSummary } from '../../shared/moments';
import type { SentimentLabel } from '../../shared/sentiment';
import { isFutureDated } from '../../shared/clock';
import type { Logger } from '../platform';
import type { Db } from '../store/db';
import type { MentionInsert } from '../store/mentions-repo';
import type { MomentRow, MomentsRepo } from '../store/moments-repo';
import type { MomentBook } from './book';
import type { TrackItem } from './detector';
import { insertToItem, rowToItem } from './items';
import type { MomentKeys } from './keys';
import type { MomentsMemory } from './memory';
import type { Rebuild } from './rebuild';
import type { StreamSteps } from './steps';

type Labelled = { label: SentimentLabel | null; score: number | null };

export interface TrackingDeps {
  db: Db;
  logger: Logger;
  /** A moment row as clients read it (for the announcement of moments just opened). */
  summary: (r: MomentRow) => MomentSummary;
  /** Tells the listeners which moments opened (the rest changed in place). */
  changed: (opened: MomentSummary[]) => void;
}

export class LiveTracking {
  private emitQueued = false;

  constructor(
    private readonly deps: TrackingDeps,
    private readonly mem: MomentsMemory,
    private readonly repo: MomentsRepo,
    private readonly keys: MomentKeys,
    private readonly steps: StreamSteps,
    private readonly book: MomentBook,
    private readonly rebuild: Rebuild,
  ) {}

  /** The ingest hook: mentions just inserted, inside the batch transaction. */
  trackInserted(rows: readonly { id: number; row: MentionInsert }[], themes: Map<number, MentionTheme[]>): void {
    if (this.mem.stopped || rows.length === 0) return;
    if (this.rebuild.running) {
      this.rebuild.noteDuring(rows);
      return;
    }
    // A future-dated mention (a wrong clock, shared/clock.ts) is stored and shown, never counted.
    const items: TrackItem[] = rows.filter(({ row }) => !isFutureDated(row.publishedAt, row.fetchedAt)).map(({ id, row }) => insertToItem(id, row, themes));
    if (items.length > 0) this.track(items, true);
  }

  /**
   * A person changed a stored mention's label (its score for aggregates moves with it): the
   * windows that counted it and the moments it belongs to take the change at once, so a
   * moment's negative count follows the correction. Cheaper than a rebuild, which re-reads
   * every mention and renumbers the moments under open screens. What a mention joined stays
   * as it was (a rebuild, after a settings or perimeter change, re-derives the links from the
   * stored labels); detection judges the corrected counts from its next step on.
   */
  relabel(id: number, before: Labelled, after: Labelled): void {
    if (this.mem.stopped) return;
    // A running rebuild may already have read this mention with its old label: run it again.
    if (this.rebuild.running) {
      this.rebuild.again();
      return;
    }
    const d = {
      neg: (after.label === 'negative' ? 1 : 0) - (before.label === 'negative' ? 1 : 0),
      pos: (after.label === 'positive' ? 1 : 0) - (before.label === 'positive' ? 1 : 0),
      sent: (after.score ?? 0) - (before.score ?? 0),
    };
    if (d.neg === 0 && d.pos === 0 && d.sent === 0) return;
    try {
      this.relabelTx(id, d, after);
    } catch (e) {
      this.deps.logger.error('momenti: correzione non applicata ai conteggi, li ricalcolo dai dati salvati', { error: e instanceof Error ? e.message : String(e) });
      this.rebuild.schedule();
      return;
    }
    this.queueEmit();
  }

  /** Many relabels (a re-score batch) in one write transaction instead of one each. */
  relabelMany(changes: readonly { id: number; before: Labelled; after: Labelled }[]): void {
    if (changes.length === 0 || this.mem.stopped) return;
    this.deps.db.transaction(() => {
      for (const c of changes) this.relabel(c.id, c.before, c.after);
    })();
  }

  private readonly relabelTx = (id: number, d: { neg: number; pos: number; sent: number }, after: Labelled): void => {
    this.deps.db.transaction(() => {
      const row = this.repo.tracked(id);
      // A future-dated mention was never counted: there is nothing to move.
      if (!row || isFutureDated(row.published_at, row.fetched_at)) return;
      const bucket = Math.floor(row.published_at / this.mem.bucketMs);
      for (const key of this.keys.of(rowToItem(row), this.mem.settings.trackTerms).keys) {
        this.repo.adjustCount(key, bucket, d);
        const w = this.mem.series.get(key, bucket);
        if (w >= 0) this.mem.series.adjust(w, d.neg, d.pos, d.sent);
      }
      for (const mid of this.repo.momentIdsOfMention(id)) this.repo.adjustTotals(mid, d);
      const r = this.mem.recent.get(id);
      if (r) this.mem.recent.set(id, { ...r, label: after.label, score: after.score });
    })();
  };

  private track(items: TrackItem[], live: boolean): void {
    this.steps.behindCount = 0;
    try {
      this.steps.process(items, live);
    } catch (e) {
      this.deps.logger.error('momenti: aggiornamento non riuscito, li ricalcolo dai dati salvati', { error: e instanceof Error ? e.message : String(e) });
      this.rebuild.schedule();
      return;
    }
    if (live && this.book.dirty) this.queueEmit();
    this.book.dirty = false;
    // An archive sent days late could hold moments of its own: recomputed in published order,
    // they open as an import of everything would. A few strays cannot surge: no recompute.
    if (live && this.steps.behindCount >= this.mem.settings.minVolume) this.rebuild.schedule();
  }

  private queueEmit(): void {
    if (this.emitQueued) return;
    this.emitQueued = true;
    // After the batch commits: a listener never reads a moment that could still roll back.
    queueMicrotask(() => {
      this.emitQueued = false;
      if (this.mem.stopped) return;
      const ids = this.book.pendingOpened;
      this.book.pendingOpened = [];
      const opened: MomentSummary[] = [];
      for (const id of ids) {
        const row = this.repo.get(id);
        if (row) opened.push(this.deps.summary(row));
      }
      this.deps.changed(opened);
    });
  }
}
