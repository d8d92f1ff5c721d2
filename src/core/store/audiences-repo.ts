// SQL of audiences: the audience maps, the materialized membership of mentions, the risk of
// each moment and the per-moment "prima di intervenire" checklist.
import { AudienceRulesSchema, type AudienceRules, type AudienceType, type RiskArea, type Strength } from '../../shared/audiences';
import type { Db } from './db';

export interface AudienceRow {
  id: number;
  name: string;
  type: AudienceType;
  rules: AudienceRules;
  override: Strength | null;
  created_at: number;
  updated_at: number;
}

/** A stored mention as membership rules read it. */
export interface MemberScanRow {
  id: number;
  published_at: number;
  source_name: string;
  url: string | null;
  thread_id: string | null;
  title: string | null;
  text: string;
  author_key: string | null;
  theme_ids: string | null;
}

export interface FigureDbRow {
  mention_id: number;
  published_at: number;
  author_key: string | null;
  likes: number;
  comments: number;
  shares: number;
  score: number;
  parent_id: string | null;
  audience_ids: string | null;
}

/** Rules stored as JSON; a damaged value reads as no rules rather than failing the list. */
function parseRules(json: string): AudienceRules {
  try {
    const r = AudienceRulesSchema.safeParse(JSON.parse(json));
    if (r.success) return r.data;
  } catch {
    /* fall through */
  }
  return { sources: [], communities: [], hashtags: [], themeIds: [], authorKeys: [], ownedBrandIds: [] };
}

