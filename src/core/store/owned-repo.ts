// SQL of the brands' own accounts (migration 015) and the two reads the owned-account
// resolver needs from the mentions: a thread's root author, and the sources to suggest.
import type { OwnedAccount, OwnedType } from '../../shared/perimeters';
import { externalIdKey } from '../ingest/normalize';
import type { Db } from './db';

interface OwnedRow {
  id: number;
  brand_id: number;
  type: OwnedType;
  value: string;
  platform: string | null;
  created_at: number;
}

function toOwned(r: OwnedRow): OwnedAccount {
  return { id: r.id, brandId: r.brand_id, type: r.type, value: r.value, platform: r.platform, createdAt: new Date(r.created_at).toISOString() };
}

export class OwnedRepo {
  private readonly s;

  constructor(db: Db) {
    const COLUMNS = 'id, brand_id, type, value, platform, created_at';
    this.s = {
      // In the form's order of kinds: sources, handles, threads, links.
      list: db.prepare<[], OwnedRow>(`SELECT ${COLUMNS} FROM owned_accounts
        ORDER BY brand_id, CASE type WHEN 'source' THEN 0 WHEN 'handle' THEN 1 WHEN 'thread' THEN 2 ELSE 3 END, value COLLATE NOCASE, id`),
      get: db.prepare<[number], OwnedRow>(`SELECT ${COLUMNS} FROM owned_accounts WHERE id = ?`),
      byIdentity: db.prepare<[string], OwnedRow>(`SELECT ${COLUMNS} FROM owned_accounts WHERE identity = ?`),
      insert: db.prepare<[number, OwnedType, string, string | null, string, number], { id: number }>(
        'INSERT INTO owned_accounts (brand_id, type, value, platform, identity, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id'),
      delete: db.prepare<[number]>('DELETE FROM owned_accounts WHERE id = ?'),
      // The root post of a thread is stored under the dedup key of its external id (as the
      // inbox's thread view finds it); the same source name may exist under several kinds.
      rootAuthor: db.prepare<[string, string], { author_key: string | null }>(
        `SELECT author_key FROM mentions WHERE dedup_key = ? AND source_id IN (SELECT id FROM sources WHERE name = ?)
         ORDER BY id LIMIT 1`),
      handleSources: db.prepare<[], { name: string; count: number }>(
        "SELECT name, SUM(item_count) AS count FROM sources WHERE instr(name, '@') > 0 GROUP BY name ORDER BY name"),
    };
  }

  list(): OwnedAccount[] {
    return this.s.list.all().map(toOwned);
  }

  get(id: number): OwnedAccount | null {
    const r = this.s.get.get(id);
    return r ? toOwned(r) : null;
  }

  byIdentity(identity: string): OwnedAccount | null {
    const r = this.s.byIdentity.get(identity);
    return r ? toOwned(r) : null;
  }

  add(a: { brandId: number; type: OwnedType; value: string; platform: string | null; identity: string }, now: number): number {
    return this.s.insert.get(a.brandId, a.type, a.value, a.platform, a.identity, now)!.id;
  }

  delete(id: number): boolean {
    return this.s.delete.run(id).changes > 0;
  }

  /** The pseudonymous author of a thread's root post in a source; undefined when the root is not stored. */
  rootAuthor(sourceName: string, threadId: string): string | null | undefined {
    const r = this.s.rootAuthor.get(externalIdKey(threadId), sourceName);
    return r ? r.author_key : undefined;
  }

  /** Sources whose name holds an "@", with how many mentions each brought. */
  handleSources(): { name: string; count: number }[] {
    return this.s.handleSources.all();
  }
}
