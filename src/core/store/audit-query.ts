// Reading the audit log: filtered pages newest first (keyset on id) and a streaming walk for
// CSV export. Writing and verifying stay in audit-repo.ts.
import type { AuditFilter, AuditRow } from '../../shared/ops/audit';
import { RoleSchema, type Role } from '../../shared/auth';
import type { Db } from './db';

interface Row {
  id: number;
  at: number;
  actor: string;
  user_id: number | null;
  roles: string | null;
  action: string;
  subject: string | null;
  detail: string;
  content_hash: string | null;
  hash: string;
}

function parseRoles(s: string | null): Role[] | null {
  if (s === null) return null;
  try {
    const v: unknown = JSON.parse(s);
    if (!Array.isArray(v)) return null;
    return v.flatMap((x) => {
      const p = RoleSchema.safeParse(x);
      return p.success ? [p.data] : [];
    });
  } catch {
    return null;
  }
}

function toRow(r: Row): AuditRow {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    userId: r.user_id,
    roles: parseRoles(r.roles),
    action: r.action,
    subject: r.subject,
    detail: r.detail,
    contentHash: r.content_hash,
    hash: r.hash,
  };
}

/** LIKE with the user's text taken literally. */
const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function where(f: AuditFilter, before?: number): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (f.actor) {
    parts.push('actor = ? COLLATE NOCASE');
    params.push(f.actor);
  }
  if (f.action) {
    parts.push("(action = ? OR action LIKE ? ESCAPE '\\')");
    params.push(f.action, `${likeEscape(f.action)}.%`);
  }
  if (f.subject) {
    parts.push("subject LIKE ? ESCAPE '\\'");
    params.push(`%${likeEscape(f.subject)}%`);
  }
  if (f.from !== undefined) {
    parts.push('at >= ?');
    params.push(f.from);
  }
  if (f.to !== undefined) {
    parts.push('at <= ?');
    params.push(f.to);
  }
  if (before !== undefined) {
    parts.push('id < ?');
    params.push(before);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export class AuditQuery {
  constructor(private readonly db: Db) {}

  page(filter: AuditFilter, before: number | undefined, limit: number): { items: AuditRow[]; total: number; next: number | null } {
    const w = where(filter, before);
    const rows = this.db
      .prepare<(string | number)[], Row>(`SELECT id, at, actor, user_id, roles, action, subject, detail, content_hash, hash FROM audit_log ${w.sql} ORDER BY id DESC LIMIT ?`)
      .all(...w.params, limit + 1);
    const all = where(filter);
    const total = this.db.prepare<(string | number)[], { n: number }>(`SELECT count(*) AS n FROM audit_log ${all.sql}`).get(...all.params)?.n ?? 0;
    const items = rows.slice(0, limit).map(toRow);
    return { items, total, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
  }

  /** Every matching row, oldest first, one at a time (exports of any size). */
  *iterate(filter: AuditFilter): Generator<AuditRow> {
    const w = where(filter);
    const stmt = this.db.prepare<(string | number)[], Row>(
      `SELECT id, at, actor, user_id, roles, action, subject, detail, content_hash, hash FROM audit_log ${w.sql} ORDER BY id`,
    );
    for (const r of stmt.iterate(...w.params)) yield toRow(r);
  }

  /** Distinct actors and action names, for the filter menus. */
  facets(): { actors: string[]; actions: string[] } {
    return {
      actors: this.db.prepare<[], { actor: string }>('SELECT DISTINCT actor FROM audit_log ORDER BY actor').all().map((r) => r.actor),
      actions: this.db.prepare<[], { action: string }>('SELECT DISTINCT action FROM audit_log ORDER BY action').all().map((r) => r.action),
    };
  }
}

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'actor', 'user_id', 'roles', 'action', 'subject', 'detail', 'content_hash', 'hash'] as const;
