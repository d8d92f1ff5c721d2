// The war room's first picture: the wall clock's last hour in 5-minute windows by sentiment,
// and the newest mentions. A mention dated up to a day ahead (a clock a little fast) counts in
// the last window; one further ahead is a bad clock and counts nowhere live (as in moments).
import type { Mention } from '../../shared/schemas';
import { WAR_BUCKET_MS, WAR_BUCKETS, WAR_LATEST, type WarBucket } from '../../shared/search';
import type { MentionsRepo } from '../store/mentions-repo';

const AHEAD_MAX_MS = 24 * 3600_000;

export interface WarSnapshot {
  from: number;
  bucketMs: number;
  buckets: WarBucket[];
  latest: Mention[];
}

export function warSnapshot(repo: MentionsRepo, now: number): WarSnapshot {
  // Windows aligned on the clock's 5 minutes, the last one holding "now".
  const from = (Math.floor(now / WAR_BUCKET_MS) - (WAR_BUCKETS - 1)) * WAR_BUCKET_MS;
  const buckets: WarBucket[] = Array.from({ length: WAR_BUCKETS }, () => ({ positive: 0, neutral: 0, negative: 0, unscored: 0 }));
  for (const r of repo.countByWindow(from, now + AHEAD_MAX_MS, WAR_BUCKET_MS)) {
    const b = buckets[Math.max(0, Math.min(WAR_BUCKETS - 1, Math.floor(r.bucket)))]!;
    b[r.label ?? 'unscored'] += r.n;
  }
  return { from, bucketMs: WAR_BUCKET_MS, buckets, latest: repo.list({}, undefined, WAR_LATEST).items };
}
