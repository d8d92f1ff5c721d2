// Over 500 lines (~1,350) and the next file to split, not split this session: tracking and the
// rebuild run inside the ingest transaction and share the in-memory windows (windows.ts), the
// settings cache and the open-moment map; moving them apart safely needs the scenario library
// re-run at each step. Seams: the rebuild (slices, yielding), open/merge/close, the reads.
// Moments at run time: the in-memory recent windows per key (the source of truth is
// moment_counts; memory only spares a read per key per batch), incremental tracking of every
// ingest batch inside its transaction, open/merge/close of moments, a rebuild from the stored
// mentions, and the reads behind the contract.
import type { MentionTheme, PerimeterTheme } from '../../shared/perimeters';
import {
  MomentSettingsSchema,
  type MomentBucket,
  type MomentDetail,
  type MomentKeyKind,
  type MomentKind,
  type MomentSettings,
  type MomentSummary,
} from '../../shared/moments';
import type { Mention } from '../../shared/schemas';
import { CLOCK_GAP_MS, FUTURE_DATED_MS, isFutureDated } from '../../shared/clock';
import type { SentimentLabel } from '../../shared/sentiment';
import type { EventBus } from '../api/events';
import { Signal } from '../api/signal';
import type { EventPayload } from '../../shared/contract';
import type { Logger } from '../platform';
import type { PerimetersService } from '../perimeters';
import { setCheckpointPages, type Db } from '../store/db';
import type { MentionInsert, MentionsRepo } from '../store/mentions-repo';
import { MomentsRepo, type MomentKeyRow, type MomentRow, type TrackedRow } from '../store/moments-repo';
import { MomentAcksRepo } from '../store/moment-acks-repo';
import { classify, CRISIS_NEG_SHARE, mayClassify, ewmaBaseline, fastCrisis, FAST_WINDOW_MS, negFloor, stillActive, withPrior, type Baseline, type KeyInfo, type TrackItem, type WindowStats } from './detector';
import { fold } from '../../shared/text';
import { emergentTerms, ThemeVocabulary, type FoldedMention } from './terms';
import { KeyWindows } from './windows';

/** Idle keys are counted in ticks of this much stream time (see prune). */
const IDLE_TICK_MS = 10_000;
/** Overlap of recent mentions above which a newly surging key joins an open moment. */
const MERGE_OVERLAP = 0.3;
/** Share of an opportunity's recent mentions that, belonging to an open crisis, make it that crisis' echo. */
const ECHO_SHARE = 0.5;
const MOMENT_KINDS: readonly MomentKind[] = ['crisis', 'opportunity'];
const SPARK_BUCKETS = 24;
/**
 * A rebuild gives the thread back at least this often (elapsed time, not a row count: a
 * slice of long mentions costs more than one of short ones, and the machine may be busy), so
 * no request waits behind it for much longer: the bound is 100 ms.
 */
const REBUILD_YIELD_MS = 10;
/** What one slice (one transaction) of a rebuild aims to take; its row count adapts to it. */
const REBUILD_SLICE_MS = 8;
/**
 * Term windows pruned from the store per statement: a backlog (a jump in stream time) goes
 * over several steps. 5,000 took up to ~40 ms in one statement of a rebuild slice.
 */
const PRUNE_ROWS = 1_000;
/**
 * WAL pages a rebuild lets pile up before a commit copies them back (SQLite's own default):
 * the clear and the scan write millions of rows, and at the store's usual 8,000 pages the
 * commit that crossed the mark held the thread for 100–250 ms.
 */
const REBUILD_CHECKPOINT_PAGES = 1_000;
const LINKED_MEMORY = 20_000;
const RECENT_MEMORY = 20_000;

interface OpenMoment {
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

interface RecentItem {
  id: number;
  publishedAt: number;
  score: number | null;
  label: TrackItem['label'];
  /** Who wrote it (authorOf): a crisis is several people. */
  who: string;
}

interface Candidate {
  key: string;
  info: KeyInfo;
  base: Baseline;
  kind: MomentKind;
  z: number;
  /** Stream time the evidence was complete (the step's time, or the fast path's mention). */
  at: number;
}

interface BrandInfo {
  id: number;
  name: string;
  /** Folded names that mark a mention as about the brand (brand and product names). */
  needles: string[];
}

interface Context {
  themes: Map<number, PerimeterTheme>;
  brands: BrandInfo[];
  vocab: ThemeVocabulary;
  signature: string;
}

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

const iso = (ms: number): string => new Date(ms).toISOString();

export class MomentsService {
  /** Moments opened, updated or rebuilt: audiences re-judge their risk, acknowledgements re-attach. */
  readonly changes = new Signal<EventPayload<'moments.changed'>>();
  readonly repo: MomentsRepo;
  /** Who took each moment in charge (written by MomentAcks, read into every summary). */
  private readonly acks: MomentAcksRepo;
  private settingsCache: MomentSettings;
  /**
   * Windows per key, least recently opened first (a key moves to the back when it opens a
   * window), and what each batch added to them until it is written.
   */
  private series: KeyWindows;
  /** Scratch of baseline(): one key's windows over the baseline's span. */
  private baseN = new Float64Array(0);
  private baseNeg = new Float64Array(0);
  /** Steps seen: the clock by which idle term keys are forgotten. */
  private steps = 0;
  private lastTick = Number.NEGATIVE_INFINITY;
  /** More stale term windows are waiting in the store than one prune statement took. */
  private termPruneDue = false;
  private streamNow = Number.NEGATIVE_INFINITY;
  private startAt: number | null = null;
  private lastPruneBucket = Number.NEGATIVE_INFINITY;
  private open = new Map<number, OpenMoment>();
  /** The last few thousand tracked mentions, so opening a moment need not read them back. */
  private recent = new Map<number, RecentItem>();
  /** Recent mentions (time, author, negative?) of the keys the fast path watches: on a theme only its negatives. */
  private fastNeg = new Map<string, { at: number; who: string; neg: boolean }[]>();
  /**
   * Per watched key, the stream time up to which its negatives have been judged: each one is
   * judged once, when it arrives (again only when a late or same-time one slots in before it),
   * so judging at every mention stays linear in a long pile-on.
   */
  private fastJudged = new Map<string, number>();
  /** Mentions of the batch being tracked that were more than a day behind the stream (see step). */
  private behindCount = 0;
  /**
   * The open moment each key belongs to, per kind: a crisis and an opportunity never merge, so
   * a key (the brand, an owned thread, a term) may be in one open crisis and one open
   * opportunity at the same time.
   */
  private keyToMoment: Record<MomentKind, Map<string, number>> = { crisis: new Map(), opportunity: new Map() };
  private ctx: Context | null = null;
  private rebuilding: Promise<void> | null = null;
  private rebuildAgain = false;
  private rebuildTimer = false;
  /** Where a running rebuild has read up to, in stream order (published_at, id). */
  private rebuildCursor: { at: number; id: number } | null = null;
  /** Mentions stored during a rebuild behind its cursor: the scan will not meet them again. */
  private rebuildLate: number[] = [];
  /** How the last rebuild was sliced (the bench and tests read it). */
  readonly rebuildStats = { slices: 0, yields: 0, rows: 0, longestSliceMs: 0, longestSliceCpuMs: 0 };
  private readonly clock: () => number;
  private stopped = false;
  private pendingOpened: number[] = [];
  private emitQueued = false;
  /** Something a client shows changed in this batch (a moment opened, grew or closed). */
  private dirty = false;
  private readonly defer: (f: () => void, ms: number) => void;
  private readonly processTx: (items: TrackItem[], live: boolean) => void;

