// SQL of responses: the response row, its immutable versions, the review steps of each
// round and the comments.
import type { Role } from '../../shared/auth';
import type { Severity, StepKind } from '../../shared/policy';
import type { Stance } from '../../shared/perimeters';
import type { CommentKind, ResponseState, StepState, TargetKind } from '../../shared/responses';
import type { Db } from './db';

export interface ResponseRow {
  id: number;
  target_kind: TargetKind;
  target_id: number;
  target_title: string;
  target_theme_ids: string;
  channel_id: number | null;
  severity: Severity;
  state: ResponseState;
  author_id: number;
  author_name: string;
  current_version_id: number;
  round: number;
  checklist: string | null;
  checklist_version_id: number | null;
  checklist_by: string | null;
  published_url: string | null;
  published_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface VersionRow {
  id: number;
  response_id: number;
  n: number;
  text: string;
  content_hash: string;
  author_id: number;
  author_name: string;
  created_at: number;
}

export interface StepRow {
  id: number;
  response_id: number;
  round: number;
  position: number;
  kind: StepKind;
  role: Role;
  state: StepState;
  reasons: string;
  sla_minutes: number;
  activated_at: number | null;
  due_at: number | null;
  decided_by_id: number | null;
  decided_by: string | null;
  decided_at: number | null;
  version_id: number | null;
  content_hash: string | null;
  comment: string | null;
}

export interface CommentRow {
  id: number;
  response_id: number;
  kind: CommentKind;
  author_id: number;
  author_name: string;
  version_n: number | null;
  text: string;
  created_at: number;
}

export interface NewStep {
  kind: StepKind;
  role: Role;
  reasons: string[];
  slaMinutes: number;
}

export class ResponsesRepo {
  private readonly s;
  constructor(readonly db: Db) {
    this.s = {
      insert: db.prepare<[TargetKind, number, string, number | null, Severity, number, string, number, number], { id: number }>(
        `INSERT INTO responses (target_kind, target_id, target_title, channel_id, severity, state, author_id, author_name, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?) RETURNING id`),
      get: db.prepare<[number], ResponseRow>('SELECT * FROM responses WHERE id = ?'),
      list: db.prepare<[number], ResponseRow>('SELECT * FROM responses ORDER BY updated_at DESC, id DESC LIMIT ?'),
      insertVersion: db.prepare<[number, number, string, string, number, string, number], { id: number }>(
        `INSERT INTO response_versions (response_id, n, text, content_hash, author_id, author_name, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
      maxN: db.prepare<[number], { n: number | null }>('SELECT MAX(n) AS n FROM response_versions WHERE response_id = ?'),
      setVersion: db.prepare<[number, number, number]>('UPDATE responses SET current_version_id = ?, updated_at = ? WHERE id = ?'),
      versions: db.prepare<[number], VersionRow>('SELECT * FROM response_versions WHERE response_id = ? ORDER BY n'),
      version: db.prepare<[number], VersionRow>('SELECT * FROM response_versions WHERE id = ?'),
      setState: db.prepare<[ResponseState, number, number]>('UPDATE responses SET state = ?, updated_at = ? WHERE id = ?'),
      setRound: db.prepare<[number, number, number]>('UPDATE responses SET round = ?, updated_at = ? WHERE id = ?'),
      voidOpen: db.prepare<[number]>(`UPDATE response_steps SET state = 'void' WHERE response_id = ? AND state IN ('waiting', 'active', 'approved')`),
      insertStep: db.prepare<[number, number, number, StepKind, Role, string, number]>(
        `INSERT INTO response_steps (response_id, round, position, kind, role, state, reasons, sla_minutes) VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?)`),
      steps: db.prepare<[number], StepRow>('SELECT * FROM response_steps WHERE response_id = ? ORDER BY round, position'),
      step: db.prepare<[number], StepRow>('SELECT * FROM response_steps WHERE id = ?'),
      activate: db.prepare<[number, number, number]>(`UPDATE response_steps SET state = 'active', activated_at = ?, due_at = ? WHERE id = ?`),
      decide: db.prepare<[StepState, number, string, number, number, string, string, number]>(
        `UPDATE response_steps SET state = ?, decided_by_id = ?, decided_by = ?, decided_at = ?, version_id = ?, content_hash = ?, comment = ? WHERE id = ?`),
      themeFacts: db.prepare<[number], { id: number; name: string; stance: Stance }>('SELECT id, name, stance FROM themes WHERE id = ?'),
      activeSteps: db.prepare<[], StepRow>(`SELECT * FROM response_steps WHERE state = 'active'`),
      currentSteps: db.prepare<[number], StepRow>(
        `SELECT s.* FROM (SELECT id, round FROM responses ORDER BY updated_at DESC, id DESC LIMIT ?) r
         JOIN response_steps s ON s.response_id = r.id AND s.round = r.round ORDER BY s.response_id, s.position`),
      authors: db.prepare<[number], { response_id: number; author_id: number }>(
        `SELECT DISTINCT v.response_id, v.author_id FROM (SELECT id FROM responses ORDER BY updated_at DESC, id DESC LIMIT ?) r
         JOIN response_versions v ON v.response_id = r.id`),
      insertComment: db.prepare<[number, CommentKind, number, string, number | null, string, number]>(
        `INSERT INTO response_comments (response_id, kind, author_id, author_name, version_n, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      comments: db.prepare<[number], CommentRow>('SELECT * FROM response_comments WHERE response_id = ? ORDER BY id'),
      setChecklist: db.prepare<[string | null, number | null, string | null, number, number]>(
        'UPDATE responses SET checklist = ?, checklist_version_id = ?, checklist_by = ?, updated_at = ? WHERE id = ?'),
      setThemes: db.prepare<[string, number]>('UPDATE responses SET target_theme_ids = ? WHERE id = ?'),
      setPublished: db.prepare<[string | null, string | null, number, number]>(
        'UPDATE responses SET published_url = ?, published_id = ?, updated_at = ? WHERE id = ?'),
    };
  }

  transaction<T>(f: () => T): T {
    return this.db.transaction(f)();
  }

  create(r: { targetKind: TargetKind; targetId: number; targetTitle: string; channelId: number | null; severity: Severity; authorId: number; authorName: string }, at: number): number {
    const row = this.s.insert.get(r.targetKind, r.targetId, r.targetTitle, r.channelId, r.severity, r.authorId, r.authorName, at, at);
    if (!row) throw new Error('response not stored');
    return row.id;
  }

  get(id: number): ResponseRow | null {
    return this.s.get.get(id) ?? null;
  }

  list(limit: number): ResponseRow[] {
    return this.s.list.all(limit);
  }

  addVersion(responseId: number, text: string, hash: string, authorId: number, authorName: string, at: number): number {
    const n = (this.s.maxN.get(responseId)?.n ?? 0) + 1;
    const row = this.s.insertVersion.get(responseId, n, text, hash, authorId, authorName, at);
    if (!row) throw new Error('version not stored');
    this.s.setVersion.run(row.id, at, responseId);
    return row.id;
  }

  versions(responseId: number): VersionRow[] {
    return this.s.versions.all(responseId);
  }

  version(id: number): VersionRow | null {
    return this.s.version.get(id) ?? null;
  }

  setState(id: number, state: ResponseState, at: number): void {
    this.s.setState.run(state, at, id);
  }

  /** Starts a new review round: the open steps of the previous one no longer count. */
  newRound(id: number, round: number, steps: readonly NewStep[], at: number): void {
    this.s.voidOpen.run(id);
    this.s.setRound.run(round, at, id);
    steps.forEach((st, i) => this.s.insertStep.run(id, round, i, st.kind, st.role, JSON.stringify(st.reasons), st.slaMinutes));
  }

  voidOpenSteps(id: number): void {
    this.s.voidOpen.run(id);
  }

  steps(responseId: number): StepRow[] {
    return this.s.steps.all(responseId);
  }

  step(id: number): StepRow | null {
    return this.s.step.get(id) ?? null;
  }

  activate(stepId: number, at: number, dueAt: number): void {
    this.s.activate.run(at, dueAt, stepId);
  }

  decide(stepId: number, state: StepState, by: { id: number; name: string }, at: number, versionId: number, hash: string, comment: string): void {
    this.s.decide.run(state, by.id, by.name, at, versionId, hash, comment, stepId);
  }

  /** The steps of the current round of the latest `limit` responses, by response. */
  currentStepsOfLatest(limit: number): Map<number, StepRow[]> {
    const out = new Map<number, StepRow[]>();
    for (const st of this.s.currentSteps.all(limit)) {
      const list = out.get(st.response_id);
      if (list) list.push(st);
      else out.set(st.response_id, [st]);
    }
    return out;
  }

  /** Everyone who wrote a version, per response, for the latest `limit` responses. */
  authorsOfLatest(limit: number): Map<number, Set<number>> {
    const out = new Map<number, Set<number>>();
    for (const a of this.s.authors.all(limit)) {
      const set = out.get(a.response_id);
      if (set) set.add(a.author_id);
      else out.set(a.response_id, new Set([a.author_id]));
    }
    return out;
  }

  /** What the policy reads of a perimeter theme (without its match count, which is costly). */
  themeFacts(id: number): { id: number; name: string; stance: Stance } | null {
    return this.s.themeFacts.get(id) ?? null;
  }

  activeSteps(): StepRow[] {
    return this.s.activeSteps.all();
  }

  addComment(responseId: number, kind: CommentKind, by: { id: number; name: string }, versionN: number | null, text: string, at: number): void {
    this.s.insertComment.run(responseId, kind, by.id, by.name, versionN, text, at);
  }

  comments(responseId: number): CommentRow[] {
    return this.s.comments.all(responseId);
  }

  setChecklist(id: number, checklist: string | null, versionId: number | null, by: string | null, at: number): void {
    this.s.setChecklist.run(checklist, versionId, by, at, id);
  }

  setTargetThemes(id: number, themeIds: readonly number[]): void {
    this.s.setThemes.run(JSON.stringify(themeIds), id);
  }

  setPublished(id: number, url: string | null, externalId: string | null, at: number): void {
    this.s.setPublished.run(url, externalId, at, id);
  }
}
