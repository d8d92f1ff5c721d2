// Audiences at run time: membership of every mention (at ingest, inside the batch transaction,
// and by a background re-match after an edit), the audiences' figures and strength, and the
// contract's reads and edits. The risk of each moment is in risk.ts, the per-moment checklist
// in checklist.ts; this class wires them and answers for both (the response workflow reads
// riskArea() and getChecklist()).
import {
  compileRules,
  computeFigures,
  computeStrength,
  communitiesOf,
  hashtagsOf,
  isMember,
  type Audience,
  type AudienceInput,
  type AudienceRematch,
  type Checklist,
  type ChecklistHints,
  type ChecklistItem,
  type CompiledRules,
  type MemberCandidate,
  type MomentRisk,
  type RiskArea,
  type StrengthFigures,
} from '../../shared/audiences';
import type { MentionTheme } from '../../shared/perimeters';
import { foldName } from '../../shared/text';
import type { MomentKind, MomentSummary } from '../../shared/moments';
import type { EventBus } from '../api/events';
import type { Logger } from '../platform';
import type { MomentsService } from '../moments';
import type { PerimetersService } from '../perimeters';
import { AudiencesRepo, type AudienceRow } from '../store/audiences-repo';
import type { Db } from '../store/db';
import type { MentionInsert } from '../store/mentions-repo';
import { Checklists } from './checklist';
import { MomentRisks, toFigureRow, type RiskMode } from './risk';
import { rereadStore } from './reread';

/** Audience figures look at this much stream time before the audience's newest mention. */
const FIGURES_SPAN_MS = 24 * 3_600_000;
const FIGURES_MAX_ROWS = 1_000;
/** Audience figures are read again at most this often (the list is asked for on every change). */
const FIGURES_TTL_MS = 15_000;

export interface Compiled {
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

export class AudiencesService {
  readonly repo: AudiencesRepo;
  private compiled: Compiled[] = [];
  private rematchQueue = new Set<number>();
  private rematchState: AudienceRematch = { running: false, done: 0, total: 0 };
  private rematching: Promise<void> | null = null;
  private readonly checklists: Checklists;
  private readonly risks: MomentRisks;
  private stopped = false;
  private readonly unsubscribe: () => void;
  /** The owned-account list as last read: an edit of it re-reads the audiences built on it. */
  private ownedSignature: string;

  constructor(private readonly deps: AudiencesDeps) {
    this.repo = new AudiencesRepo(deps.db);
    this.checklists = new Checklists({ repo: this.repo, moments: deps.moments, perimeters: deps.perimeters, now: deps.now });
    this.risks = new MomentRisks({ db: deps.db, events: deps.events, repo: this.repo, moments: deps.moments, checklists: this.checklists, now: deps.now, logger: deps.logger });
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
    this.risks.stop();
  }

  /** Resolves once no re-match or risk computation is pending (tests wait on it). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.rematching) await this.rematching;
      else if (this.risks.running) await this.risks.running;
      else if (this.risks.pending) await new Promise((r) => setTimeout(r, 20));
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

  /**
   * Re-reads every stored mention for the given audience, in slices between other requests.
   * An audience created or edited while a re-read runs joins it where it is and goes round
   * once (see rereadStore): five audiences made in a row cost one pass, not one each.
   */
  private rematch(audienceId: number): void {
    this.deps.db.transaction(() => this.repo.clearMembers(audienceId))();
    this.rematchQueue.add(audienceId);
    if (this.rematching) return;
    this.rematching = rereadStore({
      db: this.deps.db,
      repo: this.repo,
      owned: this.deps.perimeters.owned,
      queue: this.rematchQueue,
      compiled: () => this.compiled,
      stopped: () => this.stopped,
      progress: (state) => {
        this.rematchState = state;
        this.deps.events.emit('audiences.changed', { rematch: state });
      },
    })
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

  // --- risk (risk.ts) ---

  private scheduleRisk(mode: RiskMode): void {
    this.risks.schedule(mode);
  }

  /** Computes one moment's risk from its linked mentions (not stored). */
  computeRisk(momentId: number): MomentRisk {
    return this.risks.compute(momentId);
  }

  /** The stored risk of a moment, computed now when missing or unreadable. */
  riskOf(momentId: number): MomentRisk {
    return this.risks.riskOf(momentId);
  }

  /** For the response workflow: the moment's risk area, null when the moment does not exist. */
  riskArea(momentId: number): RiskArea | null {
    return this.risks.riskArea(momentId);
  }

  map(f: { kind?: MomentKind; state?: 'open' | 'closed'; limit: number }): { moment: MomentSummary; risk: MomentRisk }[] {
    return this.risks.map(f);
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

  // --- checklist (checklist.ts) ---

  /** The "prima di intervenire" checklist of a moment (every item unchecked when never touched). */
  getChecklist(momentId: number): Checklist {
    return this.checklists.get(momentId);
  }

  /** Returns null when the moment does not exist. */
  setChecklist(momentId: number, item: ChecklistItem, done: boolean, note: string): Checklist | null {
    return this.checklists.set(momentId, item, done, note);
  }

  hints(momentId: number): ChecklistHints {
    return this.checklists.hints(momentId);
  }
}
