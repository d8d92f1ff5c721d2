// Lookups behind cross-source dedup and the bot/spam flags, and the flag writes.
import type { Database, Statement } from 'better-sqlite3';
import type { MentionFlag } from '../../shared/mention-flags';

export interface NearRow {
  id: number;
  source_id: number;
  author_key: string | null;
  published_at: number;
  flag: string | null;
}

export class MentionQualityRepo {
  private readonly byUrl: Statement<[string, number], { id: number }>;
  private readonly byHashNear: Statement<[string, number, number], NearRow>;
  private readonly byAuthorNear: Statement<[string, number, number], NearRow>;
  private readonly setFlagStmt: Statement<[string, string, number]>;

  constructor(db: Database) {
    this.byUrl = db.prepare('SELECT id FROM mentions WHERE canonical_url = ? AND source_id <> ? LIMIT 1');
    this.byHashNear = db.prepare(
      'SELECT id, source_id, author_key, published_at, flag FROM mentions WHERE content_hash = ? AND published_at BETWEEN ? AND ? ORDER BY published_at LIMIT 5000',
    );
    this.byAuthorNear = db.prepare(
      'SELECT id, source_id, author_key, published_at, flag FROM mentions WHERE author_key = ? AND published_at BETWEEN ? AND ? ORDER BY published_at LIMIT 5000',
    );
    // A flag once set is kept: the first reason found is the one shown.
    this.setFlagStmt = db.prepare('UPDATE mentions SET flag = ?, flag_detail = ? WHERE id = ? AND flag IS NULL');
  }

  /** A mention of another source with this canonical URL. */
  otherSourceWithUrl(canonicalUrl: string, sourceId: number): number | null {
    return this.byUrl.get(canonicalUrl, sourceId)?.id ?? null;
  }

  sameTextNear(contentHash: string, from: number, to: number): NearRow[] {
    return this.byHashNear.all(contentHash, from, to);
  }

  sameAuthorNear(authorKey: string, from: number, to: number): NearRow[] {
    return this.byAuthorNear.all(authorKey, from, to);
  }

  /** True when the row took the flag (it had none). */
  setFlag(id: number, flag: MentionFlag): boolean {
    return this.setFlagStmt.run(flag.kind, JSON.stringify({ count: flag.count, windowSec: flag.windowSec }), id).changes > 0;
  }
}
