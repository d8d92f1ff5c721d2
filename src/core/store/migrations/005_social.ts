import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Social sources: sealed credentials per source; bot/spam flags on mentions (flagged, never
// deleted); the indexes the flag rules and the cross-source dedup look things up by.
export const social: Migration = {
  version: 5,
  name: 'social',
  up(db: Database) {
    db.exec(`
      CREATE TABLE source_secrets (
        source_id   INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
        -- Which SecretStore sealed it ('os', 'basic_text', 'local_key'): never the plain values.
        backend     TEXT NOT NULL,
        cipher      BLOB NOT NULL,
        -- Names of the fields that are set ("password"), for the edit form.
        names       TEXT NOT NULL DEFAULT '[]',
        updated_at  INTEGER NOT NULL
      );

      -- 'copy_campaign' | 'fast_author'; flag_detail is JSON with the numbers behind it.
      ALTER TABLE mentions ADD COLUMN flag TEXT DEFAULT NULL;
      ALTER TABLE mentions ADD COLUMN flag_detail TEXT DEFAULT NULL;
      CREATE INDEX mentions_content ON mentions (content_hash, published_at);
      CREATE INDEX mentions_canonical ON mentions (canonical_url) WHERE canonical_url IS NOT NULL;
      CREATE INDEX mentions_author_time ON mentions (author_key, published_at) WHERE author_key IS NOT NULL;
    `);
  },
};
