// The webhook keys' table (migration 019): a key is found by its token's hash, never by the
// token itself, which is not stored.
import type { WebhookKey } from '../../shared/ops/webhooks';
import type { Db } from './db';

interface KeyRow {
  id: number;
  name: string;
  hint: string;
  created_at: number;
  created_by: string;
  rotated_at: number | null;
  last_used_at: number | null;
  uses: number;
  from_environment: number;
}

const SELECT_KEY = 'SELECT id, name, hint, created_at, created_by, rotated_at, last_used_at, uses, from_environment FROM webhook_keys';

function toKey(r: KeyRow): WebhookKey {
  return {
    id: r.id,
    name: r.name,
    hint: r.hint,
    createdAt: r.created_at,
    createdBy: r.created_by,
    rotatedAt: r.rotated_at,
    lastUsedAt: r.last_used_at,
    uses: r.uses,
    fromEnvironment: r.from_environment === 1,
  };
}

/** A name already taken (names are compared without case). */
export class WebhookNameTaken extends Error {}

export class WebhooksRepo {
  /** Prepared once: every webhook request looks its key up by hash. */
  private readonly byHashStmt;

  constructor(private readonly db: Db) {
    this.byHashStmt = db.prepare<[string], KeyRow>(`${SELECT_KEY} WHERE token_hash = ?`);
  }

  all(): WebhookKey[] {
    return this.db.prepare<[], KeyRow>(`${SELECT_KEY} ORDER BY name COLLATE NOCASE`).all().map(toKey);
  }

  byId(id: number): WebhookKey | null {
    const r = this.db.prepare<[number], KeyRow>(`${SELECT_KEY} WHERE id = ?`).get(id);
    return r ? toKey(r) : null;
  }

  byName(name: string): WebhookKey | null {
    const r = this.db.prepare<[string], KeyRow>(`${SELECT_KEY} WHERE name = ?`).get(name);
    return r ? toKey(r) : null;
  }

  byTokenHash(hash: string): WebhookKey | null {
    const r = this.byHashStmt.get(hash);
    return r ? toKey(r) : null;
  }

  create(k: { name: string; tokenHash: string; hint: string; createdBy: string; fromEnvironment: boolean }, now: number): WebhookKey {
    try {
      const r = this.db
        .prepare<[string, string, string, number, string, number], { id: number }>(
          'INSERT INTO webhook_keys (name, token_hash, hint, created_at, created_by, from_environment) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
        )
        .get(k.name, k.tokenHash, k.hint, now, k.createdBy, k.fromEnvironment ? 1 : 0);
      return this.byId(r!.id)!;
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && this.byName(k.name)) throw new WebhookNameTaken(k.name);
      throw e;
    }
  }

  /** A new token for the key: the old hash is gone in the same statement. */
  setToken(id: number, tokenHash: string, hint: string, now: number): void {
    this.db.prepare<[string, string, number, number]>('UPDATE webhook_keys SET token_hash = ?, hint = ?, rotated_at = ? WHERE id = ?').run(tokenHash, hint, now, id);
  }

  remove(id: number): boolean {
    return this.db.prepare<[number]>('DELETE FROM webhook_keys WHERE id = ?').run(id).changes > 0;
  }

  /** Requests accepted with the key since the last call, and when the last one came. */
  addUses(id: number, uses: number, lastUsedAt: number): void {
    this.db.prepare<[number, number, number]>('UPDATE webhook_keys SET uses = uses + ?, last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?').run(uses, lastUsedAt, id);
  }
}
