// The arithmetic of Tier 2, pure and unit-tested: computed metrics, baselines, trends,
// significance, regional gaps, intervention effects, time-zone normalisation.
import { renderText, type ErrorLang } from '../../shared/errors';

/** (likes + comments + shares) / views; null when there are no views to divide by. */
export function compoundEngagement(likes: number, comments: number, shares: number, views: number | null): number | null {
  if (views === null || !(views > 0)) return null;
  return (likes + comments + shares) / views;
}

export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation; null below two values. */
export function std(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = mean(xs) as number;
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (xs.length - 1));
}

/**
 * How much worse `latest` is than the baseline mean, as a fraction (0.2 = 20% worse);
 * negative when better. Null when the baseline is missing (under 2 points) or zero.
 */
export function relativeWorsening(latest: number, baseline: readonly number[], higherIsBetter: boolean): number | null {
  if (baseline.length < 2) return null;
  const m = mean(baseline) as number;
  if (m === 0) return null;
  const change = (latest - m) / Math.abs(m);
  return higherIsBetter ? -change : change;
}

export interface Line {
  slope: number;
  intercept: number;
}

/** Least squares y = slope·x + intercept; null under two points or when every x is equal. */
export function linearRegression(points: readonly { x: number; y: number }[]): Line | null {
  const n = points.length;
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) * (p.x - mx);
    sxy += (p.x - mx) * (p.y - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/**
 * Where the trend through `points` (x in ms) will be `horizonMs` after the last point, and
 * whether that crosses `threshold` in `direction` while the last value has not yet.
 */
export function projectedBreach(
  points: readonly { x: number; y: number }[],
  threshold: number,
  direction: 'above' | 'below',
  horizonMs: number,
): { projected: number; breach: boolean } | null {
  const line = linearRegression(points);
  if (!line) return null;
  const last = points[points.length - 1] as { x: number; y: number };
  const projected = line.slope * (last.x + horizonMs) + line.intercept;
  const crossed = (v: number): boolean => (direction === 'above' ? v > threshold : v < threshold);
  return { projected, breach: crossed(projected) && !crossed(last.y) };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 for erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Two-proportion z-test (pooled), two-sided: is x1/n1 different from x2/n2? Null when a
 * group is empty, successes exceed trials, or the pooled rate is 0 or 1 (no variance).
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): { z: number; pValue: number } | null {
  if (!(n1 > 0) || !(n2 > 0) || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2) return null;
  const p = (x1 + x2) / (n1 + n2);
  if (p <= 0 || p >= 1) return null;
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}

/** Each region's relative gap from the mean of the regions given (−0.12 = 12% below). */
export function regionalGaps(values: readonly { code: string; value: number }[], limit: number): {
  mean: number | null;
  values: { code: string; value: number; gap: number; flagged: boolean }[];
} {
  const m = mean(values.map((v) => v.value));
  if (m === null || m === 0) return { mean: m, values: values.map((v) => ({ ...v, gap: 0, flagged: false })) };
  return {
    mean: m,
    values: values.map((v) => {
      const gap = (v.value - m) / Math.abs(m);
      return { ...v, gap, flagged: Math.abs(gap) > limit };
    }),
  };
}

/** Share of viewers still watching at 0/30/60/90 s from the cumulative drop-off rates. */
export function dropOffCurve(rates: { 30?: number | null; 60?: number | null; 90?: number | null }): { second: number; retained: number }[] {
  const out = [{ second: 0, retained: 1 }];
  for (const s of [30, 60, 90] as const) {
    const r = rates[s];
    if (r === null || r === undefined) continue;
    out.push({ second: s, retained: Math.min(1, Math.max(0, 1 - r)) });
  }
  return out;
}

/**
 * Effect of an intervention at `at`: the metric's mean over [at−w, at) against [at, at+w),
 * where w is the time observed since (now − at), capped at `maxWindowMs`.
 */
export function interventionEffect(
  points: readonly { at: number; value: number }[],
  at: number,
  now: number,
  higherIsBetter: boolean,
  maxWindowMs = 7 * 24 * 3600_000,
): { windowMs: number; before: number | null; after: number | null; beforeCount: number; afterCount: number; change: number | null; improved: boolean | null } {
  const w = Math.max(0, Math.min(now - at, maxWindowMs));
  const before = points.filter((p) => p.at >= at - w && p.at < at).map((p) => p.value);
  const after = points.filter((p) => p.at >= at && p.at < at + w).map((p) => p.value);
  const b = mean(before);
  const a = mean(after);
  const change = a !== null && b !== null && b !== 0 ? (a - b) / Math.abs(b) : null;
  return {
    windowMs: w,
    before: b,
    after: a,
    beforeCount: before.length,
    afterCount: after.length,
    change,
    improved: change === null ? null : higherIsBetter ? change > 0 : change < 0,
  };
}

// ── Time ─────────────────────────────────────────────────────────────────────────────
const OFFSET_RE = /(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Offset in ms of `tz` at the UTC instant `utcMs` (Europe/Rome in summer: +7_200_000). */
function zoneOffset(utcMs: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * A source time → UTC ms plus the zone it was written in. A time with an offset ("Z",
 * "+01:00") keeps that offset as its zone; a local time needs an IANA `tz`.
 */
export function normalizeTime(time: string, tz?: string, lang: ErrorLang = 'it'): { at: number; tz: string } | { error: string } {
  const s = time.trim();
  const off = OFFSET_RE.exec(s);
  if (off) {
    const at = Date.parse(s);
    if (Number.isNaN(at)) return { error: renderText('metrics.timeInvalid', { time: s.slice(0, 40) }, lang) };
    const o = (off[1] as string).toUpperCase();
    return { at, tz: o === 'Z' ? 'UTC' : o.length === 5 ? `${o.slice(0, 3)}:${o.slice(3)}` : o };
  }
  if (/^\d{10,13}$/.test(s)) {
    const n = Number(s);
    return { at: s.length === 13 ? n : n * 1000, tz: 'UTC' };
  }
  const m = LOCAL_RE.exec(s);
  if (!m) return { error: renderText('metrics.timeNotIso', { time: s.slice(0, 40) }, lang) };
  if (!tz) return { error: renderText('metrics.timeNoZone', { time: s.slice(0, 40) }, lang) };
  if (!isValidTimeZone(tz)) return { error: renderText('metrics.zoneUnknown', { tz: tz.slice(0, 40) }, lang) };
  const [, y, mo, d, h = '0', mi = '0', se = '0', ms = '0'] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se), Number(ms.padEnd(3, '0')));
  if (Number.isNaN(wall)) return { error: renderText('metrics.timeInvalid', { time: s.slice(0, 40) }, lang) };
  // Two passes settle the offset across a DST change.
  let at = wall - zoneOffset(wall, tz);
  at = wall - zoneOffset(at, tz);
  return { at, tz };
}
