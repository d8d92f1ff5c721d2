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
  private readonly hashesWithAtLeast: Statement<[string, number, number, number, number], { h: string }>;
  private readonly authorsWithAtLeast: Statement<[string, number, number, number, number], { h: string }>;

  constructor(db: Database) {
    this.byUrl = db.prepare('SELECT id FROM mentions WHERE canonical_url = ? AND source_id <> ? LIMIT 1');
    this.byHashNear = db.prepare(
      'SELECT id, source_id, author_key, published_at, flag FROM mentions WHERE content_hash = ? AND published_at BETWEEN ? AND ? ORDER BY published_at LIMIT 5000',
    );
    this.byAuthorNear = db.prepare(
      'SELECT id, source_id, author_key, published_at, flag FROM mentions WHERE author_key = ? AND published_at BETWEEN ? AND ? ORDER BY published_at LIMIT 5000',
    );
    // One statement for a whole batch: which keys have at least N rows in the batch's time
    // span. Most have one (their own), and need no closer look.
    this.hashesWithAtLeast = db.prepare(
      'SELECT value AS h FROM json_each(?) WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM mentions WHERE content_hash = value AND published_at BETWEEN ? AND ? LIMIT ?)) >= ?',
    );
    this.authorsWithAtLeast = db.prepare(
      'SELECT value AS h FROM json_each(?) WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM mentions WHERE author_key = value AND published_at BETWEEN ? AND ? LIMIT ?)) >= ?',
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

  /** The content hashes (of those given) stored at least `n` times published in [from, to]. */
  hashesStoredAtLeast(hashes: readonly string[], n: number, from: number, to: number): Set<string> {
    if (hashes.length === 0) return new Set();
    return new Set(this.hashesWithAtLeast.all(JSON.stringify(hashes), from, to, n, n).map((r) => r.h));
  }

  /** The author keys (of those given) with at least `n` mentions published in [from, to]. */
  authorsStoredAtLeast(authors: readonly string[], n: number, from: number, to: number): Set<string> {
    if (authors.length === 0) return new Set();
    return new Set(this.authorsWithAtLeast.all(JSON.stringify(authors), from, to, n, n).map((r) => r.h));
  }

  /** True when the row took the flag (it had none). */
  setFlag(id: number, flag: MentionFlag): boolean {
    return this.setFlagStmt.run(flag.kind, JSON.stringify({ count: flag.count, windowSec: flag.windowSec }), id).changes > 0;
  }
}
