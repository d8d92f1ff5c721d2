// How Tier 2 numbers read: rates as percentages, times in seconds, scores plain; Italian
// or English separators following the interface language.
import { METRIC_INFO, type MetricId } from '../../../shared/metrics';
import type { Locale } from '../../../shared/schemas';

const TAG: Record<Locale, string> = { it: 'it-IT', en: 'en-GB' };

export function fmtMetric(metric: MetricId, v: number | null, locale: Locale): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const unit = METRIC_INFO[metric].unit;
  const nf = (d: number): Intl.NumberFormat => new Intl.NumberFormat(TAG[locale], { maximumFractionDigits: d });
  if (unit === 'rate') return `${nf(v < 0.1 ? 2 : 1).format(v * 100)}%`;
  if (unit === 'seconds') return `${nf(1).format(v)} s`;
  if (unit === 'count') return new Intl.NumberFormat(TAG[locale], { notation: 'compact' }).format(v);
  return nf(2).format(v);
}

export function fmtPct(v: number | null, locale: Locale, signed = false): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const s = new Intl.NumberFormat(TAG[locale], { maximumFractionDigits: 1, signDisplay: signed ? 'exceptZero' : 'auto' }).format(v * 100);
  return `${s}%`;
}

/** Remaining SLA time as "12:04", or overdue minutes; negative ms = overdue. */
export function slaLeft(dueAt: string, now: number): { ms: number; text: string } {
  const ms = Date.parse(dueAt) - now;
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const text = h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
  return { ms, text };
}

/** Path of a polyline through points scaled into a w×h box (y grows downwards). */
export function linePath(values: readonly number[], w: number, h: number, min: number, max: number): string {
  if (values.length === 0) return '';
  const span = max - min || 1;
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  return values
    .map((v, i) => `${i === 0 ? 'M' : 'L'}${(values.length === 1 ? w / 2 : i * step).toFixed(1)},${(h - ((v - min) / span) * h).toFixed(1)}`)
    .join(' ');
}
