// Over 500 lines (~560): membership and risk share the compiled audiences and the background
// re-match; the checklist is the seam to move out when it grows.
// Audiences at run time: membership of every mention (at ingest, inside the batch transaction,
// and by a background re-match after an edit), the risk of each moment (recomputed after the
// moments change, a change of risk area announced once), and the per-moment checklist that the
// response workflow reads through riskArea() and getChecklist().
import {
  CHECKLIST_ITEMS,
  ChecklistEntrySchema,
  compileRules,
  computeFigures,
  computeRisk,
  computeStrength,
  communitiesOf,
  hashtagsOf,
  isMember,
  MomentRiskSchema,
  type Audience,
  type AudienceInput,
  type AudienceRematch,
  type Checklist,
  type ChecklistEntry,
  type ChecklistHints,
  type ChecklistItem,
  type CompiledRules,
  type FigureRow,
  type MemberCandidate,
  type MomentRisk,
  riskExplainOf,
  type RiskArea,
  type RiskExplain,
  type StrengthFigures,
} from '../../shared/audiences';
import type { MentionTheme } from '../../shared/perimeters';
import { foldName } from '../../shared/text';
import type { MomentKind, MomentSummary } from '../../shared/moments';
import type { EventBus } from '../api/events';
import type { Logger } from '../platform';
import { type MomentsService, anchorOf, reattachByAnchor } from '../moments';
import type { PerimetersService } from '../perimeters';
import { AudiencesRepo, type AudienceRow, type FigureDbRow } from '../store/audiences-repo';
import type { Db } from '../store/db';
import type { MentionInsert } from '../store/mentions-repo';

const REMATCH_CHUNK = 2_000;
/** Audience figures look at this much stream time before the audience's newest mention. */
const FIGURES_SPAN_MS = 24 * 3_600_000;
const FIGURES_MAX_ROWS = 1_000;
/** Audience figures are read again at most this often (the list is asked for on every change). */
const FIGURES_TTL_MS = 15_000;
/** Risk is recomputed at most this often while moments change with every batch. */
const RISK_DEBOUNCE_MS = 250;
/** A rebuild recomputes the risk of at most this many recent moments (older ones on demand). */
const RISK_REBUILD_MAX = 500;
/** Recomputing many moments' risks gives the thread back at least this often (ms). */
const RISK_YIELD_MS = 10;

interface Compiled {
  id: number;
  name: string;
  type: AudienceRow['type'];
  rules: CompiledRules;
  needsCommunities: boolean;
  needsHashtags: boolean;
  needsOwner: boolean;
}

export interface AudiencesDeps {
  db: Db;
  events: EventBus;
  moments: MomentsService;
  perimeters: PerimetersService;
  /** Wall clock. */
  now: () => number;
  logger: Logger;
}

type RiskMode = 'live' | 'all' | 'rebuilt';
const MODE_RANK: Record<RiskMode, number> = { live: 0, all: 1, rebuilt: 2 };

const EMPTY_ENTRY: ChecklistEntry = { done: false, note: '', at: null };

export class AudiencesService {
  readonly repo: AudiencesRepo;
  private compiled: Compiled[] = [];
  private rematchQueue = new Set<number>();
  private rematchState: AudienceRematch = { running: false, done: 0, total: 0 };
  private rematching: Promise<void> | null = null;
  private riskTimer: ReturnType<typeof setTimeout> | null = null;
  private riskMode: RiskMode | null = null;
  private riskRunning: Promise<void> | null = null;
  private stopped = false;
  private readonly unsubscribe: () => void;
  /** The owned-account list as last read: an edit of it re-reads the audiences built on it. */
  private ownedSignature: string;

