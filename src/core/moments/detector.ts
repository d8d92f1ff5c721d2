// The moment detector: counts per tracked key (theme, brand, owned thread, emergent term) in
// windows of STREAM time (the mentions' published time, never the wall clock, so a replay at
// 60× finds moments as they happened and a late item lands in its own window), compared with
// a baseline; crossing the threshold opens or grows a moment, staying quiet for a while
// closes it.
//
// Baseline choice: an EWMA of the level and of the variance (West's incremental form) over
// the last `baselineBuckets` windows, recomputed from the stored windows at each evaluation
// rather than carried as running state. Recomputing costs a few dozen additions per key but
// makes the baseline independent of arrival order: a late item that lands in an old window
// simply changes that window, and a rebuild gives the same answer as live tracking. The
// spread is floored at the Poisson level (variance ≥ mean, ≥ 1): counts of rare events are
// noisy even when their recent history happens to be flat, and a new key (baseline 0) is then
// governed by the minimum volume rather than by an infinite z-score.
//
// Cold start: there is no warm-up. A key is judged from the first minute of its stream against
// a baseline that leans on a prior while few windows have been observed, and the observed
// windows replace the prior as they accumulate (`withPrior`): the negatives' prior is a floor
// of one an hour (a key is never "impossible to criticize"), and the brand's usual negative
// share starts high and is learned from its mentions (`shareRise`). A trend is judged only
// on a full baseline. A moment opened on a young baseline records how young it was.
//
// The current level is a sliding window of one window's width ending at "stream now": the
// current window plus the unexpired share of the previous one (as rate limiters do), so a
// burst that starts near a window edge is seen at once instead of after the edge. The
// baseline stops two windows back, so a rising burst never feeds its own bar; and once a key
// is in a moment its baseline is frozen until the moment closes.
import type { MomentKeyKind, MomentKind, MomentSettings } from '../../shared/moments';
import type { SentimentLabel } from '../../shared/sentiment';

export interface TrackItem {
  id: number;
  publishedAt: number;
  title: string | null;
  text: string;
  sourceId: number;
  sourceName: string;
  threadId: string | null;
  /** Canonical URL (the owned-account resolver reads it). */
  url: string | null;
  /** Pseudonymous author (distinct authors make a pile-on, one person posting twice does not). */
  authorKey: string | null;
  score: number | null;
  label: SentimentLabel | null;
  themeIds: readonly number[];
}

export interface Agg {
  n: number;
  neg: number;
  pos: number;
  sent: number;
  /** Mentions about the brand (a term's share of them decides whether its surge is a crisis). */
  brand: number;
  ids: number[];
}

export interface Baseline {
  mean: number;
  sd: number;
  negMean: number;
  negSd: number;
  /**
   * Windows of observed stream behind it (0 on a cold start, up to the baseline's span); a
   * baseline built elsewhere (a stored moment's frozen bar) is taken as fully observed.
   */
  observed?: number;
}

export interface WindowStats {
  n: number;
  neg: number;
  sent: number;
  brand: number;
}

/** What a key is, for classification and titles. */
export interface KeyInfo {
  kind: MomentKeyKind;
  label: string;
  themeId: number | null;
  /** A negative surge here exposes the brand (brand, owned thread, sensitive/forbidden theme). */
  crisisOk: boolean;
  /** A rising, not negative surge here is something the brand may join. */
  opportunityOk: boolean;
  /**
   * Which key names a moment when several merge: themes, then owned threads, then the brand,
   * then emergent terms — a pile-on on a brand without themes is named after the brand, not
   * after its loudest word ("spot"), and the brand's mentions then join it.
   */
  priority: number;
}

/** A negative surge: at least half of the extra volume negative. */
export const CRISIS_NEG_SHARE = 0.5;
/** An opportunity is "not negative": under 30 % negative and a mean sentiment ≥ 0. */
export const OPPORTUNITY_NEG_SHARE_MAX = 0.3;
/** A term about the brand this often counts as brand exposure. */
export const TERM_BRAND_SHARE = 0.5;
/** On a busy key, a crisis window is still at least this negative overall. */
export const BUSY_KEY_NEG_SHARE = 0.4;
/** A surge is at least this many times the usual level. */
export const MIN_LIFT = 2;

