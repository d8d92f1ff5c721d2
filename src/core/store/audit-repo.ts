// Tamper-evident audit log: every entry's hash covers its content and the previous hash,
// so editing or deleting a past row breaks the chain from that row on.
import { createHash } from 'node:crypto';
import type { Db } from './db';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  /** The acting person's username ('sistema' for in-process calls). */
  actor: string;
  action: string;
  subject?: string | null;
  detail?: Record<string, unknown>;
  /** The acting person's id (0 = system); absent only for rows written before sign-in existed. */
  userId?: number | null;
  roles?: readonly string[] | null;
  /** Hash of the content acted upon (a response version, a policy), when there is one. */
  contentHash?: string | null;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  detail: string;
  userId: number | null;
  roles: string[] | null;
  contentHash: string | null;
  prevHash: string;
  hash: string;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  detail: string;
  user_id: number | null;
  roles: string | null;
  content_hash: string | null;
  hash_v: number;
  prev_hash: string;
  hash: string;
}

export type AuditVerification =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAt: number; brokenRow: { id: number; at: number; action: string } | null };

function rowHash(r: Omit<AuditRow, 'id' | 'hash'>): string {
  // JSON of an array: unambiguous field boundaries whatever the values contain.
  const base: unknown[] = [r.prev_hash, r.at, r.actor, r.action, r.subject, r.detail];
  if (r.hash_v >= 2) base.push(r.user_id, r.roles, r.content_hash);
  return createHash('sha256').update(JSON.stringify(base)).digest('hex');
}

function toEntry(r: AuditRow): AuditEntry {
  let roles: string[] | null = null;
  if (r.roles !== null) {
    try {
      const parsed: unknown = JSON.parse(r.roles);
      roles = Array.isArray(parsed) ? parsed.map(String) : null;
    } catch {
      roles = null;
    }
  }
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    detail: r.detail,
    userId: r.user_id,
    roles,
    contentHash: r.content_hash,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export class AuditRepo {
  private readonly lastStmt;
  private readonly insertStmt;
  private readonly allStmt;
  private readonly appendTx;
  private readonly userSeenStmt;
  private readonly headStmt;
  private readonly hashOfStmt;

  constructor(db: Db) {
    this.lastStmt = db.prepare<[], { hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
    this.insertStmt = db.prepare<[number, string, string, string | null, string, number | null, string | null, string | null, string, string], { id: number }>(
      `INSERT INTO audit_log (at, actor, action, subject, detail, user_id, roles, content_hash, hash_v, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 2, ?, ?) RETURNING id`,
    );
    this.allStmt = db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY id');
    this.userSeenStmt = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM audit_log WHERE user_id = ? LIMIT 1');
    this.headStmt = db.prepare<[], { entries: number; lastId: number | null }>('SELECT COUNT(*) AS entries, MAX(id) AS lastId FROM audit_log');
    this.hashOfStmt = db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE id = ?');
    this.appendTx = db.transaction((e: AuditEntryInput, at: number): AuditEntry => {
      const prevHash = this.lastStmt.get()?.hash ?? GENESIS_HASH;
      const row: Omit<AuditRow, 'id' | 'hash'> = {
        at,
        actor: e.actor,
        action: e.action,
        subject: e.subject ?? null,
        detail: JSON.stringify(e.detail ?? {}),
        user_id: e.userId ?? null,
        roles: e.roles ? JSON.stringify(e.roles) : null,
        content_hash: e.contentHash ?? null,
        hash_v: 2,
        prev_hash: prevHash,
      };
      const hash = rowHash(row);
      const stored = this.insertStmt.get(row.at, row.actor, row.action, row.subject, row.detail, row.user_id, row.roles, row.content_hash, prevHash, hash);
      if (!stored) throw new Error('audit entry not stored');
      return toEntry({ ...row, id: stored.id, hash });
    });
  }

  append(e: AuditEntryInput, at: number): AuditEntry {
    return this.appendTx(e, at);
  }

  /** The chain's head: what the outside anchor records (core/audit/anchor.ts). */
  head(): { entries: number; lastId: number; lastHash: string } {
    const h = this.headStmt.get();
    const lastId = h?.lastId ?? 0;
    return { entries: h?.entries ?? 0, lastId, lastHash: lastId ? (this.hashOf(lastId) ?? GENESIS_HASH) : GENESIS_HASH };
  }

  hashOf(id: number): string | null {
    return this.hashOfStmt.get(id)?.hash ?? null;
  }

  /** Whether any audit row names this user: such people are disabled, never deleted. */
  mentionsUser(userId: number): boolean {
    return this.userSeenStmt.get(userId) !== undefined;
  }

  /**
   * Walks the chain; brokenAt is the id of the first entry that does not verify (an edited
   * row, or the row after a deleted one).
   */
  verify(): AuditVerification {
    let prev = GENESIS_HASH;
    let n = 0;
    for (const r of this.allStmt.iterate()) {
      n++;
      if (r.prev_hash !== prev || rowHash(r) !== r.hash) {
        return { ok: false, entries: n, brokenAt: r.id, brokenRow: { id: r.id, at: r.at, action: r.action } };
      }
      prev = r.hash;
    }
    return { ok: true, entries: n };
  }
}
