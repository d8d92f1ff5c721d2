import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Working together (issue #16): who is in charge of a mention, a moment or a response, and each
// person's in-app notifications. No foreign keys to users: a person is disabled, not deleted,
// once they have acted, and a row naming someone removed must not block anything (the name
// then reads from the users table as missing, and the UI says so).
export const assignmentsNotifications: Migration = {
  version: 20,
  name: 'assignments_notifications',
  up(db: Database) {
    db.exec(`
      -- One current assignee per subject; the history is the audit log's.
      CREATE TABLE assignments (
        subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('mention', 'moment', 'response')),
        subject_id    INTEGER NOT NULL,
        user_id       INTEGER NOT NULL,
        assigned_by   INTEGER NOT NULL,
        assigned_at   INTEGER NOT NULL,
        PRIMARY KEY (subject_kind, subject_id)
      ) WITHOUT ROWID;
      -- "Assegnati a me": the inbox counts and pages through one person's mentions by this.
      CREATE INDEX assignments_by_user ON assignments (user_id, subject_kind, subject_id);

      CREATE TABLE notifications (
        id            INTEGER PRIMARY KEY,
        user_id       INTEGER NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('assigned', 'noted')),
        subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('mention', 'moment', 'response')),
        subject_id    INTEGER NOT NULL,
        title         TEXT,
        actor_id      INTEGER NOT NULL,
        created_at    INTEGER NOT NULL,
        read_at       INTEGER
      );
      -- A person's list, newest first; the unread count reads only the partial index.
      CREATE INDEX notifications_by_user ON notifications (user_id, id);
      CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
    `);
  },
};
