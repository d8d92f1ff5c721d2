// The book of open moments: open, merge, link, close. A step's mentions on keys already in an
// open moment join it; a surging key (judge.ts) joins the open moment of its kind that shares
// its recent mentions, or opens a new one; every step re-judges every open moment and closes
// those quiet for long enough. It writes the moments' rows, their keys and their links, and
// notes what a client would see change (`dirty`, `pendingOpened`) for tracking to announce.
import type { MomentKind } from '../../shared/moments';
import type { MomentsRepo } from '../store/moments-repo';
import { stillActive, type TrackItem } from './detector';
import type { Evidence } from './evidence';
import type { Candidate } from './judge';
import type { MomentKeys } from './keys';
import { LINKED_MEMORY, type MomentsMemory, type OpenMoment } from './memory';

/** Overlap of recent mentions above which a newly surging key joins an open moment. */
const MERGE_OVERLAP = 0.3;
/** Share of an opportunity's recent mentions that, belonging to an open crisis, make it that crisis' echo. */
const ECHO_SHARE = 0.5;
const MOMENT_KINDS: readonly MomentKind[] = ['crisis', 'opportunity'];

export class MomentBook {
  /** Something a client shows changed in this batch (a moment opened, grew or closed). */
  dirty = false;
  /** Moments opened by live tracking, announced once their batch commits. */
  pendingOpened: number[] = [];

  constructor(
    private readonly mem: MomentsMemory,
    private readonly repo: MomentsRepo,
    private readonly keys: MomentKeys,
    private readonly evidence: Evidence,
    /** Wall clock, for created_at only. */
    private readonly wallNow: () => number,
  ) {}

  /** Mentions of keys already in an open moment join it. */
  join(itemKeys: readonly { it: TrackItem; keys: string[] }[]): void {
    // No open moment (most steps): no key has one to join.
    if (this.mem.keyToMoment.crisis.size === 0 && this.mem.keyToMoment.opportunity.size === 0) return;
    const B = this.mem.bucketMs;
    const byMoment = new Map<number, TrackItem[]>();
    for (const { it, keys } of itemKeys) {
      for (const key of keys) {
        for (const kind of MOMENT_KINDS) {
          const mid = this.mem.keyToMoment[kind].get(key);
          if (mid === undefined || !this.linksThrough(mid, key)) continue;
          const list = byMoment.get(mid) ?? [];
          if (list[list.length - 1] !== it) list.push(it);
          byMoment.set(mid, list);
        }
      }
    }
    for (const [mid, list] of byMoment) {
      const m = this.mem.open.get(mid);
      if (!m) continue;
      // A late mention from before the window that opened the moment is not part of it (in
      // published order it would have come before the moment existed).
      const from = (Math.floor(m.openedAt / B) - 1) * B;
      this.linkItems(m, list.filter((it) => this.fits(m.kind, it.label) && it.publishedAt >= from));
    }
  }

  /**
   * Whether a key's mentions join its moment. The brand as a whole only confirms a moment that
   * another key named: its everyday talk would otherwise flood the moment's mentions.
   */
  private linksThrough(momentId: number, key: string): boolean {
    if (!key.startsWith('b:')) return true;
    return this.mem.open.get(momentId)?.key === key;
  }

  /** A crisis gathers what is not positive, an opportunity what is not negative. */
  private fits(kind: MomentKind, label: TrackItem['label']): boolean {
    return kind === 'crisis' ? label !== 'positive' : label !== 'negative';
  }

  private linkItems(m: OpenMoment, items: readonly { id: number; publishedAt: number; score: number | null; label: TrackItem['label'] }[]): void {
    if (items.length === 0) return;
    const fresh = this.repo.link(m.id, items.map((it) => ({ id: it.id, publishedAt: it.publishedAt, score: it.score, negative: it.label === 'negative' })));
    if (fresh.length > 0) this.dirty = true;
    for (const id of fresh) m.linked.add(id);
    if (m.linked.size > LINKED_MEMORY) {
      const drop = m.linked.size - LINKED_MEMORY;
      let k = 0;
      for (const id of m.linked) {
        if (k++ >= drop) break;
        m.linked.delete(id);
      }
    }
    for (const it of items) if (it.publishedAt > m.updatedAt && it.publishedAt <= this.mem.streamNow) m.updatedAt = it.publishedAt;
  }

