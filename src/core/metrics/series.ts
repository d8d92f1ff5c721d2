// The series a panel or a rule reads: stored points, and the two metrics that are computed
// rather than stored (compound engagement from the counters, the sentiment of the mentions
// linked to a content); how a value is written in a message; and points bucketed for a chart.
import { METRIC_INFO, type MetricId } from '../../shared/metrics';
import type { ErrorLang } from '../../shared/errors';
import type { MetricsRepo } from '../store/metrics-repo';
import { compoundEngagement } from './formulas';

export const iso = (ms: number): string => new Date(ms).toISOString();

/** compound_engagement at each views point, from the latest likes/comments/shares at or before it. */
export function compoundSeries(metrics: MetricsRepo, contentId: number): { at: number; value: number }[] {
  const views = metrics.series(contentId, 'views');
  if (views.length === 0) return [];
  const parts = (['likes', 'comments', 'shares'] as const).map((m) => metrics.series(contentId, m));
  const out: { at: number; value: number }[] = [];
  const idx = [0, 0, 0];
  const cur = [0, 0, 0];
  for (const v of views) {
    parts.forEach((s, k) => {
      while ((idx[k] as number) < s.length && (s[idx[k] as number] as { at: number }).at <= v.at) {
        cur[k] = (s[idx[k] as number] as { value: number }).value;
        idx[k] = (idx[k] as number) + 1;
      }
    });
    const ce = compoundEngagement(cur[0] as number, cur[1] as number, cur[2] as number, v.value);
    if (ce !== null) out.push({ at: v.at, value: ce });
  }
  return out;
}

/** One series (the newest `last` points when given); `now` dates the linked sentiment. */
export function seriesOf(metrics: MetricsRepo, now: () => number, contentId: number, metric: MetricId, region = '', last?: number): { at: number; value: number }[] {
  if (metric === 'compound_engagement') {
    if (region) return [];
    const all = compoundSeries(metrics, contentId);
    return last === undefined ? all : all.slice(-last);
  }
  if (metric === 'sentiment_score') {
    const c = metrics.get(contentId);
    const s = metrics.linkedSentiment(c?.url ?? null);
    return s ? [{ at: now(), value: s.value }] : [];
  }
  return metrics.series(contentId, metric, region, '', last);
}

/** A metric's value as an alert writes it, with the decimal mark of the language. */
export function fmtValue(metric: MetricId, v: number, lang: ErrorLang = 'it'): string {
  const locale = lang === 'en' ? 'en-GB' : 'it-IT';
  const u = METRIC_INFO[metric].unit;
  if (u === 'rate') return `${(v * 100).toLocaleString(locale, { maximumFractionDigits: 1 })}%`;
  if (u === 'seconds') return `${v.toLocaleString(locale, { maximumFractionDigits: 1 })} s`;
  return v.toLocaleString(locale, { maximumFractionDigits: 2 });
}

/**
 * The points of one or more series (sorted by time) as at most `cap` time buckets, each the
 * mean of the values in it: several contents of a channel read as one line, not a zigzag.
 */
export function bucket(pts: readonly { at: number; value: number }[], cap: number): { t: string; v: number }[] {
  if (pts.length === 0) return [];
  const first = (pts[0] as { at: number }).at;
  const last = (pts[pts.length - 1] as { at: number }).at;
  const distinct = new Set(pts.map((p) => p.at)).size;
  // One bucket per instant while they fit; otherwise equal slices of the time span.
  const width = distinct <= cap ? 0 : (last - first) / cap;
  const out: { t: string; v: number }[] = [];
  let key = Number.NaN;
  let sum = 0;
  let n = 0;
  let at = first;
  const flush = (): void => {
    if (n > 0) out.push({ t: iso(at), v: sum / n });
  };
  for (const p of pts) {
    const k = width === 0 ? p.at : Math.min(cap - 1, Math.floor((p.at - first) / width));
    if (k !== key) {
      flush();
      key = k;
      sum = 0;
      n = 0;
    }
    sum += p.value;
    n++;
    at = p.at;
  }
  flush();
  return out;
}
