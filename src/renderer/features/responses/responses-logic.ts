// Pure helpers of the Responses view: the word diff between two versions (jsdiff), the
// SLA clock, the character count against a channel's limit and the template placeholders.
// Kept apart from the store so they test without a DOM.
import { diffWordsWithSpace } from 'diff';
import { countChars } from '../../../shared/publishing';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Word-level differences from `before` to `after`, rendered as text spans (never HTML). */
export function versionDiff(before: string, after: string): DiffPart[] {
  return diffWordsWithSpace(before, after).map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
}

/** Milliseconds left on an SLA (negative: overdue), or null without a due time. */
export function slaLeft(dueAt: string | null, now: number): number | null {
  return dueAt === null ? null : Date.parse(dueAt) - now;
}

/** "1 h 05 min", "12 min", "45 s": short and exact enough for a countdown. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} g ${h} h`;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min`;
  return `${s % 60} s`;
}

/** The characters a text has against its channel's limit (code points, as the platforms count). */
export function charState(text: string, limit: number | null): { count: number; limit: number | null; over: number } {
  const count = countChars(text);
  return { count, limit, over: limit === null ? 0 : Math.max(0, count - limit) };
}

/** The placeholders a template may use, by their Italian names (what a manager types). */
export const PLACEHOLDERS = ['autore', 'brand', 'link'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/**
 * A template's text with its placeholders filled. One without a value (no readable author
 * yet, no link) stays as written and is listed in `missing`, so the person sees what to
 * complete by hand instead of a reply that says "Ciao ,". Unknown braces are left alone.
 */
export function fillTemplate(text: string, values: Partial<Record<Placeholder, string | null>>): { text: string; missing: Placeholder[] } {
  const missing = new Set<Placeholder>();
  const out = text.replace(/\{(autore|brand|link)\}/g, (whole, name: Placeholder) => {
    const v = values[name];
    if (v === null || v === undefined || v === '') {
      missing.add(name);
      return whole;
    }
    return v;
  });
  return { text: out, missing: [...missing] };
}

/** Where a template goes into the text being written: at the caret, or replacing the selection. */
export function insertAt(text: string, insert: string, start: number, end: number): { text: string; caret: number } {
  const a = Math.max(0, Math.min(start, text.length));
  const b = Math.max(a, Math.min(end, text.length));
  return { text: text.slice(0, a) + insert + text.slice(b), caret: a + insert.length };
}