  /** Each candidate (strongest first) joins the open moment of its kind it overlaps most, or opens one. */
  place(candidates: readonly Candidate[], now: number, live: boolean): void {
    // Per open moment, the recent mentions its keys carry (built once per step, dropped when a key joins).
    const carriedCache = new Map<number, Set<number>>();
    for (const c of candidates) {
      if (this.mem.keyToMoment[c.kind].has(c.key)) continue;
      // "The same mentions" are those that could belong to a moment of this kind (a crisis
      // gathers what is not positive): a post's fans must not dilute its pile-on's overlap
      // with the crisis its theme already opened.
      const ids = this.evidence
        .recentItems(c.key, now)
        .filter((it) => this.fits(c.kind, it.label))
        .map((it) => it.id);
      let target: OpenMoment | null = null;
      let best = 0;
      // A key surging with the same mentions as an open moment OF ITS KIND is part of it.
      // "The same mentions" counts those linked to the moment and those that carry one of its
      // keys: a term surging on the crisis' own words ("trova" in "la gente trova muffa") is
      // the crisis whether or not the moment has linked those mentions yet, so live tracking
      // (which sees the term early) and a rebuild (which sees it late) agree. Kinds never
      // merge: a crisis during an opportunity is a second moment, never swallowed by the first
      // nor swallowing it.
      const brandId = c.info.kind === 'brand' ? Number(c.key.slice(2)) : null;
      // A rising, not negative surge made mostly of an open crisis' own neutral mentions (the
      // "richiamate le capsule" of a pile-on) is that crisis' echo, not something the brand
      // may join: no opportunity opens on it.
      if (c.kind === 'opportunity' && ids.length > 0 && this.echoOfCrisis(c.key, now, carriedCache)) continue;
      for (const m of this.mem.open.values()) {
        if (m.kind !== c.kind) continue;
        let ov: number;
        // The brand as a whole surging while a moment of the same kind about that brand is
        // open is that moment seen from above, not a second one.
        if (brandId !== null && this.keys.brandsOf(m.keys.keys()).has(brandId)) ov = 1;
        else {
          if (ids.length === 0) continue;
          let hit = 0;
          let carried = carriedCache.get(m.id);
          if (!carried) carriedCache.set(m.id, (carried = this.carriedBy(m, now)));
          for (const id of ids) if (m.linked.has(id) || carried.has(id)) hit++;
          ov = hit / ids.length;
        }
        if (ov >= MERGE_OVERLAP && ov > best) {
          best = ov;
          target = m;
        }
      }
      if (target) {
        if (c.info.priority > target.priority) {
          target.key = c.key;
          target.priority = c.info.priority;
          target.title = c.info.label;
          target.themeId = c.info.themeId;
          this.repo.retitle(target.id, c.key, c.info.kind, c.info.label, c.info.themeId);
        }
        target.peakZ = Math.max(target.peakZ, c.z);
      } else {
        const id = this.repo.insertMoment({
          kind: c.kind,
          key: c.key,
          keyKind: c.info.kind,
          title: c.info.label,
          themeId: c.info.themeId,
          openedAt: c.at,
          peakZ: c.z,
          createdAt: this.wallNow(),
        });
        target = {
          id,
          kind: c.kind,
          key: c.key,
          priority: c.info.priority,
          title: c.info.label,
          themeId: c.info.themeId,
          openedAt: c.at,
          updatedAt: now,
          quietSince: null,
          peakZ: c.z,
          keys: new Map(),
          linked: new Set(),
        };
        this.mem.open.set(id, target);
        if (live) this.pendingOpened.push(target.id);
      }
      const t = target;
      this.dirty = true;
      this.repo.addKey({ moment_id: t.id, key: c.key, key_kind: c.info.kind, label: c.info.label, mean: c.base.mean, sd: c.base.sd, neg_mean: c.base.negMean, neg_sd: c.base.negSd });
      t.keys.set(c.key, { base: c.base, isTerm: c.info.kind === 'term' });
      carriedCache.delete(t.id);
      this.mem.keyToMoment[t.kind].set(c.key, t.id);
      // The window that opened it belongs to it.
      if (this.linksThrough(t.id, c.key)) this.linkItems(t, this.evidence.recentItems(c.key, now).filter((it) => this.fits(t.kind, it.label)));
      this.write(t, null);
    }
  }