  constructor(private readonly deps: MomentsDeps) {
    this.repo = new MomentsRepo(deps.db);
    this.acks = new MomentAcksRepo(deps.db);
    this.defer = deps.defer ?? ((f, ms) => void setTimeout(f, ms));
    this.clock = deps.clock ?? (() => performance.now());
    this.settingsCache = this.repo.settings();
    this.series = new KeyWindows(this.windowSpan());
    // A nested db.transaction is a SAVEPOINT: a failure here undoes only the moments' writes,
    // never the batch of mentions around it.
    this.processTx = deps.db.transaction((items: TrackItem[], live: boolean) => this.processSorted(items, live));
    this.ctx = this.buildContext();
    this.load();
    deps.perimeters.changes.on(() => this.perimetersChanged());
    // Mentions stored before moments existed (or a store whose counts were lost) are read once.
    const bounds = this.repo.bucketBounds();
    if (bounds.lo === null && deps.mentions.countAll() > 0) this.rebuildInBackground();
  }

  get settings(): MomentSettings {
    return this.settingsCache;
  }

  /**
   * Windows a key keeps below its newest: the baseline reads back to `baselineBuckets` + 1
   * below a step's window, and a step may lie a window or two behind the key's newest.
   */
  private windowSpan(): number {
    return this.settingsCache.baselineBuckets + 3;
  }