/** Until its own windows say otherwise, a brand is taken to be this negative (a high guess: quiet until clearly worse). */
export const PRIOR_NEG_SHARE = 0.3;
/** How many mentions that guess weighs against what the brand's own windows show. */
export const PRIOR_SHARE_WEIGHT = 50;
/** The negatives' prior: one an hour, as a rate per window of `bucketMinutes`. */
export function negFloor(s: MomentSettings): number {
  return s.bucketMinutes / 60;
}

export function emptyAgg(): Agg {
  return { n: 0, neg: 0, pos: 0, sent: 0, brand: 0, ids: [] };
}

/** EWMA baseline over windows [from, to] (missing windows are zero). */
export function ewmaBaseline(get: (bucket: number) => { n: number; neg: number } | undefined, from: number, to: number, span: number): Baseline {
  if (to < from) return { mean: 0, sd: 1, negMean: 0, negSd: 1 };
  const alpha = 2 / (span + 1);
  let mean = 0;
  let v = 0;
  let negMean = 0;
  let negV = 0;
  let first = true;
  for (let b = from; b <= to; b++) {
    const a = get(b);
    const x = a?.n ?? 0;
    const y = a?.neg ?? 0;
    if (first) {
      mean = x;
      negMean = y;
      first = false;
      continue;
    }
    const d = x - mean;
    mean += alpha * d;
    v = (1 - alpha) * (v + alpha * d * d);
    const dn = y - negMean;
    negMean += alpha * dn;
    negV = (1 - alpha) * (negV + alpha * dn * dn);
  }
  return { mean, sd: Math.sqrt(Math.max(v, mean, 1)), negMean, negSd: Math.sqrt(Math.max(negV, negMean, 1)) };
}

/**
 * A young baseline completed by its prior: `observed` of the `span` windows come from the
 * stream, the rest from the negatives' prior (their floor, per window); once `span` windows
 * have been observed the prior has no weight left. Only the negatives have a prior: a crisis
 * is judged from the first minute, while an opportunity waits for a full baseline (see
 * MomentsService.openNew), so the volume needs none. The spread keeps its Poisson floor.
 */
export function withPrior(obs: Baseline, observed: number, span: number, negPrior: number): Baseline {
  const k = Math.max(0, Math.min(span, observed));
  if (k >= span) return { ...obs, observed: k };
  const w = k / span;
  const negMean = w * obs.negMean + (1 - w) * Math.max(obs.negMean, negPrior);
  return { ...obs, negMean, negSd: Math.max(obs.negSd, Math.sqrt(Math.max(negMean, 1))), observed: k };
}

export interface Verdict {
  kind: MomentKind;
  z: number;
}

/**
 * Above the bar: z-score over the threshold AND a real lift over the usual level, so a busy
 * key's ordinary wobble (a brand with 40 mentions a window going to 55) is not a moment.
 */
function surging(x: number, mean: number, sd: number, s: MomentSettings): number | null {
  const z = (x - mean) / sd;
  return z >= s.zThreshold && x >= MIN_LIFT * mean ? z : null;
}

/**
 * How far the negative share of a window sits above the key's usual share, in binomial
 * standard errors: the same for a brand key that collects a lot of neutral talk and for one
 * that collects little, since both sides of the comparison are diluted alike.
 */
export function shareRise(st: WindowStats, base: Baseline, span: number): number {
  if (st.n <= 0) return 0;
  // The usual share is learned from the mentions behind the baseline (its level times the
  // windows observed), starting from a high guess: a brand seen for the first time, or a
  // quiet one with a handful of mentions a day, needs a clearly negative window; a busy brand
  // soon has its own share.
  const seen = base.mean * Math.min(span, base.observed ?? span);
  const seenNeg = base.negMean * Math.min(span, base.observed ?? span);
  const p = Math.min(0.95, Math.max(0.1, (seenNeg + PRIOR_NEG_SHARE * PRIOR_SHARE_WEIGHT) / (seen + PRIOR_SHARE_WEIGHT)));
  return (st.neg - p * st.n) / Math.sqrt(Math.max(1, st.n * p * (1 - p)));
}