  /**
   * Whether at least ECHO_SHARE of a key's recent mentions are an open crisis' own and not
   * positive (linked to it, or carrying one of its keys).
   */
  private echoOfCrisis(key: string, now: number, carriedCache: Map<number, Set<number>>): boolean {
    const items = this.evidence.recentItems(key, now);
    if (items.length === 0) return false;
    for (const m of this.mem.open.values()) {
      if (m.kind !== 'crisis') continue;
      let carried = carriedCache.get(m.id);
      if (!carried) carriedCache.set(m.id, (carried = this.carriedBy(m, now)));
      let hit = 0;
      for (const it of items) if (it.label !== 'positive' && (m.linked.has(it.id) || carried.has(it.id))) hit++;
      if (hit / items.length >= ECHO_SHARE) return true;
    }
    return false;
  }

  /** Recent mentions that carry one of an open moment's own keys (the brand aside: it carries everything). */
  private carriedBy(m: OpenMoment, now: number): Set<number> {
    const out = new Set<number>();
    for (const key of m.keys.keys()) if (!key.startsWith('b:')) for (const id of this.evidence.recentIds(key, now)) out.add(id);
    return out;
  }

  /** Re-judges every open moment at `now`; one quiet for `closeAfterMinutes` closes. */
  updateOpen(now: number): void {
    const s = this.mem.settings;
    const B = this.mem.bucketMs;
    for (const m of [...this.mem.open.values()]) {
      // A step from before the moment (a late or slower stream) says nothing about it.
      if (now < m.updatedAt - B) continue;
      let active = false;
      for (const [key, k] of m.keys) {
        const r = stillActive(m.kind, this.evidence.windowStats(key, now), k.base, s, k.isTerm);
        if (r.active) active = true;
        if (r.z > m.peakZ) m.peakZ = r.z;
      }
      if (active) m.quietSince = null;
      else if (m.quietSince === null) m.quietSince = now;
      const closed = !active && m.quietSince !== null && now - m.quietSince >= s.closeAfterMinutes * 60_000;
      this.write(m, closed ? now : null);
      if (closed) {
        this.dirty = true;
        this.mem.open.delete(m.id);
        for (const key of m.keys.keys()) if (this.mem.keyToMoment[m.kind].get(key) === m.id) this.mem.keyToMoment[m.kind].delete(key);
      }
    }
  }

  /**
   * Writes an open moment's row (closed when closedAt is set). Every step re-judges every open
   * moment, and most steps change none of its fields: those writes are skipped. Only this
   * class writes these columns (place() changes key and title in memory too), so the row
   * still holds what was last written.
   */
  private write(m: OpenMoment, closedAt: number | null): void {
    const f = {
      state: closedAt !== null ? ('closed' as const) : ('open' as const),
      key: m.key,
      title: m.title,
      themeId: m.themeId,
      updatedAt: m.updatedAt,
      closedAt,
      quietSince: m.quietSince,
      peakZ: m.peakZ,
    };
    const sig = `${f.state}\u0000${f.key}\u0000${f.title}\u0000${f.themeId}\u0000${f.updatedAt}\u0000${f.closedAt}\u0000${f.quietSince}\u0000${f.peakZ}`;
    if (m.written === sig) return;
    this.repo.updateMoment(m.id, f);
    m.written = sig;
  }
}
