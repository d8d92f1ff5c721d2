import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Audiences and risk. mention_audiences is the materialized membership (rules are evaluated
// at ingest and by a background re-match after an edit), with published_at beside it like
// mention_themes. moment_risk and moment_checklists have no foreign key to moments: a rebuild
// of the moments renumbers them, and a checklist is re-attached to its moment by its anchor
// (kind, opening time, keys), never lost with the old number.
export const audiences: Migration = {
  version: 12,
  name: 'audiences',
  up(db: Database) {
    db.exec(`
      CREATE TABLE audiences (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
        type        TEXT NOT NULL CHECK (type IN ('primary', 'secondary', 'generic')),
        rules       TEXT NOT NULL,
        override    TEXT CHECK (override IN ('strong', 'weak')),
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );

      CREATE TABLE mention_audiences (
        mention_id    INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
        audience_id   INTEGER NOT NULL,
        published_at  INTEGER NOT NULL,
        PRIMARY KEY (mention_id, audience_id)
      ) WITHOUT ROWID;
      CREATE INDEX mention_audiences_by_audience ON mention_audiences (audience_id, published_at DESC);

      CREATE TABLE moment_risk (
        moment_id    INTEGER PRIMARY KEY,
        area         TEXT NOT NULL CHECK (area IN ('strong', 'weak')),
        detail       TEXT NOT NULL,
        computed_at  INTEGER NOT NULL
      );

      CREATE TABLE moment_checklists (
        moment_id   INTEGER PRIMARY KEY,
        -- kind|opened_at|sorted keys: what identifies the moment across a rebuild.
        anchor      TEXT NOT NULL,
        items       TEXT NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE INDEX moment_checklists_by_anchor ON moment_checklists (anchor);
    `);
  },
};
