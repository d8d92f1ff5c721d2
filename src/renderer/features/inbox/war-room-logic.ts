// The war room's plain logic: counting arrivals into the hour's windows, and the shares and
// bar heights the wall screen draws.
import type { Mention } from '../../../shared/schemas';
import type { WarBucket } from '../../../shared/search';

/** New windows with `items` counted in (a mention before the hour counts nowhere). */
export function addToBuckets(buckets: readonly WarBucket[], items: readonly Mention[], bucketOf: (at: number) => number | null): WarBucket[] {
  const out = buckets.map((b) => ({ ...b }));
  for (const m of items) {
    const i = bucketOf(Date.parse(m.publishedAt));
    const b = i === null ? undefined : out[i];
    if (!b) continue;
    b[m.sentimentLabel ?? 'unscored']++;
  }
  return out;
}

export const bucketTotal = (b: WarBucket): number => b.positive + b.neutral + b.negative + b.unscored;

/** A part of a whole in whole percent (0 for an empty whole). */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 100) : 0;
}

/** Mentions per minute over the last complete-or-current window (5 minutes). */
export function perMinute(buckets: readonly WarBucket[], bucketMinutes = 5): number {
  const last = buckets[buckets.length - 1];
  return last ? Math.round((bucketTotal(last) / bucketMinutes) * 10) / 10 : 0;
}