export class AudiencesRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      list: db.prepare<[], Omit<AudienceRow, 'rules'> & { rules: string }>(`SELECT * FROM audiences ORDER BY CASE type WHEN 'primary' THEN 0 WHEN 'secondary' THEN 1 ELSE 2 END, name`),
      get: db.prepare<[number], Omit<AudienceRow, 'rules'> & { rules: string }>('SELECT * FROM audiences WHERE id = ?'),
      insert: db.prepare<[string, string, string, string | null, number, number], { id: number }>(
        'INSERT INTO audiences (name, type, rules, override, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id'),
      update: db.prepare<[string, string, string, string | null, number, number]>(
        'UPDATE audiences SET name = ?, type = ?, rules = ?, override = ?, updated_at = ? WHERE id = ?'),
      delete: db.prepare<[number]>('DELETE FROM audiences WHERE id = ?'),
      clearMembers: db.prepare<[number]>('DELETE FROM mention_audiences WHERE audience_id = ?'),
      addMember: db.prepare<[number, number, number]>('INSERT OR IGNORE INTO mention_audiences (mention_id, audience_id, published_at) VALUES (?, ?, ?)'),
      counts: db.prepare<[], { audience_id: number; n: number }>('SELECT audience_id, COUNT(*) AS n FROM mention_audiences GROUP BY audience_id'),
      ofMention: db.prepare<[number], { audience_id: number }>('SELECT audience_id FROM mention_audiences WHERE mention_id = ? ORDER BY audience_id'),
      scan: db.prepare<[number, number], MemberScanRow>(`
        SELECT m.id, m.published_at, s.name AS source_name, m.canonical_url AS url, m.thread_id, m.title, m.text, m.author_key,
          (SELECT group_concat(theme_id) FROM mention_themes mt WHERE mt.mention_id = m.id) AS theme_ids
        FROM mentions m JOIN sources s ON s.id = m.source_id WHERE m.id > ? ORDER BY m.id LIMIT ?`),
      maxId: db.prepare<[], { n: number | null }>('SELECT MAX(id) AS n FROM mentions'),
      countMentions: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM mentions'),
      lastAt: db.prepare<[number], { at: number | null }>('SELECT MAX(published_at) AS at FROM mention_audiences WHERE audience_id = ?'),
      recent: db.prepare<[number, number, number], FigureDbRow>(`
        SELECT m.id AS mention_id, m.published_at, m.author_key, m.likes, m.comments, m.shares, m.score, m.parent_id, NULL AS audience_ids
        FROM mention_audiences ma JOIN mentions m ON m.id = ma.mention_id
        WHERE ma.audience_id = ? AND ma.published_at >= ? ORDER BY ma.published_at DESC LIMIT ?`),
      momentRows: db.prepare<[number, number, number], FigureDbRow>(`
        SELECT m.id AS mention_id, m.published_at, m.author_key, m.likes, m.comments, m.shares, m.score, m.parent_id,
          (SELECT group_concat(audience_id) FROM mention_audiences ma WHERE ma.mention_id = m.id) AS audience_ids
        FROM moment_mentions mm JOIN mentions m ON m.id = mm.mention_id
        WHERE mm.moment_id = ? AND mm.mention_id > ? ORDER BY mm.mention_id LIMIT ?`),
      riskGet: db.prepare<[number], { moment_id: number; area: RiskArea; detail: string; computed_at: number }>('SELECT * FROM moment_risk WHERE moment_id = ?'),
      riskPut: db.prepare<[number, string, string, number]>(`
        INSERT INTO moment_risk (moment_id, area, detail, computed_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (moment_id) DO UPDATE SET area = excluded.area, detail = excluded.detail, computed_at = excluded.computed_at`),
      checklistGet: db.prepare<[number], { moment_id: number; anchor: string; items: string; updated_at: number }>('SELECT * FROM moment_checklists WHERE moment_id = ?'),
      checklistPut: db.prepare<[number, string, string, number]>(`
        INSERT INTO moment_checklists (moment_id, anchor, items, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (moment_id) DO UPDATE SET anchor = excluded.anchor, items = excluded.items, updated_at = excluded.updated_at`),
      checklistAll: db.prepare<[], { moment_id: number; anchor: string; items: string; updated_at: number }>('SELECT * FROM moment_checklists'),
      checklistDelete: db.prepare<[number]>('DELETE FROM moment_checklists WHERE moment_id = ?'),
      sourceNames: db.prepare<[], { value: string; count: number }>(
        'SELECT name AS value, item_count AS count FROM sources WHERE item_count > 0 ORDER BY item_count DESC, name LIMIT 200'),
    };
  }

  private toRow(r: Omit<AudienceRow, 'rules'> & { rules: string }): AudienceRow {
    return { ...r, rules: parseRules(r.rules) };
  }

  list(): AudienceRow[] {
    return this.s.list.all().map((r) => this.toRow(r));
  }
  get(id: number): AudienceRow | null {
    const r = this.s.get.get(id);
    return r ? this.toRow(r) : null;
  }
  create(a: { name: string; type: AudienceType; rules: AudienceRules; override: Strength | null }, now: number): number {
    return this.s.insert.get(a.name, a.type, JSON.stringify(a.rules), a.override, now, now)!.id;
  }
  update(id: number, a: { name: string; type: AudienceType; rules: AudienceRules; override: Strength | null }, now: number): boolean {
    return this.s.update.run(a.name, a.type, JSON.stringify(a.rules), a.override, now, id).changes > 0;
  }
  delete(id: number): boolean {
    return this.s.delete.run(id).changes > 0;
  }

  clearMembers(audienceId: number): number {
    return this.s.clearMembers.run(audienceId).changes;
  }
  addMember(mentionId: number, audienceId: number, publishedAt: number): void {
    this.s.addMember.run(mentionId, audienceId, publishedAt);
  }
  memberCounts(): Map<number, number> {
    return new Map(this.s.counts.all().map((r) => [r.audience_id, r.n]));
  }
  /** The audiences a stored mention belongs to. */
  audiencesOfMention(mentionId: number): number[] {
    return this.s.ofMention.all(mentionId).map((r) => r.audience_id);
  }

  scan(afterId: number, limit: number): MemberScanRow[] {
    return this.s.scan.all(afterId, limit);
  }
  maxMentionId(): number {
    return this.s.maxId.get()?.n ?? 0;
  }
  countMentions(): number {
    return this.s.countMentions.get()?.n ?? 0;
  }
  /** The audience's mentions in the `spanMs` of stream time before its newest one. */
  recentRows(audienceId: number, spanMs: number, limit: number): FigureDbRow[] {
    const last = this.s.lastAt.get(audienceId)?.at;
    if (last === null || last === undefined) return [];
    return this.s.recent.all(audienceId, last - spanMs, limit);
  }
  /** A page of a moment's linked mentions, after `afterMentionId` in id order (its key's order). */
  momentRows(momentId: number, afterMentionId: number, limit: number): FigureDbRow[] {
    return this.s.momentRows.all(momentId, afterMentionId, limit);
  }

  riskGet(momentId: number): { area: RiskArea; detail: string; computedAt: number } | null {
    const r = this.s.riskGet.get(momentId);
    return r ? { area: r.area, detail: r.detail, computedAt: r.computed_at } : null;
  }
  riskPut(momentId: number, area: RiskArea, detail: string, at: number): void {
    this.s.riskPut.run(momentId, area, detail, at);
  }
  momentsWithoutRisk(limit: number): number[] {
    return this.db
      .prepare<[number], { id: number }>('SELECT id FROM moments WHERE id NOT IN (SELECT moment_id FROM moment_risk) ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map((r) => r.id);
  }
  riskClear(): void {
    this.db.prepare('DELETE FROM moment_risk').run();
  }

  checklistGet(momentId: number): { anchor: string; items: string } | null {
    return this.s.checklistGet.get(momentId) ?? null;
  }
  checklistPut(momentId: number, anchor: string, items: string, at: number): void {
    this.s.checklistPut.run(momentId, anchor, items, at);
  }
  checklistAll(): { moment_id: number; anchor: string; items: string; updated_at: number }[] {
    return this.s.checklistAll.all();
  }
  checklistDelete(momentId: number): void {
    this.s.checklistDelete.run(momentId);
  }

  sourceNames(): { value: string; count: number }[] {
    return this.s.sourceNames.all();
  }
  /** Mentions' communities and texts for suggestions: the newest `limit`. */
  recentForSuggestions(limit: number): { source_name: string; url: string | null; thread_id: string | null; title: string | null; text: string }[] {
    return this.db
      .prepare<[number], { source_name: string; url: string | null; thread_id: string | null; title: string | null; text: string }>(`
        SELECT s.name AS source_name, m.canonical_url AS url, m.thread_id, m.title, substr(m.text, 1, 2000) AS text
        FROM mentions m JOIN sources s ON s.id = m.source_id ORDER BY m.id DESC LIMIT ?`)
      .all(limit);
  }
}
