// Pure helpers of the Responses view: the word diff between two versions (jsdiff) and the
// SLA clock. Kept apart from the store so they test without a DOM.
import { diffWordsWithSpace } from 'diff';

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