  constructor(private readonly deps: AudiencesDeps) {
    this.repo = new AudiencesRepo(deps.db);
    this.compile();
    this.ownedSignature = deps.perimeters.owned.signature();
    const offMoments = deps.moments.changes.on(({ rebuilt }) => this.scheduleRisk(rebuilt ? 'rebuilt' : 'live'));
    const offPerimeters = deps.perimeters.changes.on(() => {
      const owned = deps.perimeters.owned.signature();
      const ownedChanged = owned !== this.ownedSignature;
      this.ownedSignature = owned;
      for (const a of this.compiled) {
        // A theme's matches changed: audiences built on themes follow (once the re-match is done).
        if (a.rules.themeIds.size > 0 && !deps.perimeters.busy) this.rematch(a.id);
        else if (ownedChanged && a.needsOwner) this.rematch(a.id);
      }
    });
    this.unsubscribe = () => {
      offMoments();
      offPerimeters();
    };
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    if (this.riskTimer) clearTimeout(this.riskTimer);
  }

  /** Resolves once no re-match or risk computation is pending (tests wait on it). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.rematching) await this.rematching;
      else if (this.riskRunning) await this.riskRunning;
      else if (this.riskTimer) await new Promise((r) => setTimeout(r, 20));
      else return;
    }
  }

  private compile(): void {
    this.figuresCache.clear();
    this.compiled = this.repo.list().map((a) => {
      const rules = compileRules(a.rules);
      return { id: a.id, name: a.name, type: a.type, rules, needsCommunities: rules.communities.size > 0, needsHashtags: rules.hashtags.size > 0, needsOwner: rules.ownedBrandIds.size > 0 };
    });
  }

  // --- membership ---

  private membersOf(c: MemberCandidate): number[] {
    if (this.compiled.length === 0) return [];
    const cache: { communities?: string[]; hashtags?: string[]; owner?: number | null } = {};
    if (this.compiled.some((a) => a.needsCommunities)) cache.communities = communitiesOf(c);
    if (this.compiled.some((a) => a.needsHashtags)) cache.hashtags = hashtagsOf(c.title, c.text);
    if (this.compiled.some((a) => a.needsOwner)) cache.owner = this.deps.perimeters.owned.ownerOf(c);
    return this.compiled.filter((a) => isMember(a.rules, c, cache)).map((a) => a.id);
  }

  /** The ingest hook: mentions just inserted, inside the batch transaction. */
  matchInserted(rows: readonly { id: number; row: MentionInsert }[], themes: Map<number, MentionTheme[]>): void {
    if (this.compiled.length === 0 || this.stopped) return;
    for (const { id, row } of rows) {
      const ids = this.membersOf({
        sourceName: row.sourceName,
        url: row.canonicalUrl,
        threadId: row.threadId,
        title: row.title,
        text: row.text,
        authorKey: row.authorKey,
        themeIds: (themes.get(id) ?? []).map((t) => t.themeId),
      });
      for (const a of ids) this.repo.addMember(id, a, row.publishedAt);
    }
  }

  /** Re-reads every stored mention for the given audience, in slices between other requests. */
  private rematch(audienceId: number): void {
    this.deps.db.transaction(() => this.repo.clearMembers(audienceId))();
    this.rematchQueue.add(audienceId);
    if (this.rematching) return;
    this.rematching = (async () => {
      while (this.rematchQueue.size > 0 && !this.stopped) {
        const ids = new Set(this.rematchQueue);
        this.rematchQueue.clear();
        await this.rematchRun(ids);
      }
    })()
      .catch((e: unknown) => this.deps.logger.error('pubblici: ricalcolo delle appartenenze interrotto', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        this.rematching = null;
        this.figuresCache.clear();
        this.rematchState = { running: false, done: this.rematchState.total, total: this.rematchState.total };
        if (this.stopped) return;
        this.deps.events.emit('audiences.changed', { rematch: this.rematchState });
        this.scheduleRisk('all');
      });
  }

