// Each moment's risk: who its mentions reach, from the audiences they belong to (computed by
// the shared formulas, shared/audiences.ts). Recomputed after the moments change (debounced:
// they change with every batch) or the audiences do; stored, so a list reads it back; a moment
// entering the strong area is announced once (risk.changed).
import { computeRisk, MomentRiskSchema, riskExplainOf, type FigureRow, type MomentRisk, type RiskArea, type RiskExplain } from '../../shared/audiences';
import type { MomentKind, MomentSummary } from '../../shared/moments';
import type { EventBus } from '../api/events';
import type { Logger } from '../platform';
import type { MomentsService } from '../moments';
import type { AudiencesRepo, FigureDbRow } from '../store/audiences-repo';
import type { Db } from '../store/db';
import type { Checklists } from './checklist';

/** Risk is recomputed at most this often while moments change with every batch. */
const RISK_DEBOUNCE_MS = 250;
/** A rebuild recomputes the risk of at most this many recent moments (older ones on demand). */
const RISK_REBUILD_MAX = 500;
/** Recomputing many moments' risks gives the thread back at least this often (ms). */
const RISK_YIELD_MS = 10;

/** What changed: the moments (live), the audiences (all: recent moments), or a rebuild renumbered the moments. */
export type RiskMode = 'live' | 'all' | 'rebuilt';
const MODE_RANK: Record<RiskMode, number> = { live: 0, all: 1, rebuilt: 2 };

export interface MomentRisksDeps {
  db: Db;
  events: EventBus;
  repo: AudiencesRepo;
  moments: MomentsService;
  checklists: Checklists;
  /** Wall clock. */
  now: () => number;
  logger: Logger;
}

export class MomentRisks {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private mode: RiskMode | null = null;
  /** The recomputation running now (tests and idle() wait on it). */
  running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly d: MomentRisksDeps) {}

  /** A recomputation is waiting for its debounce. */
  get pending(): boolean {
    return this.timer !== null;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  schedule(mode: RiskMode): void {
    if (this.stopped) return;
    if (this.mode === null || MODE_RANK[mode] > MODE_RANK[this.mode]) this.mode = mode;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const m = this.mode ?? 'live';
      this.mode = null;
      this.running = this.recompute(m)
        .catch((e: unknown) => this.d.logger.error('rischio: ricalcolo non riuscito', { error: e instanceof Error ? e.message : String(e) }))
        .finally(() => {
          this.running = null;
        });
    }, RISK_DEBOUNCE_MS);
  }


  /** Computes one moment's risk from its linked mentions (not stored). */
  compute(momentId: number): MomentRisk {
    const rows = this.d.repo.momentRows(momentId);
    const byAudience = new Map<number, FigureRow[]>();
    let unmatched = 0;
    for (const r of rows) {
      if (!r.audience_ids) {
        unmatched++;
        continue;
      }
      const f = toFigureRow(r);
      for (const a of r.audience_ids.split(',')) {
        const id = Number(a);
        let list = byAudience.get(id);
        if (!list) byAudience.set(id, (list = []));
        list.push(f);
      }
    }
    const audiences = this.d.repo.list();
    return computeRisk(
      momentId,
      rows.length,
      unmatched,
      audiences.map((a) => ({ audienceId: a.id, name: a.name, type: a.type, override: a.override, rows: byAudience.get(a.id) ?? [] })),
      this.d.now(),
    );
  }

  /** Recomputes and stores; returns the previous area (null when never computed). */
  private refresh(momentId: number): { risk: MomentRisk; before: RiskArea | null } {
    const before = this.d.repo.riskGet(momentId)?.area ?? null;
    const risk = this.compute(momentId);
    this.d.repo.riskPut(momentId, risk.area, JSON.stringify(risk), this.d.now());
    return { risk, before };
  }

  private async recompute(mode: RiskMode): Promise<void> {
    const mrepo = this.d.moments.repo;
    const changes: { momentId: number; title: string; kind: MomentKind; from: RiskArea | null; to: RiskArea; explain: RiskExplain }[] = [];
    const note = (id: number, risk: MomentRisk, before: RiskArea | null): void => {
      const m = mrepo.get(id);
      // After an audience edit only live moments are news, not the history re-read.
      if (mode === 'all' && m?.state !== 'open') return;
      // A moment entering the strong area is news (even one read for the first time after it
      // closed, between two readings); a first weak reading is not, nor a closed moment's drift.
      const news = before === null ? risk.area === 'strong' : before !== risk.area && m?.state === 'open';
      if (m && news) {
        changes.push({ momentId: id, title: m.title, kind: m.kind, from: before, to: risk.area, explain: riskExplainOf(risk) });
      }
    };
    if (mode === 'rebuilt') {
      // A rebuild renumbers the moments (numbers are reused): stored risks say nothing now,
      // each checklist follows its moment by anchor, and nothing is announced.
      this.d.db.transaction(() => {
        this.d.repo.riskClear();
        this.d.checklists.reattach();
      })();
    }
    if (mode !== 'live') {
      const { rows } = mrepo.list({ limit: RISK_REBUILD_MAX });
      // The thread is given back by elapsed time, not every so many moments: a moment of a
      // large store links tens of thousands of mentions, and fifty of those read in one go
      // kept requests waiting for most of a second.
      let since = performance.now();
      for (let i = 0; i < rows.length; i++) {
        if (this.stopped) return;
        const { risk, before } = this.refresh(rows[i]!.id);
        if (mode === 'all') note(rows[i]!.id, risk, before);
        if (performance.now() - since >= RISK_YIELD_MS) {
          await new Promise<void>((r) => setImmediate(r));
          since = performance.now();
        }
      }
      this.d.events.emit('risk.changed', { changes });
      return;
    }
    // Open moments, and any never read (one that opened and closed between two readings).
    const ids = new Set(mrepo.openMoments().map((m) => m.id));
    for (const r of this.d.repo.momentsWithoutRisk(RISK_REBUILD_MAX)) ids.add(r);
    for (const id of ids) {
      if (this.stopped) return;
      const { risk, before } = this.refresh(id);
      note(id, risk, before);
    }
    this.d.events.emit('risk.changed', { changes });
  }

  /** The stored risk of a moment, computed now when missing or unreadable. */
  riskOf(momentId: number): MomentRisk {
    const stored = this.d.repo.riskGet(momentId);
    if (stored) {
      try {
        const parsed = MomentRiskSchema.safeParse(JSON.parse(stored.detail));
        if (parsed.success) return parsed.data;
      } catch {
        /* recomputed below */
      }
    }
    return this.refresh(momentId).risk;
  }

  /** For the response workflow: the moment's risk area, null when the moment does not exist. */
  riskArea(momentId: number): RiskArea | null {
    if (!this.d.moments.repo.get(momentId)) return null;
    return this.riskOf(momentId).area;
  }

  map(f: { kind?: MomentKind; state?: 'open' | 'closed'; limit: number }): { moment: MomentSummary; risk: MomentRisk }[] {
    const { rows } = this.d.moments.repo.list(f);
    return rows.map((r) => ({ moment: this.d.moments.summary(r), risk: this.riskOf(r.id) }));
  }
}

/** A stored row as the shared formulas read it. */
export function toFigureRow(r: FigureDbRow): FigureRow {
  return {
    publishedAt: r.published_at,
    authorKey: r.author_key,
    likes: r.likes,
    comments: r.comments,
    shares: r.shares,
    score: r.score,
    isComment: r.parent_id !== null,
  };
}
