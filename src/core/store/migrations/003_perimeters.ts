import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Brand perimeters and the per-theme matches of mentions. mention_themes keeps the mention's
// published_at beside each match so "mentions of theme X by time" (the inbox filter, moments)
// is one index range. It has no foreign key to themes: deleting a theme with many matches
// must not delete them all in one synchronous cascade; a background job purges them.
export const perimeters: Migration = {
  version: 3,
  name: 'perimeters',
  up(db: Database) {
    db.exec(`
      CREATE TABLE brands (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
        created_at  INTEGER NOT NULL
      );
      CREATE TABLE products (
        id          INTEGER PRIMARY KEY,
        brand_id    INTEGER NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
        name        TEXT NOT NULL COLLATE NOCASE,
        created_at  INTEGER NOT NULL,
        UNIQUE (brand_id, name)
      );
      CREATE TABLE themes (
        id          INTEGER PRIMARY KEY,
        brand_id    INTEGER NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
        product_id  INTEGER REFERENCES products(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        query       TEXT NOT NULL,
        swot        TEXT NOT NULL CHECK (swot IN ('strength', 'weakness', 'opportunity', 'threat')),
        stance      TEXT NOT NULL DEFAULT 'in_perimeter' CHECK (stance IN ('in_perimeter', 'sensitive', 'forbidden')),
        weight      REAL NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight <= 1),
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE INDEX themes_brand ON themes (brand_id);
      CREATE INDEX themes_product ON themes (product_id) WHERE product_id IS NOT NULL;

      CREATE TABLE mention_themes (
        mention_id    INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
        theme_id      INTEGER NOT NULL,
        relevance     REAL NOT NULL CHECK (relevance >= 0 AND relevance <= 1),
        -- JSON [{"field":"title"|"text","start":n,"end":n}], offsets in the stored strings.
        spans         TEXT NOT NULL DEFAULT '[]',
        published_at  INTEGER NOT NULL,
        PRIMARY KEY (mention_id, theme_id)
      ) WITHOUT ROWID;
      CREATE INDEX mention_themes_by_time ON mention_themes (theme_id, published_at DESC, mention_id DESC);
      -- The inbox sorted by one theme's relevance pages straight down this index.
      CREATE INDEX mention_themes_by_relevance ON mention_themes (theme_id, relevance DESC, published_at DESC, mention_id DESC);

      -- Re-matching after a theme is added, edited or deleted. Progress is kept here, so a
      -- re-match interrupted by a quit resumes at the next start where it stopped.
      -- kind 'match': (re)match mentions with id <= cursor_id, newest first;
      -- kind 'purge': delete the matches of a deleted theme.
      CREATE TABLE rematch_jobs (
        theme_id    INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('match', 'purge')),
        cursor_id   INTEGER NOT NULL,
        done        INTEGER NOT NULL DEFAULT 0,
        total       INTEGER NOT NULL,
        created_at  INTEGER NOT NULL
      );
    `);
  },
};
