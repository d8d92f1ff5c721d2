import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// The composer's saved reply templates, and the reasoned overrides that lift a warning of the
// "prima di intervenire" checks on one response (one row per response and warning; a new
// override replaces the older one, the audit keeps both).
export const responseComposer: Migration = {
  version: 24,
  name: 'response_composer',
  up(db: Database) {
    db.exec(`
      CREATE TABLE response_templates (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        text        TEXT NOT NULL,
        updated_by  TEXT NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE TABLE response_overrides (
        response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
        warning     TEXT NOT NULL CHECK (warning IN ('forbiddenTheme', 'sensitiveTiming')),
        themes      TEXT NOT NULL,
        reason      TEXT NOT NULL,
        by_id       INTEGER NOT NULL,
        by_name     TEXT NOT NULL,
        at          INTEGER NOT NULL,
        PRIMARY KEY (response_id, warning)
      );
    `);
  },
};
