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
import { pacedYield } from '../event-loop';

/** Risk is recomputed at most this often while moments change with every batch. */
const RISK_DEBOUNCE_MS = 250;
/** A rebuild recomputes the risk of at most this many recent moments (older ones on demand). */
const RISK_REBUILD_MAX = 500;
/** Recomputing risks gives the thread back at least this often (ms). */
const RISK_YIELD_MS = 10;
/**
 * A moment's mentions are read in pages of this many (~15 ms on a large store): a crisis of a
 * million-mention store links tens of thousands, read in one go in ~180 ms, and the
 * background recomputation gives the thread back between pages.
 */
const RISK_PAGE = 2_000;

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
      // One at a time: a recomputation gives the thread back as it goes, and the next (after
      // a rebuild, one that clears every stored risk) must not interleave with it.
      const run: Promise<void> = (this.running ?? Promise.resolve())
        .then(() => this.recompute(m))
        .catch((e: unknown) => this.d.logger.error('rischio: ricalcolo non riuscito', { error: e instanceof Error ? e.message : String(e) }))
        .finally(() => {
          if (this.running === run) this.running = null;
        });
      this.running = run;
    }, RISK_DEBOUNCE_MS);
  }


  /** Computes one moment's risk from its linked mentions (not stored), in one go. */
  compute(momentId: number): MomentRisk {
    const rows = new RiskRows(this.d.repo, momentId);
    while (rows.next());
    return this.finish(momentId, rows);
  }

  /** The same, giving the thread back between pages when `pause` says it is time. */
  private async computePaced(momentId: number, pause: () => Promise<void>): Promise<MomentRisk> {
    const rows = new RiskRows(this.d.repo, momentId);
    while (rows.next()) await pause();
    return this.finish(momentId, rows);
  }

  private finish(momentId: number, rows: RiskRows): MomentRisk {
    const audiences = this.d.repo.list();
    return computeRisk(
      momentId,
      rows.count,
      rows.unmatched,
      audiences.map((a) => ({ audienceId: a.id, name: a.name, type: a.type, override: a.override, rows: rows.byAudience.get(a.id) ?? [] })),
      this.d.now(),
    );
  }

  /** Stores a risk; returns the previous area (null when never computed). */
  private store(momentId: number, risk: MomentRisk): RiskArea | null {
    const before = this.d.repo.riskGet(momentId)?.area ?? null;
    this.d.repo.riskPut(momentId, risk.area, JSON.stringify(risk), this.d.now());
    return before;
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
    // The thread is given back by elapsed time, between moments and between the pages of a
    // large one: a moment of a large store links tens of thousands of mentions.
    const pause = pacedYield(RISK_YIELD_MS);
    // After a rebuild or an audience edit, the recent moments; live, the open ones and any
    // never read (one that opened and closed between two readings).
    const ids = mode !== 'live' ? mrepo.list({ limit: RISK_REBUILD_MAX }).rows.map((r) => r.id) : new Set([...mrepo.openMoments().map((m) => m.id), ...this.d.repo.momentsWithoutRisk(RISK_REBUILD_MAX)]);
    for (const id of ids) {
      if (this.stopped) return;
      const risk = await this.computePaced(id, pause);
      if (this.stopped) return;
      const before = this.store(id, risk);
      if (mode !== 'rebuilt') note(id, risk, before);
      await pause();
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
    const risk = this.compute(momentId);
    this.store(momentId, risk);
    return risk;
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

/** A moment's linked mentions read page by page, grouped by the audiences they belong to. */
export class RiskRows {
  readonly byAudience = new Map<number, FigureRow[]>();
  count = 0;
  unmatched = 0;
  #after = 0;
  #done = false;

  constructor(
    private readonly repo: AudiencesRepo,
    private readonly momentId: number,
    private readonly pageSize = RISK_PAGE,
  ) {}

  /** Reads the next page; false once every row is read. */
  next(): boolean {
    if (this.#done) return false;
    const page = this.repo.momentRows(this.momentId, this.#after, this.pageSize);
    for (const r of page) {
      this.count++;
      if (!r.audience_ids) {
        this.unmatched++;
        continue;
      }
      const f = toFigureRow(r);
      for (const a of r.audience_ids.split(',')) {
        const id = Number(a);
        let list = this.byAudience.get(id);
        if (!list) this.byAudience.set(id, (list = []));
        list.push(f);
      }
    }
    if (page.length > 0) this.#after = page[page.length - 1]!.mention_id;
    this.#done = page.length < this.pageSize;
    return !this.#done;
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
