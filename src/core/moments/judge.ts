// Which keys surge at a step: the detector's judging (detector.ts holds the tests themselves).
// Two paths. The fast path watches the keys where a pile-on exposes the brand (a sensitive or
// forbidden theme, a thread on the brand's own accounts) and judges each negative as it
// arrives, over the last two minutes. The window path judges every key the step touched
// against its baseline. What surges becomes a candidate; the book (book.ts) decides whether
// it opens a moment or joins one.
import type { MomentKind } from '../../shared/moments';
import { classify, CRISIS_NEG_SHARE, FAST_WINDOW_MS, fastCrisis, mayClassify, type Baseline, type KeyInfo, type TrackItem } from './detector';
import type { Evidence } from './evidence';
import { authorOf } from './items';
import type { MomentKeys } from './keys';
import type { MomentsMemory } from './memory';

/** Candidates' order: the key's priority, then its z (made once, not at every step). */
const strongestFirst = (a: Candidate, b: Candidate): number => b.info.priority - a.info.priority || b.z - a.z;

export interface Candidate {
  key: string;
  info: KeyInfo;
  base: Baseline;
  kind: MomentKind;
  z: number;
  /** Stream time the evidence was complete (the step's time, or the fast path's mention). */
  at: number;
}

export class Judge {
  constructor(
    private readonly mem: MomentsMemory,
    private readonly keys: MomentKeys,
    private readonly evidence: Evidence,
  ) {}

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
    const info = this.keys.info(key);
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
  noteFast(it: TrackItem, keys: readonly string[], touched: Set<string>): void {
    const neg = it.label === 'negative';
    for (const key of keys) {
      // MomentKeys.of lists themes, threads and brands before the (many) terms, which are never watched.
      if (key.startsWith('t:')) break;
      if (!this.fastWatched(key)) continue;
      // On a theme only the negatives matter; on the brand and its threads, the share too.
      if (!neg && !this.busyFast(key)) continue;
      let list = this.mem.fastNeg.get(key);
      if (!list) this.mem.fastNeg.set(key, (list = []));
      // Kept in stream order (a late mention slots in where it belongs).
      let i = list.length;
      while (i > 0 && list[i - 1]!.at > it.publishedAt) i--;
      list.splice(i, 0, { at: it.publishedAt, who: authorOf(it), neg });
      const judged = this.mem.fastJudged.get(key);
      if (judged !== undefined && it.publishedAt <= judged) this.mem.fastJudged.set(key, it.publishedAt - 1);
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
  fastCandidates(keys: Set<string>): Candidate[] {
    const out: Candidate[] = [];
    const s = this.mem.settings;
    for (const key of keys) {
      if (this.mem.keyToMoment.crisis.has(key)) continue;
      const list = this.mem.fastNeg.get(key);
      const info = this.keys.info(key);
      if (!list || !info || list.length === 0) continue;
      const busy = this.busyFast(key);
      const judged = this.mem.fastJudged.get(key) ?? Number.NEGATIVE_INFINITY;
      this.mem.fastJudged.set(key, list[list.length - 1]!.at);
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
        const base = this.evidence.baseline(key, at);
        const [source, thread] = key.slice(2).split('\u0000');
        const owner = busy ? this.keys.threadOwner(source ?? '', thread ?? '') : null;
        const negMean = owner === null ? base.negMean : Math.max(base.negMean, this.evidence.baseline(`b:${owner}`, at).negMean);
        const z = fastCrisis(k, authors.size, negMean, s);
        if (z !== null) {
          out.push({ key, info, base, kind: 'crisis', z, at });
          break;
        }
      }
    }
    return out;
  }

  /**
   * The candidates of a step: the fast path's, then every touched key whose window surges
   * against its baseline (a key already in an open moment of that kind aside), strongest
   * claim first (the key's priority, then its z). `touched`: each key with its window of the
   * step's bucket (the one the step counted it in).
   */
  candidates(touched: Map<string, number>, now: number, fast: Candidate[]): Candidate[] {
    const s = this.mem.settings;
    const keyToMoment = this.mem.keyToMoment;
    const candidates: Candidate[] = [...fast];
    const fastKeys = fast.length > 0 ? new Set(fast.map((c) => c.key)) : null;
    const minN = Math.min(s.minVolume, s.minTermVolume);
    for (const [key, w] of touched) {
      if ((keyToMoment.crisis.has(key) && keyToMoment.opportunity.has(key)) || fastKeys?.has(key)) continue;
      // Cheap test first: most keys (terms) are far below any minimum. A term needs
      // minTermVolume mentions in its window for mayClassify (its negatives or the rest reach
      // it), so fewer end it here, before its KeyInfo is made.
      const st = this.evidence.windowStatsAt(w, now, key.startsWith('t:') ? s.minTermVolume : minN);
      if (!st) continue;
      const info = this.keys.info(key);
      if (!info || !mayClassify(info, st, s)) continue;
      const base = this.evidence.baseline(key, now);
      const v = classify(info, st, base, s);
      // A crisis is judged from the first minute; a trend only against a full baseline: over
      // a young one the morning's own ramp (the brand's, a breakfast theme's) reads as a rise.
      // Trends are not urgent, and a false one costs a team its attention.
      if (v?.kind === 'opportunity' && (base.observed ?? s.baselineBuckets) < s.baselineBuckets) continue;
      // A crisis is people: one account posting three hundred complaints is spam for moderation
      // (the inbox flags it), not a pile-on. The minimum volume counts authors as well.
      if (v?.kind === 'crisis' && this.evidence.negAuthors(key, now) < (info.kind === 'term' ? s.minTermVolume : s.minVolume)) continue;
      if (v && !keyToMoment[v.kind].has(key)) candidates.push({ key, info, base, kind: v.kind, z: v.z, at: now });
    }
    candidates.sort(strongestFirst);
    return candidates;
  }
}