/**
 * What classify asks of a window before its baseline: false when no baseline could make it a
 * crisis or an opportunity (a crisis window is at least BUSY_KEY_NEG_SHARE negative, with
 * enough negatives on a key that may have one; an opportunity is busy enough and not negative),
 * so a tracker spares the baseline of the many keys that cannot surge.
 */
export function mayClassify(info: KeyInfo, st: WindowStats, s: MomentSettings): boolean {
  if (st.n <= 0) return false;
  const minVol = info.kind === 'term' ? s.minTermVolume : s.minVolume;
  const minOpp = info.kind === 'term' ? s.minTermVolume : s.minOpportunityVolume;
  const negShare = st.neg / st.n;
  const crisisOk = info.crisisOk || (info.kind === 'term' && st.brand / st.n >= TERM_BRAND_SHARE);
  if (crisisOk && st.neg >= minVol && negShare >= BUSY_KEY_NEG_SHARE) return true;
  return info.opportunityOk && st.n - st.neg >= minOpp && negShare < OPPORTUNITY_NEG_SHARE_MAX && st.sent / st.n >= 0;
}

/** Whether a key's current window is a crisis, an opportunity, or nothing. */
export function classify(info: KeyInfo, st: WindowStats, base: Baseline, s: MomentSettings): Verdict | null {
  if (st.n <= 0) return null;
  const minVol = info.kind === 'term' ? s.minTermVolume : s.minVolume;
  const minOpp = info.kind === 'term' ? s.minTermVolume : s.minOpportunityVolume;
  const negShare = st.neg / st.n;
  const crisisOk = info.crisisOk || (info.kind === 'term' && st.brand / st.n >= TERM_BRAND_SHARE);
  // A negative surge: the negative count jumps AND either most of the window is negative, or
  // the whole volume rose clearly and most of the rise is negative (the share of the whole
  // window would hide a pile-on on a busy key such as the brand; a busy key's ordinary wobble
  // with a few more complaints than usual is not one).
  const extra = st.n - base.mean;
  const extraNeg = st.neg - base.negMean;
  // The brand as a whole is the busiest key, with a daily rhythm an hour-long baseline lags
  // behind (the morning ramp makes any count look high). Its test is therefore on the SHARE
  // of negatives against its own usual share, which the rhythm does not move. A fixed share
  // ("half of it negative") made detection depend on how the perimeter is arranged: which
  // product names count as the brand changes how much neutral talk dilutes the complaints,
  // and with the demo's themes directly under the brand (no products) everyday complaints
  // crossed one half at 08:44 and opened a crisis.
  // Like any busy key, the brand also needs a window at least BUSY_KEY_NEG_SHARE negative: on
  // a quiet brand whose usual share is low, a cluster of everyday complaints (a third of a
  // window) already rises three standard errors above it, and the test runs every 10 s.
  // A pile-on also brings people who were not talking: the brand's window must be busier than
  // usual too, or a grumpy cluster of its everyday talk (six of seven mentions negative on a
  // brand that has seven every five minutes) passes the share test by chance.
  const negativeSurge =
    info.kind === 'brand'
      ? shareRise(st, base, s.baselineBuckets) >= s.zThreshold && negShare >= BUSY_KEY_NEG_SHARE && extra >= 1.5 * base.sd
      : negShare >= CRISIS_NEG_SHARE || (negShare >= BUSY_KEY_NEG_SHARE && extra >= 1.5 * base.sd && extraNeg >= CRISIS_NEG_SHARE * extra);
  if (crisisOk && st.neg >= minVol && negativeSurge) {
    const z = surging(st.neg, base.negMean, base.negSd, s);
    if (z !== null) return { kind: 'crisis', z };
  }
  // An opportunity is measured on what is not negative, so a pile-on never reads as a trend.
  const rest = st.n - st.neg;
  if (info.opportunityOk && rest >= minOpp && negShare < OPPORTUNITY_NEG_SHARE_MAX && st.sent / st.n >= 0) {
    const z = surging(rest, Math.max(0, base.mean - base.negMean), base.sd, s);
    if (z !== null) return { kind: 'opportunity', z };
  }
  return null;
}

