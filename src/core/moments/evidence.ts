// What the judging reads about a key at a stream time, from the windows in memory: its current
// window's counts (the last window weighted by how much of it the sliding window still covers),
// its baseline, its recent mentions and how many people wrote its negatives. Reads only: the
// windows are written by the steps (steps.ts).
import { CLOCK_GAP_MS, FUTURE_DATED_MS } from '../../shared/clock';
import type { MomentsRepo } from '../store/moments-repo';
import { ewmaBaseline, negFloor, withPrior, type Baseline, type WindowStats } from './detector';
import { authorOf } from './items';
import type { MomentsMemory, RecentItem } from './memory';

export class Evidence {
  /** Scratch of baseline(): one key's windows over the baseline's span. */
  private baseN = new Float64Array(0);
  private baseNeg = new Float64Array(0);
  /** The first bucket in baseN/baseNeg; baseAt reads them (one reader made once, not one a call). */
  private baseFrom = 0;
  private readonly baseWindow = { n: 0, neg: 0 };
  private readonly baseAt = (x: number): { n: number; neg: number } => {
    this.baseWindow.n = this.baseN[x - this.baseFrom]!;
    this.baseWindow.neg = this.baseNeg[x - this.baseFrom]!;
    return this.baseWindow;
  };

  constructor(
    private readonly mem: MomentsMemory,
    private readonly repo: MomentsRepo,
  ) {}

  windowStats(key: string, now: number): WindowStats {
    return this.windowStatsFrom(key, now, Number.NEGATIVE_INFINITY)!;
  }

  /** windowStats, or null when the window's volume is under `minN` (without building them). */
  windowStatsFrom(key: string, now: number, minN: number): WindowStats | null {
    const B = this.mem.bucketMs;
    const b = Math.floor(now / B);
    const w = 1 - (now - b * B) / B;
    const t = this.mem.series;
    const k = t.slot(key);
    return this.blend(t.windowAt(k, b), t.windowAt(k, b - 1), w, minN);
  }

  /**
   * windowStatsFrom for the key whose window of now's bucket is `w` (a window the step just
   * counted in): its previous window is the next one in its list, no lookup of the key.
   */
  windowStatsAt(w: number, now: number, minN: number): WindowStats | null {
    const B = this.mem.bucketMs;
    const b = Math.floor(now / B);
    const f = 1 - (now - b * B) / B;
    const t = this.mem.series;
    return this.blend(w, t.previous(w), f, minN);
  }

  /** A sliding window: the current bucket's window whole, the previous one weighted by `f`. */
  private blend(cur: number, prev: number, f: number, minN: number): WindowStats | null {
    const t = this.mem.series;
    const n = t.n(cur) + t.n(prev) * f;
    if (n < minN) return null;
    return { n, neg: t.neg(cur) + t.neg(prev) * f, sent: t.sent(cur) + t.sent(prev) * f, brand: t.brand(cur) + t.brand(prev) * f };
  }

  /**
   * The key's baseline at `now`: the EWMA of its past windows, completed by the negatives'
   * prior while the stream is younger than the baseline's span (see `withPrior`).
   */
  baseline(key: string, now: number): Baseline {
    const B = this.mem.bucketMs;
    const L = this.mem.settings.baselineBuckets;
    const b = Math.floor(now / B);
    const startBucket = this.mem.startAt === null ? b : Math.floor(this.mem.startAt / B);
    const from = Math.max(b - 1 - L, startBucket);
    const to = b - 2;
    // The key's windows in one walk (a missing window reads as zero, as ewmaBaseline takes it).
    if (to - from + 1 > this.baseN.length) {
      this.baseN = new Float64Array(to - from + 1);
      this.baseNeg = new Float64Array(to - from + 1);
    }
    this.mem.series.fill(this.mem.series.slot(key), from, to, this.baseN, this.baseNeg);
    this.baseFrom = from;
    const obs = ewmaBaseline(this.baseAt, from, to, L);
    return withPrior(obs, b - 1 - startBucket, L, negFloor(this.mem.settings));
  }

  /** Minutes of observed stream behind a baseline at `at`, up to the baseline's span. */
  baselineMinutes(at: number): number {
    const span = this.mem.settings.baselineBuckets * this.mem.settings.bucketMinutes;
    const startAt = this.mem.startAt;
    if (startAt === null) return span;
    // A moment of an earlier stream (before a day without mentions) had that stream's start.
    const start = at >= startAt ? startAt : this.repo.streamStart(at, CLOCK_GAP_MS, FUTURE_DATED_MS);
    return Math.max(0, Math.min(span, Math.floor((at - start) / 60_000)));
  }

  recentIds(key: string, now: number): number[] {
    const b = Math.floor(now / this.mem.bucketMs);
    const t = this.mem.series;
    const k = t.slot(key);
    return t.ids(t.windowAt(k, b), t.ids(t.windowAt(k, b - 1), []));
  }

  recentItems(key: string, now: number): RecentItem[] {
    const ids = this.recentIds(key, now);
    if (ids.length === 0) return [];
    const known = ids.map((id) => this.mem.recent.get(id));
    if (known.every((x) => x !== undefined)) return known as RecentItem[];
    return this.repo.recentRows(ids).map((r) => ({ id: r.id, publishedAt: r.published_at, score: r.sentiment_score, label: r.sentiment_label, who: authorOf({ authorKey: r.author_key, id: r.id }) }));
  }

  /**
   * Distinct authors of a key's negatives over its last two windows. Windows read back at a
   * restart carry counts but not their mentions: their negatives count as one author each, so
   * a restart never delays a crisis (it can only be more lenient for those few minutes).
   */
  negAuthors(key: string, now: number): number {
    const b = Math.floor(now / this.mem.bucketMs);
    const t = this.mem.series;
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
}
