// Pure helpers for showing sentiment: labels, signed weights, the "why" line.
import type { SentimentStatus } from '../../../shared/ops/sentiment';
import type { Mention } from '../../../shared/schemas';
import type { SentimentLabel, SentimentTerm } from '../../../shared/sentiment';

export type SentimentView = Pick<Mention, 'sentimentScore' | 'sentimentLabel' | 'sentimentTerms' | 'sentimentModel'> &
  Partial<Pick<Mention, 'sentimentModelLabel' | 'sentimentCorrection'>>;

/**
 * One key per label, the same on every layout people here type on: "+" and "-" are plain
 * keys on the Italian keyboard, "0" everywhere; "=" (US "+" without Shift) counts as "+".
 */
export const CORRECTION_KEYS: Readonly<Record<SentimentLabel, string>> = { negative: '-', neutral: '0', positive: '+' };

export function labelForKey(key: string): SentimentLabel | null {
  if (key === '+' || key === '=') return 'positive';
  if (key === '0') return 'neutral';
  if (key === '-') return 'negative';
  return null;
}

/** The label the drivers explain: the engine's, also when a person corrected the mention. */
export function engineLabel(view: SentimentView): SentimentLabel | null {
  return view.sentimentCorrection ? (view.sentimentModelLabel ?? null) : view.sentimentLabel;
}

/** What scored a row when no model did (the stored sentiment_model). */
export const RULES_ENGINE = 'rules';

/**
 * A model should be scoring: it is in use, or it failed to load. With no model shipped at
 * all the rules are simply the engine, and nothing is marked as a fallback.
 */
export function modelExpected(s: Pick<SentimentStatus, 'engine' | 'error'> | null): boolean {
  return s !== null && (s.engine === 'model' || s.error !== null);
}

/** Whether a badge says its sentiment was estimated by the fallback rules. */
export function scoredByFallback(view: Pick<SentimentView, 'sentimentLabel' | 'sentimentModel'>, expected: boolean): boolean {
  return expected && view.sentimentLabel !== null && view.sentimentModel === RULES_ENGINE;
}

/** What the status bar says about sentiment, most pressing first; nothing when all is well. */
export type EngineNotice = { kind: 'rescore'; done: number; total: number } | { kind: 'fallback'; error: string };

export function engineNotices(s: SentimentStatus | null): EngineNotice[] {
  if (!s) return [];
  const out: EngineNotice[] = [];
  if (s.rescore.running && s.rescore.total > 0) out.push({ kind: 'rescore', done: s.rescore.done, total: s.rescore.total });
  if (s.engine === 'rules' && s.error) out.push({ kind: 'fallback', error: s.error });
  return out;
}

/** "+3", "−4", "+1,5": a typographic minus, the locale's decimal mark, no trailing zeros. */
export function formatWeight(w: number, locale: string): string {
  const abs = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.abs(w));
  return `${w < 0 ? '−' : '+'}${abs}`;
}

/** The score as shown: two decimals, signed. */
export function formatScore(s: number, locale: string): string {
  const abs = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.abs(s));
  return `${s < 0 ? '−' : s > 0 ? '+' : ''}${abs}`;
}

/**
 * The drivers worth showing for a label: those pulling the same way first (they explain
 * it), then the rest. At most `max`.
 */
export function driversFor(label: SentimentLabel | null, terms: readonly SentimentTerm[], max = 6): SentimentTerm[] {
  const sign = label === 'positive' ? 1 : label === 'negative' ? -1 : 0;
  const sorted = [...terms].sort((a, b) => {
    const sa = Math.sign(a.weight) === sign ? 0 : 1;
    const sb = Math.sign(b.weight) === sign ? 0 : 1;
    return sa - sb || Math.abs(b.weight) - Math.abs(a.weight);
  });
  return sorted.slice(0, max);
}

/** One line for screen readers and native tooltips: "schifo −4, non funziona −3". */
export function driversLine(label: SentimentLabel | null, terms: readonly SentimentTerm[], locale: string): string {
  return driversFor(label, terms)
    .map((d) => `${d.term} ${formatWeight(d.weight, locale)}`)
    .join(', ');
}
