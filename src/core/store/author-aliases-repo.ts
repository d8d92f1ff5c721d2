// The author_aliases table (migration 023): each pseudonymous author's readable alias.
import { aliasFold } from '../../shared/author-alias';
import type { Db } from './db';

export class AuthorAliasesRepo {
  private readonly getStmt;
  private readonly insertStmt;
  private readonly byFoldStmt;
  private readonly missingStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { alias: string }>('SELECT alias FROM author_aliases WHERE author_key = ?');
    this.insertStmt = db.prepare<[string, string, string]>(
      'INSERT INTO author_aliases (author_key, alias, alias_fold) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.byFoldStmt = db.prepare<[string], { author_key: string }>('SELECT author_key FROM author_aliases WHERE alias_fold = ?');
    // Authors stored before aliases existed (or by a path that skipped them), in key order.
    this.missingStmt = db.prepare<[string, number], { k: string }>(`
      SELECT DISTINCT m.author_key AS k FROM mentions m
      WHERE m.author_key IS NOT NULL AND m.author_key > ?
        AND NOT EXISTS (SELECT 1 FROM author_aliases a WHERE a.author_key = m.author_key)
      ORDER BY m.author_key LIMIT ?`);
  }

  get(authorKey: string): string | null {
    return this.getStmt.get(authorKey)?.alias ?? null;
  }

  /** False when the key already has an alias or the alias is someone else's. */
  insert(authorKey: string, alias: string): boolean {
    return this.insertStmt.run(authorKey, alias, aliasFold(alias)).changes === 1;
  }

  /** The author key behind an alias, whatever its case. */
  keyOf(alias: string): string | null {
    return this.byFoldStmt.get(aliasFold(alias))?.author_key ?? null;
  }

  /** Up to `limit` stored author keys after `afterKey` that have no alias yet. */
  missing(afterKey: string, limit: number): string[] {
    return this.missingStmt.all(afterKey, limit).map((r) => r.k);
  }
}
