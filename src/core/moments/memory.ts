// What moment tracking keeps in memory between batches, shared by its parts: the settings,
// the recent windows per key (windows.ts; the source of truth is moment_counts, memory only
// spares a read per key per batch), the open moments and which key belongs to which, the last
// mentions tracked, the fast path's recent negatives, and the stream's clock. Everything here
// is read back from the store by load() (at start-up and at the start of a rebuild), and
// forgotten as the stream moves on by prune().
import type { MomentKind, MomentSettings } from '../../shared/moments';
import { CLOCK_GAP_MS, FUTURE_DATED_MS } from '../../shared/clock';
import type { MomentRow, MomentsRepo } from '../store/moments-repo';
import type { Baseline, TrackItem } from './detector';
import type { MomentKeys } from './keys';
import { KeyWindows } from './windows';

/** Idle keys are counted in ticks of this much stream time (see prune). */
const IDLE_TICK_MS = 10_000;
/**
 * Term windows pruned from the store per statement: a backlog (a jump in stream time) goes
 * over several steps. 5,000 took up to ~40 ms in one statement of a rebuild slice.
 */
const PRUNE_ROWS = 1_000;
/** Mentions linked to an open moment that memory keeps (older ones are in the store). */
export const LINKED_MEMORY = 20_000;

/** Themes, brands and threads are kept however idle (one predicate for every step, not one made per step). */
const keptWhenIdle = (key: string): boolean => !key.startsWith('t:');

export interface OpenMoment {
  id: number;
  kind: MomentKind;
  key: string;
  priority: number;
  title: string;
  themeId: number | null;
  openedAt: number;
  updatedAt: number;
  quietSince: number | null;
  peakZ: number;
  keys: Map<string, { base: Baseline; isTerm: boolean }>;
  linked: Set<number>;
  /** The row's fields as last written by this process (null: not yet), to skip writes that change nothing. */
  written?: string | null;
}

export interface RecentItem {
  id: number;
  publishedAt: number;
  score: number | null;
  label: TrackItem['label'];
  /** Who wrote it (authorOf): a crisis is several people. */
  who: string;
}

export class MomentsMemory {
  settings: MomentSettings;
  /**
   * Windows per key, least recently opened first (a key moves to the back when it opens a
   * window), and what each batch added to them until it is written.
   */
  series: KeyWindows;
  /** Steps seen: the clock by which idle term keys are forgotten. */
  steps = 0;
  private lastTick = Number.NEGATIVE_INFINITY;
  /** More stale term windows are waiting in the store than one prune statement took. */
  private termPruneDue = false;
  private lastPruneBucket = Number.NEGATIVE_INFINITY;
  streamNow = Number.NEGATIVE_INFINITY;
  startAt: number | null = null;
  readonly open = new Map<number, OpenMoment>();
  /** The last few thousand tracked mentions, so opening a moment need not read them back. */
  readonly recent = new Map<number, RecentItem>();
  /** Recent mentions (time, author, negative?) of the keys the fast path watches: on a theme only its negatives. */
  readonly fastNeg = new Map<string, { at: number; who: string; neg: boolean }[]>();
  /**
   * Per watched key, the stream time up to which its negatives have been judged: each one is
   * judged once, when it arrives (again only when a late or same-time one slots in before it),
   * so judging at every mention stays linear in a long pile-on.
   */
  readonly fastJudged = new Map<string, number>();
  /**
   * The open moment each key belongs to, per kind: a crisis and an opportunity never merge, so
   * a key (the brand, an owned thread, a term) may be in one open crisis and one open
   * opportunity at the same time.
   */
  readonly keyToMoment: Record<MomentKind, Map<string, number>> = { crisis: new Map(), opportunity: new Map() };
  stopped = false;

  constructor(
    private readonly repo: MomentsRepo,
    private readonly keys: MomentKeys,
  ) {
    this.settings = repo.settings();
    this.series = new KeyWindows(this.windowSpan());
  }

  /**
   * Windows a key keeps below its newest: the baseline reads back to `baselineBuckets` + 1
   * below a step's window, and a step may lie a window or two behind the key's newest.
   */
  private windowSpan(): number {
    return this.settings.baselineBuckets + 3;
  }

  get bucketMs(): number {
    return this.settings.bucketMinutes * 60_000;
  }

