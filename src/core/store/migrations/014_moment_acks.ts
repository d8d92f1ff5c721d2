import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Who took charge of a moment (a crisis's banner is acknowledged): one row per moment, with the
// person's name kept beside the user id so the record survives the user's deletion. Like
// moment_checklists it has no foreign key to moments: a rebuild renumbers them, and the
// acknowledgement is re-attached to its moment by its anchor (kind, opening time, keys).
export const momentAcks: Migration = {
  version: 14,
  name: 'moment_acks',
  up(db: Database) {
    db.exec(`
      CREATE TABLE moment_acks (
        moment_id        INTEGER PRIMARY KEY,
        -- {kind, openedAt, keys}: what identifies the moment across a rebuild.
        anchor           TEXT NOT NULL,
        user_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
        username         TEXT NOT NULL,
        display_name     TEXT NOT NULL,
        acknowledged_at  INTEGER NOT NULL
      );
    `);
  },
};
