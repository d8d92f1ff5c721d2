import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Saved searches (issue #17): the inbox's search and filters under a name, personal or shared.
// The author's name is kept beside the id so a shared search still
// says whose it is when the person is gone. A name is unique per author, not workspace-wide:
// two colleagues may each have their "Reclami".
export const savedSearches: Migration = {
  version: 26,
  name: 'saved_searches',
  up(db: Database) {
    db.exec(`
      CREATE TABLE saved_searches (
        id          INTEGER PRIMARY KEY,
        owner_id    INTEGER NOT NULL,
        owner_name  TEXT NOT NULL,
        name        TEXT NOT NULL,
        shared      INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
        -- SavedFilters as JSON (shared/search.ts), validated on the way in and out.
        filters     TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        UNIQUE (owner_id, name)
      );
      CREATE INDEX saved_searches_shared ON saved_searches (shared) WHERE shared = 1;
    `);
  },
};