  /** Recent windows and open moments from the store (after a restart or a rebuild). */
  load(): void {
    if (this.series.span === this.windowSpan()) this.series.clear();
    else this.series = new KeyWindows(this.windowSpan());
    this.recent.clear();
    this.fastNeg.clear();
    this.fastJudged.clear();
    this.open.clear();
    this.keyToMoment.crisis.clear();
    this.keyToMoment.opportunity.clear();
    this.streamNow = Number.NEGATIVE_INFINITY;
    this.startAt = null;
    this.steps = 0;
    this.lastTick = Number.NEGATIVE_INFINITY;
    this.lastPruneBucket = Number.NEGATIVE_INFINITY;
    this.termPruneDue = false;
    const b = this.repo.bucketBounds();
    if (b.lo !== null && b.hi !== null) {
      const stream = this.repo.streamBounds(FUTURE_DATED_MS);
      // The stream's start as live tracking saw it (its first mention, or the first after a day
      // without any: see steps.ts): a moment's baseline age reads the same after a restart.
      this.startAt = stream.last !== null ? this.repo.streamStart(stream.last, CLOCK_GAP_MS, FUTURE_DATED_MS) : b.lo * this.bucketMs;
      this.streamNow = stream.last ?? (b.hi + 1) * this.bucketMs - 1;
      for (const r of this.repo.countsFrom(b.hi - this.settings.baselineBuckets - 3)) {
        this.series.add(this.series.open(r.key, r.bucket, this.steps), r.n, r.neg, r.pos, r.sent_sum, r.brand, null, false);
      }
    }
    for (const m of this.repo.openMoments()) {
      const om = this.toOpen(m);
      for (const k of this.repo.keysOf(m.id)) {
        om.keys.set(k.key, { base: { mean: k.mean, sd: k.sd, negMean: k.neg_mean, negSd: k.neg_sd }, isTerm: k.key_kind === 'term' });
        this.keyToMoment[m.kind].set(k.key, m.id);
      }
      for (const id of this.repo.linkedIds(m.id, LINKED_MEMORY)) om.linked.add(id);
      this.open.set(m.id, om);
    }
  }

  private toOpen(m: MomentRow): OpenMoment {
    return {
      id: m.id,
      kind: m.kind,
      key: m.key,
      priority: this.keys.info(m.key)?.priority ?? 0,
      title: m.title,
      themeId: m.theme_id,
      openedAt: m.opened_at,
      updatedAt: m.updated_at,
      quietSince: m.quiet_since,
      peakZ: m.peak_z,
      keys: new Map(),
      linked: new Set(),
    };
  }

  /**
   * Forgets what no step will read again. A key's old windows go as it opens new ones
   * (opened()); a term key nobody has touched for a while goes whole: emergent terms are
   * mostly words seen once, and keeping every one ever seen grew the memory and the time of
   * this pass with the store. "A while" is counted in steps, not stream time, so two streams
   * on different clocks (a replay ahead of the live one) keep each other's terms; it is long
   * enough (a step covers at most 10 s of a stream) that the forgotten windows are older than
   * any baseline reads. Themes, brands and threads are few and always kept.
   *
   * The store keeps a term's windows only while they could matter: 2 days of stream time. The
   * partial index on the prunable term windows makes that a delete of the expired rows only,
   * whatever the store holds.
   */
  prune(now: number): void {
    // A step is one published time, which may be a millisecond or an hour after the last:
    // idleness is counted in 10-s ticks of stream time that a step moved into.
    const tick = Math.floor(now / IDLE_TICK_MS);
    if (tick !== this.lastTick) {
      this.lastTick = tick;
      this.steps++;
    }
    const idleBefore = this.steps - 2 * (this.settings.baselineBuckets + 3) * Math.ceil(this.bucketMs / IDLE_TICK_MS);
    // Themes, brands and threads go to the back of the queue: met again only after another idle period.
    this.series.forgetIdle(idleBefore, this.steps, keptWhenIdle);
    const b = Math.floor(now / this.bucketMs);
    if (b !== this.lastPruneBucket) {
      this.lastPruneBucket = b;
      this.termPruneDue = true;
    }
    if (this.termPruneDue) {
      this.termPruneDue = this.repo.pruneTerms(b - Math.ceil((2 * 86_400_000) / this.bucketMs), PRUNE_ROWS) === PRUNE_ROWS;
    }
  }
}
