import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Responses. A response points at a mention or a moment (no foreign key: the target may be
// erased for privacy while the record of what was answered stays). Versions are immutable;
// steps belong to a review round (a new round starts at every submission, the previous
// round's open steps become 'void'). People are kept as id + name at the time they acted,
// so the record stays readable after a user is renamed or removed. Times are wall clock ms.
export const responses: Migration = {
  version: 11,
  name: 'responses',
  up(db: Database) {
    db.exec(`
      CREATE TABLE responses (
        id                    INTEGER PRIMARY KEY,
        target_kind           TEXT NOT NULL CHECK (target_kind IN ('mention', 'moment')),
        target_id             INTEGER NOT NULL,
        target_title          TEXT NOT NULL,
        -- The target's perimeter themes when last read (JSON ids), so the queues can show a
        -- forbidden theme without re-reading every target; decisions always re-read them.
        target_theme_ids      TEXT NOT NULL DEFAULT '[]',
        channel_id            INTEGER,
        severity              TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'moderate', 'low')),
        state                 TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'changes_requested', 'rejected', 'approved', 'publishing', 'published', 'failed')),
        author_id             INTEGER NOT NULL,
        author_name           TEXT NOT NULL,
        current_version_id    INTEGER,
        round                 INTEGER NOT NULL DEFAULT 0,
        checklist             TEXT,
        checklist_version_id  INTEGER,
        checklist_by          TEXT,
        published_url         TEXT,
        published_id          TEXT,
        created_at            INTEGER NOT NULL,
        updated_at            INTEGER NOT NULL
      );
      CREATE INDEX responses_by_update ON responses (updated_at DESC, id DESC);
      CREATE INDEX responses_by_target ON responses (target_kind, target_id);

      CREATE TABLE response_versions (
        id            INTEGER PRIMARY KEY,
        response_id   INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
        n             INTEGER NOT NULL,
        text          TEXT NOT NULL,
        content_hash  TEXT NOT NULL,
        author_id     INTEGER NOT NULL,
        author_name   TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        UNIQUE (response_id, n)
      );

      CREATE TABLE response_steps (
        id             INTEGER PRIMARY KEY,
        response_id    INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
        round          INTEGER NOT NULL,
        position       INTEGER NOT NULL,
        kind           TEXT NOT NULL CHECK (kind IN ('legal', 'second', 'owner')),
        role           TEXT NOT NULL,
        state          TEXT NOT NULL CHECK (state IN ('waiting', 'active', 'approved', 'rejected', 'changes_requested', 'void')),
        reasons        TEXT NOT NULL DEFAULT '[]',
        sla_minutes    INTEGER NOT NULL,
        activated_at   INTEGER,
        due_at         INTEGER,
        decided_by_id  INTEGER,
        decided_by     TEXT,
        decided_at     INTEGER,
        version_id     INTEGER,
        content_hash   TEXT,
        comment        TEXT,
        UNIQUE (response_id, round, position)
      );
      CREATE INDEX response_steps_active ON response_steps (role, state) WHERE state = 'active';

      CREATE TABLE response_comments (
        id           INTEGER PRIMARY KEY,
        response_id  INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
        kind         TEXT NOT NULL,
        author_id    INTEGER NOT NULL,
        author_name  TEXT NOT NULL,
        version_n    INTEGER,
        text         TEXT NOT NULL,
        created_at   INTEGER NOT NULL
      );
      CREATE INDEX response_comments_by_response ON response_comments (response_id, id);
    `);
  },
};
