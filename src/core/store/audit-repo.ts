// Tamper-evident audit log: every entry's hash covers its content and the previous hash,
// so editing or deleting a past row breaks the chain from that row on.
import { createHash } from 'node:crypto';
import type { Db } from './db';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  actor: string;
  action: string;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  detail: string;
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
  prev_hash: string;
  hash: string;
}

export type AuditVerification = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number };

function entryHash(prevHash: string, at: number, actor: string, action: string, subject: string | null, detail: string): string {
  // JSON of an array: unambiguous field boundaries whatever the values contain.
  return createHash('sha256').update(JSON.stringify([prevHash, at, actor, action, subject, detail])).digest('hex');
}

export class AuditRepo {
  private readonly lastStmt;
  private readonly insertStmt;
  private readonly allStmt;
  private readonly appendTx;

  constructor(db: Db) {
    this.lastStmt = db.prepare<[], { hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
    this.insertStmt = db.prepare<[number, string, string, string | null, string, string, string], { id: number }>(
      'INSERT INTO audit_log (at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
    );
    this.allStmt = db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY id');
    this.appendTx = db.transaction((e: AuditEntryInput, at: number): AuditEntry => {
      const prevHash = this.lastStmt.get()?.hash ?? GENESIS_HASH;
      const subject = e.subject ?? null;
      const detail = JSON.stringify(e.detail ?? {});
      const hash = entryHash(prevHash, at, e.actor, e.action, subject, detail);
      const row = this.insertStmt.get(at, e.actor, e.action, subject, detail, prevHash, hash);
      if (!row) throw new Error('audit entry not stored');
      return { id: row.id, at, actor: e.actor, action: e.action, subject, detail, prevHash, hash };
    });
  }

  append(e: AuditEntryInput, at: number): AuditEntry {
    return this.appendTx(e, at);
  }

  /** Walks the chain; brokenAt is the id of the first entry that does not verify. */
  verify(): AuditVerification {
    let prev = GENESIS_HASH;
    let n = 0;
    for (const r of this.allStmt.iterate()) {
      n++;
      if (r.prev_hash !== prev || entryHash(r.prev_hash, r.at, r.actor, r.action, r.subject, r.detail) !== r.hash) {
        return { ok: false, entries: n, brokenAt: r.id };
      }
      prev = r.hash;
    }
    return { ok: true, entries: n };
  }
}
