import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Readable aliases of the pseudonymous authors ("Volpe-482"): one per author key, unique in the
// workspace. They are drawn from a keyed hash (core/ingest/author-alias.ts) but kept here,
// because a collision is settled by who came first: storing the answer is what keeps an alias
// stable once people have started calling an author by it. alias_fold is the alias in lower
// case, what the inbox search compares. The author key stays the key everywhere else.
// Existing authors get theirs at start-up, in the background (AuthorAliases.assignMissing).
export const authorAliases: Migration = {
  version: 23,
  name: 'author_aliases',
  up(db: Database) {
    db.exec(`
      CREATE TABLE author_aliases (
        author_key  TEXT PRIMARY KEY,
        alias       TEXT NOT NULL,
        alias_fold  TEXT NOT NULL UNIQUE
      ) WITHOUT ROWID;
    `);
  },
};
