import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Cheaper ingest (issue #4's throughput), nothing lost:
// - The full-text index of new mentions is written by the ingest batch in ONE statement
//   (MentionsRepo.indexText) instead of a trigger per row. FTS5 flushes its pending terms
//   at every statement that writes to it, so a per-row trigger made one tiny index segment
//   per mention and then merged them all again; per batch it makes one. The delete and update
//   triggers stay: they are rare and need the old values.
// - mentions_author (author_key) is a prefix of mentions_author_time (author_key,
//   published_at), which serves every lookup by author; it only cost a random-page write per
//   insert.
export const ingest: Migration = {
  version: 9,
  name: 'ingest',
  up(db: Database) {
    db.exec(`
      DROP TRIGGER IF EXISTS mentions_fts_ai;
      DROP INDEX IF EXISTS mentions_author;
    `);
  },
};
