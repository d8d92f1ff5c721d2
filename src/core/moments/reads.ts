// The reads behind the contract: a moment's summary (with its sparkline and who took it in
// charge), the list, and the detail (its timeline against the baseline it was judged by, its
// top mentions, themes, emergent terms and keys). Reads only.
import type { MomentBucket, MomentDetail, MomentKeyKind, MomentKind, MomentSummary } from '../../shared/moments';
import type { Mention } from '../../shared/schemas';
import type { MentionsRepo } from '../store/mentions-repo';
import type { MomentAcksRepo } from '../store/moment-acks-repo';
import type { MomentKeyRow, MomentRow, MomentsRepo } from '../store/moments-repo';
import { ewmaBaseline } from './detector';
import type { Evidence } from './evidence';
import type { MomentKeys } from './keys';
import type { MomentsMemory } from './memory';
import { emergentTerms } from './terms';

const SPARK_BUCKETS = 24;

const iso = (ms: number): string => new Date(ms).toISOString();

export class MomentReads {
  constructor(
    private readonly mem: MomentsMemory,
    private readonly repo: MomentsRepo,
    private readonly acks: MomentAcksRepo,
    private readonly mentions: MentionsRepo,
    private readonly keys: MomentKeys,
    private readonly evidence: Evidence,
  ) {}

  summary(r: MomentRow): MomentSummary {
    const B = this.mem.bucketMs;
    const end = Math.floor((r.closed_at ?? Math.max(r.updated_at, Math.min(this.mem.streamNow, r.updated_at + 6 * B))) / B);
    const rows = this.repo.counts(r.key, end - SPARK_BUCKETS + 1, end);
    const byBucket = new Map(rows.map((x) => [x.bucket, x.n]));
    const spark: number[] = [];
    for (let b = end - SPARK_BUCKETS + 1; b <= end; b++) spark.push(byBucket.get(b) ?? 0);
    return {
      id: r.id,
      kind: r.kind,
      state: r.state,
      title: r.title,
      keyKind: r.key_kind,
      themeId: r.theme_id,
      openedAt: iso(r.opened_at),
      updatedAt: iso(r.updated_at),
      closedAt: r.closed_at === null ? null : iso(r.closed_at),
      volume: r.volume,
      negative: r.negative,
      sentiment: r.volume > 0 ? Math.max(-1, Math.min(1, r.sent_sum / r.volume)) : 0,
      peakZ: Math.round(r.peak_z * 100) / 100,
      spark,
      acknowledgedBy: this.acks.of(r.id, r.kind, r.opened_at),
      baselineMinutes: this.evidence.baselineMinutes(r.opened_at),
      baselineFull: this.evidence.baselineMinutes(r.opened_at) >= this.mem.settings.baselineBuckets * this.mem.settings.bucketMinutes,
    };
  }

  list(f: { kind?: MomentKind; state?: 'open' | 'closed'; themeId?: number; audienceIds?: number[]; limit: number }): { items: MomentSummary[]; total: number } {
    const { rows, total } = this.repo.list(f);
    return { items: rows.map((r) => this.summary(r)), total };
  }

  detail(id: number, decorate: (m: Mention[]) => Mention[]): MomentDetail | null {
    const r = this.repo.get(id);
    if (!r) return null;
    const s = this.mem.settings;
    const B = this.mem.bucketMs;
    const L = s.baselineBuckets;
    const streamNow = this.mem.streamNow;
    const first = Math.floor(r.opened_at / B) - L;
    const lastAt = r.closed_at ?? Math.max(r.updated_at, Number.isFinite(streamNow) ? Math.min(streamNow, r.updated_at + 6 * B) : r.updated_at);
    const last = Math.floor(lastAt / B) + (r.closed_at !== null ? 2 : 0);
    const from = Math.max(first, last - 200);
    const rows = new Map(this.repo.counts(r.key, Math.min(from, openedBucketOf(r.opened_at, B)) - L - 2, last).map((x) => [x.bucket, x]));
    const timeline: MomentBucket[] = [];
    // The band shows what the detector compared with: from the opening on, the baseline frozen
    // when the moment opened (a surge never raises its own bar).
    const openedBucket = Math.floor(r.opened_at / B);
    for (let b = from; b <= last; b++) {
      const at = b >= openedBucket ? openedBucket : b;
      const base = ewmaBaseline((x) => rows.get(x), at - 1 - L, at - 2, L);
      const c = rows.get(b);
      timeline.push({
        start: iso(b * B),
        volume: c?.n ?? 0,
        negative: c?.neg ?? 0,
        sentiment: c && c.n > 0 ? Math.max(-1, Math.min(1, c.sent_sum / c.n)) : null,
        baseline: Math.round((r.kind === 'crisis' ? base.negMean : base.mean) * 100) / 100,
        upper: Math.round((r.kind === 'crisis' ? base.negMean + s.zThreshold * base.negSd : base.mean + s.zThreshold * base.sd) * 100) / 100,
      });
    }
    const top = this.repo
      .topMentionIds(id, 10)
      .map((mid) => this.mentions.get(mid))
      .filter((m): m is Mention => m !== null);
    const ctx = this.keys.context();
    const themes = this.repo.themeCounts(id).flatMap(({ theme_id, n }) => {
      const t = ctx.themes.get(theme_id);
      return t ? [{ id: t.id, name: t.name, swot: t.swot, stance: t.stance, count: n }] : [];
    });
    const termCounts = new Map<string, number>();
    for (const m of this.repo.linkedTexts(id, 500)) {
      for (const t of emergentTerms(m.title, m.text, ctx.vocab)) termCounts.set(t, (termCounts.get(t) ?? 0) + 1);
    }
    const terms = [...termCounts.entries()]
      .filter(([, n]) => n >= 2)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 12)
      .map(([term, count]) => ({ term, count }));
    const keys = this.repo.keysOf(id).map((k: MomentKeyRow) => ({ kind: k.key_kind as MomentKeyKind, label: k.label }));
    return { moment: this.summary(r), bucketMinutes: s.bucketMinutes, timeline, topMentions: decorate(top), themes, terms, keys };
  }
}

function openedBucketOf(openedAt: number, bucketMs: number): number {
  return Math.floor(openedAt / bucketMs);
}