  private get bucketMs(): number {
    return this.settingsCache.bucketMinutes * 60_000;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Whether a rebuild is running (tests wait on it). */
  get busy(): boolean {
    return this.rebuilding !== null || this.rebuildTimer;
  }

  /** Resolves when no rebuild is running or scheduled. */
  async idle(): Promise<void> {
    while (this.busy) {
      if (this.rebuilding) await this.rebuilding;
      else await new Promise((r) => setTimeout(r, 20));
    }
  }

  // --- context: themes, brands, vocabulary ---

  private buildContext(): Context {
    const repo = this.deps.perimeters.repo;
    const themes = new Map(repo.themes().map((t) => [t.id, t]));
    const products = repo.products();
    const brands: BrandInfo[] = repo.brands().map((b) => {
      const name = fold(b.name);
      const handle = name.replace(/[^\p{L}\p{N}]/gu, '');
      // People write a brand as its handle and hashtag too (@cosmeticiiris, #CosmeticiIris):
      // the name without spaces counts when it differs from the name and is long enough not
      // to occur inside ordinary words.
      const compact = handle !== name && handle.length >= 6 ? [handle] : [];
      const needles = [name, ...compact, ...products.filter((p) => p.brandId === b.id).map((p) => fold(p.name))].filter((s) => s.length >= 3);
      return { id: b.id, name: b.name, needles };
    });
    const vocab = new ThemeVocabulary(
      [...themes.values()].map((t) => t.query),
      [...repo.brands().map((b) => b.name), ...products.map((p) => p.name)],
    );
    const signature = JSON.stringify({
      t: [...themes.values()].map((t) => [t.id, t.brandId, t.name, t.query, t.stance, t.swot]),
      b: brands.map((b) => [b.id, b.needles]),
      // The brands' declared own accounts decide the owned-thread keys.
      o: this.deps.perimeters.owned.signature(),
    });
    return { themes, brands, vocab, signature };
  }

  private context(): Context {
    if (!this.ctx) this.ctx = this.buildContext();
    return this.ctx;
  }

  /**
   * Perimeter edits change what keys exist and how they classify. Tracking picks the new
   * perimeter up at once; stored moments are recomputed once the re-match has finished.
   */
  private perimetersChanged(): void {
    const before = this.ctx?.signature;
    this.ctx = null;
    const after = this.context().signature;
    if (before === after || this.stopped) return;
    this.scheduleRebuild();
  }

  private scheduleRebuild(): void {
    if (this.rebuildTimer) return;
    this.rebuildTimer = true;
    const attempt = (): void => {
      if (this.stopped) {
        this.rebuildTimer = false;
        return;
      }
      if (this.deps.perimeters.busy) {
        this.defer(attempt, 250);
        return;
      }
      this.rebuildTimer = false;
      this.rebuildInBackground();
    };
    this.defer(attempt, 300);
  }

  /** The brand whose own thread this is, from the accounts declared in Perimetri. */
  private ownerOf(sourceName: string, threadId: string, url: string | null = null): number | null {
    return this.deps.perimeters.owned.threadOwner(sourceName, threadId, url);
  }

  private keyInfo(key: string): KeyInfo | null {
    const ctx = this.context();
    const colon = key.indexOf(':');
    const kind = key.slice(0, colon);
    const rest = key.slice(colon + 1);
    if (kind === 'th') {
      const t = ctx.themes.get(Number(rest));
      if (!t) return null;
      const exposed = t.stance !== 'in_perimeter';
      return { kind: 'theme', label: t.name, themeId: t.id, crisisOk: exposed, opportunityOk: !exposed, priority: 4 };
    }
    if (kind === 'b') {
      const b = ctx.brands.find((x) => x.id === Number(rest));
      if (!b) return null;
      return { kind: 'brand', label: b.name, themeId: null, crisisOk: true, opportunityOk: true, priority: 2 };
    }
    if (kind === 'o') {
      // o:<sourceName>\u0000<threadId>
      const [source, thread] = rest.split('\u0000');
      return { kind: 'thread', label: `${thread ?? ''} · ${source ?? ''}`, themeId: null, crisisOk: true, opportunityOk: true, priority: 3 };
    }
    if (kind === 't') return { kind: 'term', label: rest, themeId: null, crisisOk: false, opportunityOk: true, priority: 1 };
    return null;
  }

  /** Keys of one mention, and whether it is about a brand. */
  private keysOf(it: TrackItem): { keys: string[]; brand: boolean } {
    const ctx = this.context();
    const keys: string[] = [];
    const brandIds = new Set<number>();
    for (const id of it.themeIds) {
      const t = ctx.themes.get(id);
      if (!t) continue;
      keys.push(`th:${id}`);
      brandIds.add(t.brandId);
    }
    // A mention on (or by) the brand's own account is about the brand; its thread is tracked
    // when the thread itself is the brand's.
    const owner = this.deps.perimeters.owned.ownerOf(it);
    if (owner !== null) brandIds.add(owner);
    if (it.threadId && this.ownerOf(it.sourceName, it.threadId, it.url) !== null) keys.push(`o:${it.sourceName}\u0000${it.threadId}`);
    // Folded once for the brand names and the terms.
    let folded: FoldedMention | undefined;
    if (ctx.brands.length > 0 && brandIds.size < ctx.brands.length) {
      const f: FoldedMention = { title: it.title ? fold(it.title) : null, text: fold(it.text) };
      folded = f;
      const text = f.title !== null ? `${f.title} ${f.text}` : f.text;
      for (const b of ctx.brands) if (!brandIds.has(b.id) && b.needles.some((n) => text.includes(n))) brandIds.add(b.id);
    }
    for (const b of brandIds) keys.push(`b:${b}`);
    if (this.settingsCache.trackTerms) for (const t of emergentTerms(it.title, it.text, ctx.vocab, folded, 't:')) keys.push(t);
    return { keys, brand: brandIds.size > 0 };
  }

  // --- state ---

  /** Recent windows and open moments from the store (after a restart or a rebuild). */
  private load(): void {
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
      // without any: see step): a moment's baseline age reads the same after a restart.
      this.startAt = stream.last !== null ? this.repo.streamStart(stream.last, CLOCK_GAP_MS, FUTURE_DATED_MS) : b.lo * this.bucketMs;
      this.streamNow = stream.last ?? (b.hi + 1) * this.bucketMs - 1;
      for (const r of this.repo.countsFrom(b.hi - this.settingsCache.baselineBuckets - 3)) {
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
      priority: this.keyInfo(m.key)?.priority ?? 0,
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

  private windowStats(key: string, now: number): WindowStats {
    return this.windowStatsFrom(key, now, Number.NEGATIVE_INFINITY)!;
  }

  /** windowStats, or null when the window's volume is under `minN` (without building them). */
  private windowStatsFrom(key: string, now: number, minN: number): WindowStats | null {
    const B = this.bucketMs;
    const b = Math.floor(now / B);
    const w = 1 - (now - b * B) / B;
    const t = this.series;
    const k = t.slot(key);
    const cur = t.windowAt(k, b);
    const prev = t.windowAt(k, b - 1);
    if (t.n(cur) + t.n(prev) * w < minN) return null;
    return {
      n: t.n(cur) + t.n(prev) * w,
      neg: t.neg(cur) + t.neg(prev) * w,
      sent: t.sent(cur) + t.sent(prev) * w,
      brand: t.brand(cur) + t.brand(prev) * w,
    };
  }

  /**
   * The key's baseline at `now`: the EWMA of its past windows, completed by the negatives'
   * prior while the stream is younger than the baseline's span (see `withPrior`).
   */
  private baseline(key: string, now: number): Baseline {
    const B = this.bucketMs;
    const L = this.settingsCache.baselineBuckets;
    const b = Math.floor(now / B);
    const startBucket = this.startAt === null ? b : Math.floor(this.startAt / B);
    const from = Math.max(b - 1 - L, startBucket);
    const to = b - 2;
    // The key's windows in one walk (a missing window reads as zero, as ewmaBaseline takes it).
    if (to - from + 1 > this.baseN.length) {
      this.baseN = new Float64Array(to - from + 1);
      this.baseNeg = new Float64Array(to - from + 1);
    }
    const n = this.baseN;
    const neg = this.baseNeg;
    this.series.fill(this.series.slot(key), from, to, n, neg);
    const at = { n: 0, neg: 0 };
    const get = (x: number): { n: number; neg: number } => {
      at.n = n[x - from]!;
      at.neg = neg[x - from]!;
      return at;
    };
    const obs = ewmaBaseline(get, from, to, L);
    return withPrior(obs, b - 1 - startBucket, L, negFloor(this.settingsCache));
  }

  /** Minutes of observed stream behind a baseline at `at`, up to the baseline's span. */
  private baselineMinutes(at: number): number {
    const span = this.settingsCache.baselineBuckets * this.settingsCache.bucketMinutes;
    if (this.startAt === null) return span;
    // A moment of an earlier stream (before a day without mentions) had that stream's start.
    const start = at >= this.startAt ? this.startAt : this.repo.streamStart(at, CLOCK_GAP_MS, FUTURE_DATED_MS);
    return Math.max(0, Math.min(span, Math.floor((at - start) / 60_000)));
  }

  private recentIds(key: string, now: number): number[] {
    const b = Math.floor(now / this.bucketMs);
    const t = this.series;
    const k = t.slot(key);
    return t.ids(t.windowAt(k, b), t.ids(t.windowAt(k, b - 1), []));
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
  private prune(now: number): void {
    // A step is one published time, which may be a millisecond or an hour after the last:
    // idleness is counted in 10-s ticks of stream time that a step moved into.
    const tick = Math.floor(now / IDLE_TICK_MS);
    if (tick !== this.lastTick) {
      this.lastTick = tick;
      this.steps++;
    }
    const idleBefore = this.steps - 2 * (this.settingsCache.baselineBuckets + 3) * Math.ceil(this.bucketMs / IDLE_TICK_MS);
    // Themes, brands and threads go to the back of the queue: met again only after another idle period.
    this.series.forgetIdle(idleBefore, this.steps, (key) => !key.startsWith('t:'));
    const b = Math.floor(now / this.bucketMs);
    if (b !== this.lastPruneBucket) {
      this.lastPruneBucket = b;
      this.termPruneDue = true;
    }
    if (this.termPruneDue) {
      this.termPruneDue = this.repo.pruneTerms(b - Math.ceil((2 * 86_400_000) / this.bucketMs), PRUNE_ROWS) === PRUNE_ROWS;
    }
  }

  // --- tracking ---

  /** The ingest hook: mentions just inserted, inside the batch transaction. */
  trackInserted(rows: readonly { id: number; row: MentionInsert }[], themes: Map<number, MentionTheme[]>): void {
    if (this.stopped || rows.length === 0) return;
    if (this.rebuilding) {
      this.noteDuringRebuild(rows);
      return;
    }
    // A future-dated mention (a wrong clock, shared/clock.ts) is stored and shown, never counted.
    const items: TrackItem[] = rows.filter(({ row }) => !isFutureDated(row.publishedAt, row.fetchedAt)).map(({ id, row }) => ({
      id,
      publishedAt: row.publishedAt,
      title: row.title,
      text: row.text,
      sourceId: row.sourceId,
      sourceName: row.sourceName,
      threadId: row.threadId,
      url: row.canonicalUrl,
      authorKey: row.authorKey,
      score: row.sentimentScore,
      label: row.sentimentLabel,
      themeIds: (themes.get(id) ?? []).map((t) => t.themeId),
    }));
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
  relabel(id: number, before: { label: SentimentLabel | null; score: number | null }, after: { label: SentimentLabel | null; score: number | null }): void {
    if (this.stopped) return;
    // A running rebuild may already have read this mention with its old label: run it again.
    if (this.rebuilding) {
      this.rebuildAgain = true;
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
      this.scheduleRebuild();
      return;
    }
    this.queueEmit();
  }

  /** Many relabels (a re-score batch) in one write transaction instead of one each. */
  relabelMany(changes: readonly { id: number; before: { label: SentimentLabel | null; score: number | null }; after: { label: SentimentLabel | null; score: number | null } }[]): void {
    if (changes.length === 0 || this.stopped) return;
    this.deps.db.transaction(() => {
      for (const c of changes) this.relabel(c.id, c.before, c.after);
    })();
  }

  private readonly relabelTx = (id: number, d: { neg: number; pos: number; sent: number }, after: { label: SentimentLabel | null; score: number | null }): void => {
    this.deps.db.transaction(() => {
      const row = this.repo.tracked(id);
      // A future-dated mention was never counted: there is nothing to move.
      if (!row || isFutureDated(row.published_at, row.fetched_at)) return;
      const bucket = Math.floor(row.published_at / this.bucketMs);
      for (const key of this.keysOf(rowToItem(row)).keys) {
        this.repo.adjustCount(key, bucket, d);
        const w = this.series.get(key, bucket);
        if (w >= 0) this.series.adjust(w, d.neg, d.pos, d.sent);
      }
      for (const mid of this.repo.momentIdsOfMention(id)) this.repo.adjustTotals(mid, d);
      const r = this.recent.get(id);
      if (r) this.recent.set(id, { ...r, label: after.label, score: after.score });
    })();
  };

  private track(items: TrackItem[], live: boolean): void {
    this.behindCount = 0;
    try {
      this.processTx(items, live);
    } catch (e) {
      this.deps.logger.error('momenti: aggiornamento non riuscito, li ricalcolo dai dati salvati', { error: e instanceof Error ? e.message : String(e) });
      this.scheduleRebuild();
      return;
    }
    if (live && this.dirty) this.queueEmit();
    this.dirty = false;
    // An archive sent days late could hold moments of its own: recomputed in published order,
    // they open as an import of everything would. A few strays cannot surge: no recompute.
    if (live && this.behindCount >= this.settingsCache.minVolume) this.scheduleRebuild();
  }

  private processSorted(items: TrackItem[], live: boolean): void {
    const sorted = [...items].sort((a, b) => a.publishedAt - b.publishedAt || a.id - b.id);
    // Counts are written once per batch: the steps read them from memory, and only the reads
    // after the batch (lists, sparklines) need them stored, so finer steps cost no writes.
    // Each window carries its own pending row: no lookup of it per key of each mention.
    let written = false;
    // One step per published time, judged once all the batch's mentions of that time are
    // counted: a moment opens at the mention that completed its evidence, so the way a stream
    // is cut into batches (a webhook sender posting each mention, an import in one go, a replay
    // at any speed, a rebuild in chunks) never changes what opens when. Steps on a fixed grid
    // (10 s) were judged at the newest mention of whatever part of the step a batch held: the
    // same opportunity opened at 18:52:22 through the webhook and 18:52:29 through import.
    try {
      let i = 0;
      while (i < sorted.length) {
        const t = sorted[i]!.publishedAt;
        let j = i;
        while (j < sorted.length && sorted[j]!.publishedAt === t) j++;
        this.step(sorted.slice(i, j), live);
        i = j;
      }
      this.repo.upsertCountsFlat(this.series.takePending());
      written = true;
    } finally {
      // A failed batch (rolled back, then rebuilt) leaves no row pending on the windows.
      if (!written) this.series.takePending(false);
    }
  }

  /** One step of stream time (the mentions of one published time): count, link, evaluate. */
  private step(items: TrackItem[], live: boolean): void {
    const B = this.bucketMs;
    // Each step is judged at its own time, not at the newest time ever seen: a stream replayed
    // ahead of the clock (the demo) must not mute the live one after it. (Future-dated mentions
    // never get here: see trackInserted.)
    const now = items[0]!.publishedAt;
    // More than a day behind the stream (an archive sent late, a stray from a wrong clock): the
    // windows it lands in were judged long ago against baselines no longer in memory, and the
    // moments open now are not about it. It is counted where it belongs, opens and joins
    // nothing, and does not move the stream's start; a batch of them large enough to surge on
    // its own has the moments recomputed in published order (see track).
    const behind = now < this.streamNow - CLOCK_GAP_MS;
    if (behind) this.behindCount += items.length;
    const touched = new Set<string>();
    const itemKeys: { it: TrackItem; keys: string[] }[] = [];
    const fastTouched = new Set<string>();
    for (const it of items) {
      const { keys, brand } = this.keysOf(it);
      itemKeys.push({ it, keys });
      this.recent.set(it.id, { id: it.id, publishedAt: it.publishedAt, score: it.score, label: it.label, who: authorOf(it) });
      if (!behind) this.noteFast(it, keys, fastTouched);
      const bucket = Math.floor(it.publishedAt / B);
      const neg = it.label === 'negative' ? 1 : 0;
      const pos = it.label === 'positive' ? 1 : 0;
      const sent = it.score ?? 0;
      const inBrand = brand ? 1 : 0;
      const t = this.series;
      for (const key of keys) {
        t.add(t.open(key, bucket, this.steps), 1, neg, pos, sent, inBrand, it.id, true);
        touched.add(key);
      }
    }
    if (behind) return;
    // The stream starts at its first mention, or afresh after a day without any: a stray from
    // 1970 before today's traffic, or last month's test mention, says nothing about the hour
    // before it (load() reads the same start back after a restart: MomentsRepo.streamStart).
    if (this.startAt === null || now > this.streamNow + CLOCK_GAP_MS) this.startAt = now;
    else if (now < this.startAt) this.startAt = now;
    if (now > this.streamNow) this.streamNow = now;

    // Mentions of keys already in an open moment join it.
    const byMoment = new Map<number, TrackItem[]>();
    for (const { it, keys } of itemKeys) {
      for (const key of keys) {
        for (const kind of MOMENT_KINDS) {
          const mid = this.keyToMoment[kind].get(key);
          if (mid === undefined || !this.linksThrough(mid, key)) continue;
          const list = byMoment.get(mid) ?? [];
          if (list[list.length - 1] !== it) list.push(it);
          byMoment.set(mid, list);
        }
      }
    }
    for (const [mid, list] of byMoment) {
      const m = this.open.get(mid);
      if (!m) continue;
      // A late mention from before the window that opened the moment is not part of it (in
      // published order it would have come before the moment existed).
      const from = (Math.floor(m.openedAt / B) - 1) * B;
      this.linkItems(m, list.filter((it) => this.fits(m.kind, it.label) && it.publishedAt >= from));
    }

    this.openNew(touched, now, live, this.fastCandidates(fastTouched));
    this.updateOpen(now);
    this.prune(now);
    if (this.recent.size > RECENT_MEMORY) {
      let drop = this.recent.size - RECENT_MEMORY;
      for (const id of this.recent.keys()) {
        if (drop-- <= 0) break;
        this.recent.delete(id);
      }
    }
  }

  /**
   * Whether a key's mentions join its moment. The brand as a whole only confirms a moment that
   * another key named: its everyday talk would otherwise flood the moment's mentions.
   */
  private linksThrough(momentId: number, key: string): boolean {
    if (!key.startsWith('b:')) return true;
    return this.open.get(momentId)?.key === key;
  }

  /** A crisis gathers what is not positive, an opportunity what is not negative. */
  private fits(kind: MomentKind, label: TrackItem['label']): boolean {
    return kind === 'crisis' ? label !== 'positive' : label !== 'negative';
  }

  private linkItems(m: OpenMoment, items: readonly { id: number; publishedAt: number; score: number | null; label: TrackItem['label'] }[]): void {
    if (items.length === 0) return;
    const fresh = this.repo.link(m.id, items.map((it) => ({ id: it.id, publishedAt: it.publishedAt, score: it.score, negative: it.label === 'negative' })));
    if (fresh.length > 0) this.dirty = true;
    for (const id of fresh) m.linked.add(id);
    if (m.linked.size > LINKED_MEMORY) {
      const drop = m.linked.size - LINKED_MEMORY;
      let k = 0;
      for (const id of m.linked) {
        if (k++ >= drop) break;
        m.linked.delete(id);
      }
    }
    for (const it of items) if (it.publishedAt > m.updatedAt && it.publishedAt <= this.streamNow) m.updatedAt = it.publishedAt;
  }

  /**
   * Whether the fast path watches a key: a sensitive or forbidden theme, or a thread on the
   * brand's own accounts, where a negative surge exposes the brand. Not the brand as a whole:
   * it is the busiest key and follows a daily rhythm, so over two minutes its morning's first
   * complaints, measured against the night, look like a pile-on (seven false crises in the
   * calm-week scenario); a brand-wide pile-on is caught by its share test, judged every step.
   */
  private fastWatched(key: string): boolean {
    if (key.startsWith('o:')) return true;
    if (!key.startsWith('th:')) return false;
    const info = this.keyInfo(key);
    return info !== null && info.crisisOk && info.kind === 'theme';
  }

  /**
   * An owned thread carries everyday talk (a post collects replies: that is what a post is),
   * so its fast path also wants most of its last two minutes negative, and measures the
   * negatives against its brand's rate when that is higher than the thread's own: every new
   * post starts with no history, and two complaints in two minutes on a busy brand's post
   * are ordinary, while on a brand with five mentions a day they are not.
   */
  private busyFast(key: string): boolean {
    return key.startsWith('o:');
  }

  /** Records a mention on the watched keys it carries; a negative one asks for a judgment. */
  private noteFast(it: TrackItem, keys: readonly string[], touched: Set<string>): void {
    const neg = it.label === 'negative';
    for (const key of keys) {
      // keysOf lists themes, threads and brands before the (many) terms, which are never watched.
      if (key.startsWith('t:')) break;
      if (!this.fastWatched(key)) continue;
      // On a theme only the negatives matter; on the brand and its threads, the share too.
      if (!neg && !this.busyFast(key)) continue;
      let list = this.fastNeg.get(key);
      if (!list) this.fastNeg.set(key, (list = []));
      // Kept in stream order (a late mention slots in where it belongs).
      let i = list.length;
      while (i > 0 && list[i - 1]!.at > it.publishedAt) i--;
      list.splice(i, 0, { at: it.publishedAt, who: authorOf(it), neg });
      const judged = this.fastJudged.get(key);
      if (judged !== undefined && it.publishedAt <= judged) this.fastJudged.set(key, it.publishedAt - 1);
      // Forget what is too old to matter only when the stream moves forward: a late batch
      // (a source back after an hour) slots in behind newer mentions and must be judged with
      // its own neighbours, as an import of the same stream in order judges it.
      if (i === list.length - 1) {
        const horizon = it.publishedAt - 2 * FAST_WINDOW_MS;
        let drop = 0;
        while (drop < list.length && list[drop]!.at < horizon) drop++;
        if (drop > 0) list.splice(0, drop);
      }
      if (neg) touched.add(key);
    }
  }

  /**
   * The fast path, judged at each negative mention of a watched key (not at the step's end):
   * the crisis opens at the mention that completed the evidence, whatever the batching, so a
   * replay in 10-s slices, an import and a rebuild open it at the same stream time.
   */
  private fastCandidates(keys: Set<string>): Candidate[] {
    const out: Candidate[] = [];
    const s = this.settingsCache;
    for (const key of keys) {
      if (this.keyToMoment.crisis.has(key)) continue;
      const list = this.fastNeg.get(key);
      const info = this.keyInfo(key);
      if (!list || !info || list.length === 0) continue;
      const busy = this.busyFast(key);
      const judged = this.fastJudged.get(key) ?? Number.NEGATIVE_INFINITY;
      this.fastJudged.set(key, list[list.length - 1]!.at);
      for (let j = 0; j < list.length; j++) {
        const at = list[j]!.at;
        if (at <= judged || !list[j]!.neg) continue;
        const authors = new Set<string>();
        let k = 0;
        let all = 0;
        for (let i = j; i >= 0 && list[i]!.at > at - FAST_WINDOW_MS; i--) {
          all++;
          if (!list[i]!.neg) continue;
          k++;
          authors.add(list[i]!.who);
        }
        if (busy && k < CRISIS_NEG_SHARE * all) continue;
        const base = this.baseline(key, at);
        const [source, thread] = key.slice(2).split('\u0000');
        const owner = busy ? this.ownerOf(source ?? '', thread ?? '') : null;
        const negMean = owner === null ? base.negMean : Math.max(base.negMean, this.baseline(`b:${owner}`, at).negMean);
        const z = fastCrisis(k, authors.size, negMean, s);
        if (z !== null) {
          out.push({ key, info, base, kind: 'crisis', z, at });
          break;
        }
      }
    }
    return out;
  }

  private openNew(touched: Set<string>, now: number, live: boolean, fast: Candidate[]): void {
    const s = this.settingsCache;
    const candidates: Candidate[] = [...fast];
    const fastKeys = new Set(fast.map((c) => c.key));
    for (const key of touched) {
      if ((this.keyToMoment.crisis.has(key) && this.keyToMoment.opportunity.has(key)) || fastKeys.has(key)) continue;
      // Cheap test first: most keys (terms) are far below any minimum.
      const st = this.windowStatsFrom(key, now, Math.min(s.minVolume, s.minTermVolume));
      if (!st) continue;
      const info = this.keyInfo(key);
      if (!info || !mayClassify(info, st, s)) continue;
      const base = this.baseline(key, now);
      const v = classify(info, st, base, s);
      // A crisis is judged from the first minute; a trend only against a full baseline: over
      // a young one the morning's own ramp (the brand's, a breakfast theme's) reads as a rise.
      // Trends are not urgent, and a false one costs a team its attention.
      if (v?.kind === 'opportunity' && (base.observed ?? s.baselineBuckets) < s.baselineBuckets) continue;
      // A crisis is people: one account posting three hundred complaints is spam for moderation
      // (the inbox flags it), not a pile-on. The minimum volume counts authors as well.
      if (v?.kind === 'crisis' && this.negAuthors(key, now) < (info.kind === 'term' ? s.minTermVolume : s.minVolume)) continue;
      if (v && !this.keyToMoment[v.kind].has(key)) candidates.push({ key, info, base, kind: v.kind, z: v.z, at: now });
    }
    candidates.sort((a, b) => b.info.priority - a.info.priority || b.z - a.z);
    // Per open moment, the recent mentions its keys carry (built once per step, dropped when a key joins).
    const carriedCache = new Map<number, Set<number>>();
    for (const c of candidates) {
      if (this.keyToMoment[c.kind].has(c.key)) continue;
      // "The same mentions" are those that could belong to a moment of this kind (a crisis
      // gathers what is not positive): a post's fans must not dilute its pile-on's overlap
      // with the crisis its theme already opened.
      const ids = this.recentItems(c.key, now).filter((it) => this.fits(c.kind, it.label)).map((it) => it.id);
      let target: OpenMoment | null = null;
      let best = 0;
      // A key surging with the same mentions as an open moment OF ITS KIND is part of it.
      // "The same mentions" counts those linked to the moment and those that carry one of its
      // keys: a term surging on the crisis' own words ("trova" in "la gente trova muffa") is
      // the crisis whether or not the moment has linked those mentions yet, so live tracking
      // (which sees the term early) and a rebuild (which sees it late) agree. Kinds never
      // merge: a crisis during an opportunity is a second moment, never swallowed by the first
      // nor swallowing it.
      const brandId = c.info.kind === 'brand' ? Number(c.key.slice(2)) : null;
      // A rising, not negative surge made mostly of an open crisis' own neutral mentions (the
      // "richiamate le capsule" of a pile-on) is that crisis' echo, not something the brand
      // may join: no opportunity opens on it.
      if (c.kind === 'opportunity' && ids.length > 0 && this.echoOfCrisis(c.key, now, carriedCache)) continue;
      for (const m of this.open.values()) {
        if (m.kind !== c.kind) continue;
        let ov: number;
        // The brand as a whole surging while a moment of the same kind about that brand is
        // open is that moment seen from above, not a second one.
        if (brandId !== null && this.brandsOf(m).has(brandId)) ov = 1;
        else {
          if (ids.length === 0) continue;
          let hit = 0;
          let carried = carriedCache.get(m.id);
          if (!carried) carriedCache.set(m.id, (carried = this.carriedBy(m, now)));
          for (const id of ids) if (m.linked.has(id) || carried.has(id)) hit++;
          ov = hit / ids.length;
        }
        if (ov >= MERGE_OVERLAP && ov > best) {
          best = ov;
          target = m;
        }
      }
      if (target) {
        if (c.info.priority > target.priority) {
          target.key = c.key;
          target.priority = c.info.priority;
          target.title = c.info.label;
          target.themeId = c.info.themeId;
          this.repo.retitle(target.id, c.key, c.info.kind, c.info.label, c.info.themeId);
        }
        target.peakZ = Math.max(target.peakZ, c.z);
      } else {
        const id = this.repo.insertMoment({
          kind: c.kind,
          key: c.key,
          keyKind: c.info.kind,
          title: c.info.label,
          themeId: c.info.themeId,
          openedAt: c.at,
          peakZ: c.z,
          createdAt: this.deps.now(),
        });
        target = {
          id,
          kind: c.kind,
          key: c.key,
          priority: c.info.priority,
          title: c.info.label,
          themeId: c.info.themeId,
          openedAt: c.at,
          updatedAt: now,
          quietSince: null,
          peakZ: c.z,
          keys: new Map(),
          linked: new Set(),
        };
        this.open.set(id, target);
        if (live) this.pendingOpened.push(target.id);
      }
      const t = target;
      this.dirty = true;
      this.repo.addKey({ moment_id: t.id, key: c.key, key_kind: c.info.kind, label: c.info.label, mean: c.base.mean, sd: c.base.sd, neg_mean: c.base.negMean, neg_sd: c.base.negSd });
      t.keys.set(c.key, { base: c.base, isTerm: c.info.kind === 'term' });
      carriedCache.delete(t.id);
      this.keyToMoment[t.kind].set(c.key, t.id);
      // The window that opened it belongs to it.
      if (this.linksThrough(t.id, c.key)) this.linkItems(t, this.recentItems(c.key, now).filter((it) => this.fits(t.kind, it.label)));
      this.persist(t);
    }
  }

  /**
   * Whether at least ECHO_SHARE of a key's recent mentions are an open crisis' own and not
   * positive (linked to it, or carrying one of its keys).
   */
  private echoOfCrisis(key: string, now: number, carriedCache: Map<number, Set<number>>): boolean {
    const items = this.recentItems(key, now);
    if (items.length === 0) return false;
    for (const m of this.open.values()) {
      if (m.kind !== 'crisis') continue;
      let carried = carriedCache.get(m.id);
      if (!carried) carriedCache.set(m.id, (carried = this.carriedBy(m, now)));
      let hit = 0;
      for (const it of items) if (it.label !== 'positive' && (m.linked.has(it.id) || carried.has(it.id))) hit++;
      if (hit / items.length >= ECHO_SHARE) return true;
    }
    return false;
  }

  /** Recent mentions that carry one of an open moment's own keys (the brand aside: it carries everything). */
  private carriedBy(m: OpenMoment, now: number): Set<number> {
    const out = new Set<number>();
    for (const key of m.keys.keys()) if (!key.startsWith('b:')) for (const id of this.recentIds(key, now)) out.add(id);
    return out;
  }

  /** The brands a moment is about, from its keys (themes, owned threads, brands). */
  private brandsOf(m: OpenMoment): Set<number> {
    const out = new Set<number>();
    const ctx = this.context();
    for (const key of m.keys.keys()) {
      if (key.startsWith('b:')) out.add(Number(key.slice(2)));
      else if (key.startsWith('th:')) {
        const t = ctx.themes.get(Number(key.slice(3)));
        if (t) out.add(t.brandId);
      } else if (key.startsWith('o:')) {
        const [source, thread] = key.slice(2).split('\u0000');
        const owner = this.ownerOf(source ?? '', thread ?? '');
        if (owner !== null) out.add(owner);
      }
    }
    return out;
  }

  private recentItems(key: string, now: number): RecentItem[] {
    const ids = this.recentIds(key, now);
    if (ids.length === 0) return [];
    const known = ids.map((id) => this.recent.get(id));
    if (known.every((x) => x !== undefined)) return known as RecentItem[];
    return this.repo.recentRows(ids).map((r) => ({ id: r.id, publishedAt: r.published_at, score: r.sentiment_score, label: r.sentiment_label, who: authorOf({ authorKey: r.author_key, id: r.id }) }));
  }

  /**
   * Distinct authors of a key's negatives over its last two windows. Windows read back at a
   * restart carry counts but not their mentions: their negatives count as one author each, so
   * a restart never delays a crisis (it can only be more lenient for those few minutes).
   */
  private negAuthors(key: string, now: number): number {
    const b = Math.floor(now / this.bucketMs);
    const t = this.series;
    const k = t.slot(key);
    const neg = t.neg(t.windowAt(k, b)) + t.neg(t.windowAt(k, b - 1));
    const who = new Set<string>();
    let known = 0;
    for (const it of this.recentItems(key, now)) {
      if (it.label !== 'negative') continue;
      known++;
      who.add(it.who);
    }
    return who.size + Math.max(0, neg - known);
  }

  private updateOpen(now: number): void {
    const s = this.settingsCache;
    for (const m of [...this.open.values()]) {
      // A step from before the moment (a late or slower stream) says nothing about it.
      if (now < m.updatedAt - this.bucketMs) continue;
      let active = false;
      for (const [key, k] of m.keys) {
        const r = stillActive(m.kind, this.windowStats(key, now), k.base, s, k.isTerm);
        if (r.active) active = true;
        if (r.z > m.peakZ) m.peakZ = r.z;
      }
      if (active) m.quietSince = null;
      else if (m.quietSince === null) m.quietSince = now;
      const closed = !active && m.quietSince !== null && now - m.quietSince >= s.closeAfterMinutes * 60_000;
      this.write(m, closed ? now : null);
      if (closed) {
        this.dirty = true;
        this.open.delete(m.id);
        for (const key of m.keys.keys()) if (this.keyToMoment[m.kind].get(key) === m.id) this.keyToMoment[m.kind].delete(key);
      }
    }
  }

  private persist(m: OpenMoment): void {
    this.write(m, null);
  }

  /**
   * Writes an open moment's row (closed when closedAt is set). Every step re-judges every open
   * moment, and most steps change none of its fields: those writes are skipped. Only this
   * service writes these columns (retitle changes key and title in memory too), so the row
   * still holds what was last written.
   */
  private write(m: OpenMoment, closedAt: number | null): void {
    const f = {
      state: closedAt !== null ? ('closed' as const) : ('open' as const),
      key: m.key,
      title: m.title,
      themeId: m.themeId,
      updatedAt: m.updatedAt,
      closedAt,
      quietSince: m.quietSince,
      peakZ: m.peakZ,
    };
    const sig = `${f.state}\u0000${f.key}\u0000${f.title}\u0000${f.themeId}\u0000${f.updatedAt}\u0000${f.closedAt}\u0000${f.quietSince}\u0000${f.peakZ}`;
    if (m.written === sig) return;
    this.repo.updateMoment(m.id, f);
    m.written = sig;
  }

  private queueEmit(): void {
    if (this.emitQueued) return;
    this.emitQueued = true;
    // After the batch commits: a listener never reads a moment that could still roll back.
    queueMicrotask(() => {
      this.emitQueued = false;
      if (this.stopped) return;
      const ids = this.pendingOpened;
      this.pendingOpened = [];
      const opened: MomentSummary[] = [];
      for (const id of ids) {
        const row = this.repo.get(id);
        if (row) opened.push(this.summary(row));
      }
      this.changes.emit({ opened, rebuilt: false });
      this.deps.events.emit('moments.changed', { opened, rebuilt: false });
    });
  }

  // --- rebuild ---

  /** Recomputes every count and moment from the stored mentions, in slices. */
  /**
   * A rebuild nobody waits for. A failure is logged rather than left an unhandled rejection,
   * which would end the server or desktop process: the stored mentions are intact and the next
   * edit, correction or start rebuilds again.
   */
  rebuildInBackground(): void {
    this.rebuild().catch((e: unknown) => {
      this.deps.logger.error('momenti: ricalcolo non riuscito', { error: e instanceof Error ? e.message : String(e) });
    });
  }

  rebuild(): Promise<void> {
    if (this.rebuilding) {
      this.rebuildAgain = true;
      return this.rebuilding;
    }
    this.rebuilding = (async () => {
      const pages = setCheckpointPages(this.deps.db, REBUILD_CHECKPOINT_PAGES);
      try {
        do {
          this.rebuildAgain = false;
          await this.rebuildOnce();
        } while (this.rebuildAgain && !this.stopped);
      } finally {
        if (this.deps.db.open) setCheckpointPages(this.deps.db, pages);
      }
    })().finally(() => {
      this.rebuilding = null;
      if (!this.stopped) {
        this.changes.emit({ opened: [], rebuilt: true });
        this.deps.events.emit('moments.changed', { opened: [], rebuilt: true });
      }
    });
    return this.rebuilding;
  }

  /**
   * One rebuild, in slices of about REBUILD_SLICE_MS (one transaction each, sized by how long
   * the last one took), giving the thread back whenever REBUILD_YIELD_MS have passed since it
   * last did: clearing the old moments and counts, then reading the mentions back in stream
   * order. Mentions stored meanwhile are tracked by the scan when they lie ahead of it (it reads
   * them in turn), or as late items right away when they lie behind it.
   */
  private async rebuildOnce(): Promise<void> {
    this.ctx = null;
    this.rebuildCursor = null;
    this.rebuildLate = [];
    const stats = this.rebuildStats;
    Object.assign(stats, { slices: 0, yields: 0, rows: 0, longestSliceMs: 0, longestSliceCpuMs: 0 });
    let lastYield = this.clock();
    /** How long the last slice's work took (not counting the yield after it). */
    let lastMs = 0;
    const slice = async <T>(work: () => T): Promise<T> => {
      const t0 = this.clock();
      const cpu0 = process.cpuUsage();
      const out = work();
      const t1 = this.clock();
      const cpu = process.cpuUsage(cpu0);
      lastMs = t1 - t0;
      stats.slices++;
      stats.longestSliceMs = Math.max(stats.longestSliceMs, t1 - t0);
      stats.longestSliceCpuMs = Math.max(stats.longestSliceCpuMs, (cpu.user + cpu.system) / 1000);
      if (t1 - lastYield >= REBUILD_YIELD_MS) {
        stats.yields++;
        // setImmediate, after the I/O callbacks: a request waiting on a socket is answered first.
        await new Promise<void>((r) => setImmediate(r));
        lastYield = this.clock();
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
      if (this.stopped) return;
      if (await slice(() => clearTx(limit))) break;
      limit = size(limit, lastMs, 200, 50_000);
    }
    this.load();
    let at = Number.MIN_SAFE_INTEGER;
    let id = 0;
    this.rebuildCursor = { at, id };
    let rows = 100;
    for (;;) {
      if (this.stopped) return;
      const late = this.rebuildLate.splice(0, rows);
      if (late.length > 0) {
        await slice(() => this.processTx(late.map((x) => this.repo.tracked(x)).filter((r): r is TrackedRow => r !== null && !isFutureDated(r.published_at, r.fetched_at)).map(rowToItem), false));
        continue;
      }
      const got = await slice(() => {
        let batch = this.repo.scan(at, id, Number.MIN_SAFE_INTEGER, rows);
        // A slice ends before the mentions of its last published time, which the next one reads
        // whole: a published time is judged once, with all its mentions (see processSorted).
        const lastAt = batch[batch.length - 1]?.published_at;
        if (batch.length === rows && batch[0]!.published_at !== lastAt) batch = batch.filter((r) => r.published_at !== lastAt);
        if (batch.length > 0) this.processTx(batch.filter((r) => !isFutureDated(r.published_at, r.fetched_at)).map(rowToItem), false);
        return batch;
      });
      if (got.length === 0) break;
      stats.rows += got.length;
      const last = got[got.length - 1]!;
      at = last.published_at;
      id = last.id;
      this.rebuildCursor = { at, id };
      rows = size(rows, lastMs, 20, 5_000);
    }
    this.rebuildCursor = null;
  }

  /** Mentions stored while a rebuild runs: those behind its scan are tracked by it as late items. */
  private noteDuringRebuild(rows: readonly { id: number; row: MentionInsert }[]): void {
    const c = this.rebuildCursor;
    // Before the scan starts (while clearing) everything lies ahead of it.
    if (!c) return;
    for (const { id, row } of rows) if (row.publishedAt < c.at || (row.publishedAt === c.at && id <= c.id)) this.rebuildLate.push(id);
  }

  // --- settings ---

  updateSettings(patch: Partial<MomentSettings>): MomentSettings {
    const next = MomentSettingsSchema.parse({ ...this.settingsCache, ...patch });
    this.repo.putSettings(next);
    const changed = JSON.stringify(next) !== JSON.stringify(this.settingsCache);
    this.settingsCache = next;
    if (changed) this.rebuildInBackground();
    return next;
  }

  // --- reads ---

  summary(r: MomentRow): MomentSummary {
    const B = this.bucketMs;
    const end = Math.floor((r.closed_at ?? Math.max(r.updated_at, Math.min(this.streamNow, r.updated_at + 6 * B))) / B);
    const rows = this.repo.counts(r.key, end - SPARK_BUCKETS + 1, end);
    const byBucket = new Map(rows.map((x) => [x.bucket, x.n]));
    const spark: number[] = [];
    for (let b = end - SPARK_BUCKETS + 1; b <= end; b++) spark.push(byBucket.get(b) ?? 0);
    return {
      id: r.id,
      kind: r.kind,
      state: r.state,
      title: r.title,
      keyKind: r.key_kind,
      themeId: r.theme_id,
      openedAt: iso(r.opened_at),
      updatedAt: iso(r.updated_at),
      closedAt: r.closed_at === null ? null : iso(r.closed_at),
      volume: r.volume,
      negative: r.negative,
      sentiment: r.volume > 0 ? Math.max(-1, Math.min(1, r.sent_sum / r.volume)) : 0,
      peakZ: Math.round(r.peak_z * 100) / 100,
      spark,
      acknowledgedBy: this.acks.of(r.id, r.kind, r.opened_at),
      baselineMinutes: this.baselineMinutes(r.opened_at),
      baselineFull: this.baselineMinutes(r.opened_at) >= this.settingsCache.baselineBuckets * this.settingsCache.bucketMinutes,
    };
  }

  list(f: { kind?: MomentKind; state?: 'open' | 'closed'; themeId?: number; audienceIds?: number[]; limit: number }): { items: MomentSummary[]; total: number } {
    const { rows, total } = this.repo.list(f);
    return { items: rows.map((r) => this.summary(r)), total };
  }

  detail(id: number, decorate: (m: Mention[]) => Mention[]): MomentDetail | null {
    const r = this.repo.get(id);
    if (!r) return null;
    const s = this.settingsCache;
    const B = this.bucketMs;
    const L = s.baselineBuckets;
    const first = Math.floor(r.opened_at / B) - L;
    const lastAt = r.closed_at ?? Math.max(r.updated_at, Number.isFinite(this.streamNow) ? Math.min(this.streamNow, r.updated_at + 6 * B) : r.updated_at);
    const last = Math.floor(lastAt / B) + (r.closed_at !== null ? 2 : 0);
    const from = Math.max(first, last - 200);
    const rows = new Map(this.repo.counts(r.key, Math.min(from, openedBucketOf(r.opened_at, B)) - L - 2, last).map((x) => [x.bucket, x]));
    const timeline: MomentBucket[] = [];
    // The band shows what the detector compared with: from the opening on, the baseline frozen
    // when the moment opened (a surge never raises its own bar).
    const openedBucket = Math.floor(r.opened_at / B);
    for (let b = from; b <= last; b++) {
      const at = b >= openedBucket ? openedBucket : b;
      const base = ewmaBaseline((x) => rows.get(x), at - 1 - L, at - 2, L);
      const c = rows.get(b);
      timeline.push({
        start: iso(b * B),
        volume: c?.n ?? 0,
        negative: c?.neg ?? 0,
        sentiment: c && c.n > 0 ? Math.max(-1, Math.min(1, c.sent_sum / c.n)) : null,
        baseline: Math.round((r.kind === 'crisis' ? base.negMean : base.mean) * 100) / 100,
        upper: Math.round((r.kind === 'crisis' ? base.negMean + s.zThreshold * base.negSd : base.mean + s.zThreshold * base.sd) * 100) / 100,
      });
    }
    const top = this.repo
      .topMentionIds(id, 10)
      .map((mid) => this.deps.mentions.get(mid))
      .filter((m): m is Mention => m !== null);
    const ctx = this.context();
    const themes = this.repo.themeCounts(id).flatMap(({ theme_id, n }) => {
      const t = ctx.themes.get(theme_id);
      return t ? [{ id: t.id, name: t.name, swot: t.swot, stance: t.stance, count: n }] : [];
    });
    const termCounts = new Map<string, number>();
    for (const m of this.repo.linkedTexts(id, 500)) {
      for (const t of emergentTerms(m.title, m.text, ctx.vocab)) termCounts.set(t, (termCounts.get(t) ?? 0) + 1);
    }
    const terms = [...termCounts.entries()]
      .filter(([, n]) => n >= 2)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 12)
      .map(([term, count]) => ({ term, count }));
    const keys = this.repo.keysOf(id).map((k: MomentKeyRow) => ({ kind: k.key_kind as MomentKeyKind, label: k.label }));
    return { moment: this.summary(r), bucketMinutes: s.bucketMinutes, timeline, topMentions: decorate(top), themes, terms, keys };
  }
}

/** Who wrote a mention, for counting people: its pseudonymous author, or the mention itself when a feed gives none. */
function authorOf(it: Pick<TrackItem, 'authorKey' | 'id'>): string {
  return it.authorKey ?? `#${it.id}`;
}

function rowToItem(r: TrackedRow): TrackItem {
  return {
    id: r.id,
    publishedAt: r.published_at,
    title: r.title,
    text: r.text,
    sourceId: r.source_id,
    sourceName: r.source_name,
    threadId: r.thread_id,
    url: r.canonical_url,
    authorKey: r.author_key,
    score: r.sentiment_score,
    label: r.sentiment_label,
    themeIds: r.theme_ids ? r.theme_ids.split(',').map(Number) : [],
  };
}

function openedBucketOf(openedAt: number, bucketMs: number): number {
  return Math.floor(openedAt / bucketMs);
}