  private async rematchRun(ids: Set<number>): Promise<void> {
    const total = this.repo.countMentions();
    this.rematchState = { running: true, done: 0, total };
    this.deps.events.emit('audiences.changed', { rematch: this.rematchState });
    const maxId = this.repo.maxMentionId();
    let after = 0;
    let done = 0;
    while (!this.stopped) {
      const targets = this.compiled.filter((a) => ids.has(a.id));
      if (targets.length === 0) return;
      const rows = this.repo.scan(after, REMATCH_CHUNK);
      if (rows.length === 0) break;
      const needC = targets.some((a) => a.needsCommunities);
      const needH = targets.some((a) => a.needsHashtags);
      const needO = targets.some((a) => a.needsOwner);
      this.deps.db.transaction(() => {
        for (const r of rows) {
          if (r.id > maxId) continue;
          const c: MemberCandidate = {
            sourceName: r.source_name,
            url: r.url,
            threadId: r.thread_id,
            title: r.title,
            text: r.text,
            authorKey: r.author_key,
            themeIds: r.theme_ids ? r.theme_ids.split(',').map(Number) : [],
          };
          const cache = {
            ...(needC ? { communities: communitiesOf(c) } : {}),
            ...(needH ? { hashtags: hashtagsOf(c.title, c.text) } : {}),
            ...(needO ? { owner: this.deps.perimeters.owned.ownerOf(c) } : {}),
          };
          for (const a of targets) if (isMember(a.rules, c, cache)) this.repo.addMember(r.id, a.id, r.published_at);
        }
      })();
      after = rows[rows.length - 1]!.id;
      done += rows.length;
      this.rematchState = { running: true, done: Math.min(done, total), total };
      if (after >= maxId) break;
      this.deps.events.emit('audiences.changed', { rematch: this.rematchState });
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  // --- audiences ---

  private figuresCache = new Map<number, { at: number; figures: StrengthFigures }>();

  private figuresOf(id: number): StrengthFigures {
    const hit = this.figuresCache.get(id);
    const now = this.deps.now();
    if (hit && now - hit.at < FIGURES_TTL_MS && !this.rematchQueue.has(id)) return hit.figures;
    const figures = computeFigures(this.repo.recentRows(id, FIGURES_SPAN_MS, FIGURES_MAX_ROWS).map(toFigureRow));
    this.figuresCache.set(id, { at: now, figures });
    return figures;
  }

  private view(a: AudienceRow, counts: Map<number, number>): Audience {
    const figures = this.figuresOf(a.id);
    return {
      id: a.id,
      name: a.name,
      type: a.type,
      rules: a.rules,
      override: a.override,
      createdAt: new Date(a.created_at).toISOString(),
      updatedAt: new Date(a.updated_at).toISOString(),
      mentionCount: counts.get(a.id) ?? 0,
      figures,
      strength: computeStrength(figures, a.override),
    };
  }

  list(): { items: Audience[]; rematch: AudienceRematch } {
    const counts = this.repo.memberCounts();
    return { items: this.repo.list().map((a) => this.view(a, counts)), rematch: this.rematchState };
  }

  get(id: number): Audience | null {
    const a = this.repo.get(id);
    return a ? this.view(a, this.repo.memberCounts()) : null;
  }

  create(input: AudienceInput): number {
    const id = this.repo.create(input, this.deps.now());
    this.compile();
    this.rematch(id);
    return id;
  }

  /** Returns false when the audience does not exist. */
  update(id: number, input: AudienceInput): boolean {
    const before = this.repo.get(id);
    if (!before) return false;
    this.repo.update(id, input, this.deps.now());
    this.compile();
    if (JSON.stringify(before.rules) !== JSON.stringify(input.rules)) this.rematch(id);
    else {
      // Name, type or override: memberships stand, the risk reads differently.
      this.deps.events.emit('audiences.changed', { rematch: this.rematchState });
      this.scheduleRisk('all');
    }
    return true;
  }

  delete(id: number): boolean {
    const ok = this.deps.db.transaction(() => {
      this.repo.clearMembers(id);
      return this.repo.delete(id);
    })();
    if (!ok) return false;
    this.compile();
    this.rematchQueue.delete(id);
    this.deps.events.emit('audiences.changed', { rematch: this.rematchState });
    this.scheduleRisk('all');
    return true;
  }

  suggestions(): { sources: { value: string; count: number }[]; communities: { value: string; count: number }[]; hashtags: { value: string; count: number }[] } {
    const communities = new Map<string, number>();
    const hashtags = new Map<string, { display: string; n: number }>();
    for (const r of this.repo.recentForSuggestions(20_000)) {
      const sub = communitiesOf({ sourceName: r.source_name, url: r.url, threadId: null })[0];
      if (sub) communities.set(sub, (communities.get(sub) ?? 0) + 1);
      if (r.thread_id) communities.set(r.thread_id, (communities.get(r.thread_id) ?? 0) + 1);
      const s = r.title ? `${r.title} ${r.text}` : r.text;
      for (const m of s.matchAll(/#([\p{L}\p{N}_]+)/gu)) {
        const k = foldName(m[1]!);
        const h = hashtags.get(k);
        if (h) h.n++;
        else hashtags.set(k, { display: `#${m[1]!}`, n: 1 });
      }
    }
    const top = (m: Map<string, number>): { value: string; count: number }[] =>
      [...m.entries()].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 50).map(([value, count]) => ({ value, count }));
    return {
      sources: this.repo.sourceNames(),
      communities: top(communities),
      hashtags: [...hashtags.values()].filter((h) => h.n >= 2).sort((a, b) => b.n - a.n || a.display.localeCompare(b.display)).slice(0, 50).map((h) => ({ value: h.display, count: h.n })),
    };
  }

  // --- risk ---

  private scheduleRisk(mode: RiskMode): void {
    if (this.stopped) return;
    if (this.riskMode === null || MODE_RANK[mode] > MODE_RANK[this.riskMode]) this.riskMode = mode;
    if (this.riskTimer) return;
    this.riskTimer = setTimeout(() => {
      this.riskTimer = null;
      const m = this.riskMode ?? 'live';
      this.riskMode = null;
      this.riskRunning = this.recompute(m)
        .catch((e: unknown) => this.deps.logger.error('rischio: ricalcolo non riuscito', { error: e instanceof Error ? e.message : String(e) }))
        .finally(() => {
          this.riskRunning = null;
        });
    }, RISK_DEBOUNCE_MS);
  }

  /** Computes one moment's risk from its linked mentions (not stored). */
  computeRisk(momentId: number): MomentRisk {
    const rows = this.repo.momentRows(momentId);
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
    const audiences = this.repo.list();
    return computeRisk(
      momentId,
      rows.length,
      unmatched,
      audiences.map((a) => ({ audienceId: a.id, name: a.name, type: a.type, override: a.override, rows: byAudience.get(a.id) ?? [] })),
      this.deps.now(),
    );
  }

  /** Recomputes and stores; returns the previous area (null when never computed). */
  private refresh(momentId: number): { risk: MomentRisk; before: RiskArea | null } {
    const before = this.repo.riskGet(momentId)?.area ?? null;
    const risk = this.computeRisk(momentId);
    this.repo.riskPut(momentId, risk.area, JSON.stringify(risk), this.deps.now());
    return { risk, before };
  }

  private async recompute(mode: RiskMode): Promise<void> {
    const mrepo = this.deps.moments.repo;
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
      this.deps.db.transaction(() => {
        this.repo.riskClear();
        this.reattachChecklists();
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
      this.deps.events.emit('risk.changed', { changes });
      return;
    }
    // Open moments, and any never read (one that opened and closed between two readings).
    const ids = new Set(mrepo.openMoments().map((m) => m.id));
    for (const r of this.repo.momentsWithoutRisk(RISK_REBUILD_MAX)) ids.add(r);
    for (const id of ids) {
      if (this.stopped) return;
      const { risk, before } = this.refresh(id);
      note(id, risk, before);
    }
    this.deps.events.emit('risk.changed', { changes });
  }

  /** The stored risk of a moment, computed now when missing or unreadable. */
  riskOf(momentId: number): MomentRisk {
    const stored = this.repo.riskGet(momentId);
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

  /**
   * For the response workflow: the strong audiences a mention belongs to (computed strength,
   * or the strategist's override), by name. A reply to one of them is seen by many people,
   * whether or not the mention is part of a moment.
   */
  strongAudiencesOfMention(mentionId: number): string[] {
    const out: string[] = [];
    for (const id of this.repo.audiencesOfMention(mentionId)) {
      const a = this.repo.get(id);
      if (a && computeStrength(this.figuresOf(a.id), a.override).strength === 'strong') out.push(a.name);
    }
    return out;
  }

  /** For the response workflow: the moment's risk area, null when the moment does not exist. */
  riskArea(momentId: number): RiskArea | null {
    if (!this.deps.moments.repo.get(momentId)) return null;
    return this.riskOf(momentId).area;
  }

  map(f: { kind?: MomentKind; state?: 'open' | 'closed'; limit: number }): { moment: MomentSummary; risk: MomentRisk }[] {
    const { rows } = this.deps.moments.repo.list(f);
    return rows.map((r) => ({ moment: this.deps.moments.summary(r), risk: this.riskOf(r.id) }));
  }

  // --- checklist ---

  /** After a rebuild renumbered the moments, each checklist follows its moment by anchor. */
  private reattachChecklists(): void {
    reattachByAnchor(
      this.deps.db,
      this.deps.moments.repo,
      this.repo.checklistAll(),
      (id) => this.repo.checklistDelete(id),
      (to, c) => this.repo.checklistPut(to, c.anchor, c.items, c.updated_at),
    );
  }

  /** The "prima di intervenire" checklist of a moment (every item unchecked when never touched). */
  getChecklist(momentId: number): Checklist {
    const stored = this.repo.checklistGet(momentId);
    const items: Record<ChecklistItem, ChecklistEntry> = { timing: EMPTY_ENTRY, pertinence: EMPTY_ENTRY, coherence: EMPTY_ENTRY, product: EMPTY_ENTRY };
    if (stored) {
      try {
        const raw = JSON.parse(stored.items) as Record<string, unknown>;
        for (const k of CHECKLIST_ITEMS) {
          const p = ChecklistEntrySchema.safeParse(raw[k]);
          if (p.success) items[k] = p.data;
        }
      } catch {
        /* unreadable: shown unchecked */
      }
    }
    return { momentId, items, complete: CHECKLIST_ITEMS.every((k) => items[k].done) };
  }

  /** Returns null when the moment does not exist. */
  setChecklist(momentId: number, item: ChecklistItem, done: boolean, note: string): Checklist | null {
    const anchor = anchorOf(this.deps.moments.repo, momentId);
    if (!anchor) return null;
    const current = this.getChecklist(momentId);
    const items = { ...current.items, [item]: { done, note: note.trim(), at: new Date(this.deps.now()).toISOString() } };
    this.repo.checklistPut(momentId, JSON.stringify(anchor), JSON.stringify(items), this.deps.now());
    return this.getChecklist(momentId);
  }

  hints(momentId: number): ChecklistHints {
    const mrepo = this.deps.moments.repo;
    const m = mrepo.get(momentId);
    const prepo = this.deps.perimeters.repo;
    const themes = new Map(prepo.themes().map((t) => [t.id, t]));
    const inPerimeter: string[] = [];
    const sensitive: string[] = [];
    const forbidden: string[] = [];
    for (const { theme_id } of mrepo.themeCounts(momentId)) {
      const t = themes.get(theme_id);
      if (!t) continue;
      (t.stance === 'in_perimeter' ? inPerimeter : t.stance === 'sensitive' ? sensitive : forbidden).push(t.name);
    }
    const texts = mrepo.linkedTexts(momentId, 500).map((x) => foldName(x.title ? `${x.title} ${x.text}` : x.text));
    const products = prepo.products().filter((p) => {
      const n = foldName(p.name);
      return n.length >= 3 && texts.some((t) => t.includes(n));
    }).map((p) => p.name);
    // Stream time: the newest mention stored (never the wall clock: a replay keeps its own).
    const streamNow = this.deps.db.prepare<[], { at: number | null }>('SELECT MAX(published_at) AS at FROM mentions').get()?.at ?? 0;
    const lastLinked = this.deps.db.prepare<[number], { at: number | null }>('SELECT MAX(published_at) AS at FROM moment_mentions WHERE moment_id = ?').get(momentId)?.at ?? m?.updated_at ?? 0;
    const end = m?.closed_at ?? Math.max(m?.updated_at ?? 0, streamNow);
    return {
      openMinutes: m ? Math.max(0, Math.round((end - m.opened_at) / 60_000)) : 0,
      quietMinutes: m ? Math.max(0, Math.round((streamNow - lastLinked) / 60_000)) : 0,
      inPerimeter,
      sensitive,
      forbidden,
      products,
    };
  }
}

function toFigureRow(r: FigureDbRow): FigureRow {
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
