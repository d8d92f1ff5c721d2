// Moments at run time, assembled from their parts (a newcomer reads them in this order):
//   keys.ts      what a mention is counted under (themes, brands, owned threads, terms)
//   memory.ts    what tracking keeps between batches, read back by load(), forgotten by prune()
//   evidence.ts  what the judging reads about a key: its window, baseline, recent mentions
//   judge.ts     which keys surge at a step (the fast path and the windows; detector.ts tests)
//   book.ts      open, merge, link and close moments
//   steps.ts     a batch in stream order, one step per published time
//   tracking.ts  the ingest stage and label corrections, live
//   rebuild.ts   everything recomputed from the stored mentions, in slices
//   reads.ts     the summaries, list and detail behind the contract
// This class is the feature's service: it wires them, keeps the settings and answers the
// contract; the perimeters' changes reach it through their port.
import { MomentSettingsSchema, type MomentDetail, type MomentKind, type MomentSettings, type MomentSummary } from '../../shared/moments';
import type { MentionTheme } from '../../shared/perimeters';
import type { Mention } from '../../shared/schemas';
import type { SentimentLabel } from '../../shared/sentiment';
import type { EventPayload } from '../../shared/contract';
import type { EventBus } from '../api/events';
import { Signal } from '../api/signal';
import type { Logger } from '../platform';
import type { PerimetersService } from '../perimeters';
import type { Db } from '../store/db';
import type { MentionInsert, MentionsRepo } from '../store/mentions-repo';
import { MomentsRepo, type MomentRow } from '../store/moments-repo';
import { MomentAcksRepo } from '../store/moment-acks-repo';
import { MomentBook } from './book';
import { Evidence } from './evidence';
import { Judge } from './judge';
import { MomentKeys } from './keys';
import { MomentsMemory } from './memory';
import { MomentReads } from './reads';
import { Rebuild } from './rebuild';
import { StreamSteps } from './steps';
import { LiveTracking } from './tracking';

export interface MomentsDeps {
  db: Db;
  events: EventBus;
  perimeters: PerimetersService;
  mentions: MentionsRepo;
  /** Wall clock (only for created_at: what is future-dated is judged against each mention's arrival). */
  now: () => number;
  logger: Logger;
  /** Runs `f` later (tests may pass a synchronous scheduler). */
  defer?: (f: () => void, ms: number) => void;
  /** Elapsed milliseconds, to slice a rebuild by time (tests inject a fake clock). Defaults to performance.now. */
  clock?: () => number;
}

type Labelled = { label: SentimentLabel | null; score: number | null };

export class MomentsService {
  /** Moments opened, updated or rebuilt: audiences re-judge their risk, acknowledgements re-attach. */
  readonly changes = new Signal<EventPayload<'moments.changed'>>();
  readonly repo: MomentsRepo;
  /** How the last rebuild was sliced (the bench and tests read it). */
  readonly rebuildStats: Rebuild['stats'];
  private readonly keys: MomentKeys;
  private readonly memory: MomentsMemory;
  private readonly reads: MomentReads;
  private readonly rebuilder: Rebuild;
  private readonly tracking: LiveTracking;

  constructor(deps: MomentsDeps) {
    this.repo = new MomentsRepo(deps.db);
    const announce = (opened: MomentSummary[], rebuilt: boolean): void => {
      this.changes.emit({ opened, rebuilt });
      deps.events.emit('moments.changed', { opened, rebuilt });
    };
    this.keys = new MomentKeys(deps.perimeters);
    this.memory = new MomentsMemory(this.repo, this.keys);
    const evidence = new Evidence(this.memory, this.repo);
    const book = new MomentBook(this.memory, this.repo, this.keys, evidence, deps.now);
    const steps = new StreamSteps(deps.db, this.memory, this.repo, this.keys, new Judge(this.memory, this.keys, evidence), book);
    this.rebuilder = new Rebuild(
      {
        db: deps.db,
        perimeters: deps.perimeters,
        logger: deps.logger,
        defer: deps.defer ?? ((f, ms) => void setTimeout(f, ms)),
        clock: deps.clock ?? (() => performance.now()),
        rebuilt: () => announce([], true),
      },
      this.memory,
      this.repo,
      this.keys,
      steps,
    );
    this.rebuildStats = this.rebuilder.stats;
    // Who took each moment in charge (written by MomentAcks, read into every summary).
    this.reads = new MomentReads(this.memory, this.repo, new MomentAcksRepo(deps.db), deps.mentions, this.keys, evidence);
    this.tracking = new LiveTracking(
      { db: deps.db, logger: deps.logger, summary: (r) => this.reads.summary(r), changed: (opened) => announce(opened, false) },
      this.memory,
      this.repo,
      this.keys,
      steps,
      book,
      this.rebuilder,
    );
    this.memory.load();
    deps.perimeters.changes.on(() => this.perimetersChanged());
    // Mentions stored before moments existed (or a store whose counts were lost) are read once.
    const bounds = this.repo.bucketBounds();
    if (bounds.lo === null && deps.mentions.countAll() > 0) this.rebuildInBackground();
  }

  get settings(): MomentSettings {
    return this.memory.settings;
  }

  stop(): void {
    this.memory.stopped = true;
  }

  /** Whether a rebuild is running or scheduled (tests wait on it). */
  get busy(): boolean {
    return this.rebuilder.busy;
  }

  /** Resolves when no rebuild is running or scheduled. */
  idle(): Promise<void> {
    return this.rebuilder.idle();
  }

  /**
   * Perimeter edits change what keys exist and how they classify. Tracking picks the new
   * perimeter up at once; stored moments are recomputed once the re-match has finished.
   */
  private perimetersChanged(): void {
    const changed = this.keys.reread();
    if (!changed || this.memory.stopped) return;
    this.rebuilder.schedule();
  }

  /** The ingest hook: mentions just inserted, inside the batch transaction. */
  trackInserted(rows: readonly { id: number; row: MentionInsert }[], themes: Map<number, MentionTheme[]>): void {
    this.tracking.trackInserted(rows, themes);
  }

  /** A person changed a stored mention's label: see LiveTracking.relabel. */
  relabel(id: number, before: Labelled, after: Labelled): void {
    this.tracking.relabel(id, before, after);
  }

  /** Many relabels (a re-score batch) in one write transaction instead of one each. */
  relabelMany(changes: readonly { id: number; before: Labelled; after: Labelled }[]): void {
    this.tracking.relabelMany(changes);
  }

  /** Recomputes every count and moment from the stored mentions, in slices. */
  rebuild(): Promise<void> {
    return this.rebuilder.run();
  }

  /** A rebuild nobody waits for (a failure is logged). */
  rebuildInBackground(): void {
    this.rebuilder.inBackground();
  }

  updateSettings(patch: Partial<MomentSettings>): MomentSettings {
    const next = MomentSettingsSchema.parse({ ...this.memory.settings, ...patch });
    this.repo.putSettings(next);
    const changed = JSON.stringify(next) !== JSON.stringify(this.memory.settings);
    this.memory.settings = next;
    if (changed) this.rebuildInBackground();
    return next;
  }

  summary(r: MomentRow): MomentSummary {
    return this.reads.summary(r);
  }

  list(f: { kind?: MomentKind; state?: 'open' | 'closed'; themeId?: number; audienceIds?: number[]; limit: number }): { items: MomentSummary[]; total: number } {
    return this.reads.list(f);
  }

  detail(id: number, decorate: (m: Mention[]) => Mention[]): MomentDetail | null {
    return this.reads.detail(id, decorate);
  }
}