/** Whether a key of an open moment is still above its (frozen) bar. */
export function stillActive(kind: MomentKind, st: WindowStats, base: Baseline, s: MomentSettings, isTerm: boolean): { active: boolean; z: number } {
  const minVol = isTerm ? s.minTermVolume : kind === 'crisis' ? s.minVolume : s.minOpportunityVolume;
  const vol = kind === 'crisis' ? st.neg : st.n - st.neg;
  const z = kind === 'crisis' ? (vol - base.negMean) / base.negSd : (vol - Math.max(0, base.mean - base.negMean)) / base.sd;
  // Hysteresis: half the opening bar keeps a moment open, so it does not flap at the edge.
  return { active: vol >= minVol / 2 && z >= Math.max(1, s.zThreshold / 2), z: vol >= minVol ? z : 0 };
}

// --- fast path: a sharp negative surge on a short window ---

/** The fast path looks at this much stream time before each negative mention. */
export const FAST_WINDOW_MS = 2 * 60_000;
/** Fewest distinct authors behind a fast-path crisis: one angry person posting twice is not one. */
export const FAST_MIN_AUTHORS = 2;
/** P(X ≥ k) for X ~ Poisson(lambda): summed upward from k (exact for the tiny tails that matter here). */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  if (k <= lambda) {
    // k at or below the mean: the complement of the few terms below k.
    let term = Math.exp(-lambda);
    let below = term;
    for (let i = 1; i < k; i++) {
      term *= lambda / i;
      below += term;
    }
    return Math.max(0, 1 - below);
  }
  let logTerm = -lambda + k * Math.log(lambda);
  for (let i = 2; i <= k; i++) logTerm -= Math.log(i);
  let term = Math.exp(logTerm);
  let sum = 0;
  for (let i = k; term > sum * 1e-12 && i < k + 1_000; i++) {
    sum += term;
    term *= lambda / (i + 1);
  }
  return Math.min(1, sum);
}

/** One-sided tail of the standard normal beyond z (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
export function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * The fast path for a negative surge on a key where the brand is exposed (a sensitive or
 * forbidden theme, the brand): `k` negative mentions from `authors` distinct authors in the
 * last FAST_WINDOW_MS. The 5-minute rule needs `minVolume` negatives in a window, which on a
 * key that is usually silent costs minutes of a pile-on; here the few mentions are judged by
 * how unlikely they are under the key's own baseline, exactly (a Poisson tail) rather than
 * through the normal approximation, which fails for counts this small. The bar is the same
 * significance the z threshold sets. The baseline rate is never taken below the negatives'
 * floor, one an hour (a theme silent all morning is not "impossible to mention"), so a key with
 * any background needs proportionally more. Returns the equivalent z, or null.
 */
export function fastCrisis(k: number, authors: number, negMean: number, s: MomentSettings): number | null {
  if (authors < FAST_MIN_AUTHORS || k < FAST_MIN_AUTHORS) return null;
  const bucketMs = s.bucketMinutes * 60_000;
  const perBucket = Math.max(negMean, negFloor(s));
  const lambda = (perBucket * FAST_WINDOW_MS) / bucketMs;
  if (k < MIN_LIFT * lambda) return null;
  const p = poissonTail(k, lambda);
  if (p > normalTail(s.zThreshold)) return null;
  // The z of a normal tail as small as p, for the moment's peak (bisection: p is tiny or not).
  let lo = s.zThreshold;
  let hi = 40;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (normalTail(mid) > p) lo = mid;
    else hi = mid;
  }
  return lo;
}
