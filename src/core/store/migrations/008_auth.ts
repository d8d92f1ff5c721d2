import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// People, sessions, and who-did-what in the audit log.
// The users/user_roles tables of 001 were placeholders no code ever wrote, so they are rebuilt
// with sign-in columns. Sessions keep only the SHA-256 of their token. Audit rows gain the
// acting user's id, roles and the content hash of what they acted on; hash_v says which fields
// a row's hash covers (1: rows written before this migration, 2: with the new columns).
export const auth: Migration = {
  version: 8,
  name: 'auth',
  up(db: Database) {
    db.exec(`
      DROP TABLE user_roles;
      DROP TABLE users;

      CREATE TABLE users (
        id             INTEGER PRIMARY KEY,
        username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name   TEXT NOT NULL,
        password_hash  TEXT NOT NULL,
        disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at     INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL
      );
      CREATE TABLE user_roles (
        user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role     TEXT NOT NULL CHECK (role IN ('admin', 'strategist', 'manager', 'legal', 'owner', 'analyst')),
        PRIMARY KEY (user_id, role)
      ) WITHOUT ROWID;

      CREATE TABLE sessions (
        token_hash    TEXT PRIMARY KEY,
        user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at    INTEGER NOT NULL,
        last_seen_at  INTEGER NOT NULL,
        expires_at    INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sessions_by_user ON sessions (user_id);

      ALTER TABLE audit_log ADD COLUMN user_id INTEGER;
      ALTER TABLE audit_log ADD COLUMN roles TEXT;
      ALTER TABLE audit_log ADD COLUMN content_hash TEXT;
      ALTER TABLE audit_log ADD COLUMN hash_v INTEGER NOT NULL DEFAULT 1;
      CREATE INDEX audit_by_user ON audit_log (user_id);
      CREATE INDEX audit_by_at ON audit_log (at);
    `);
  },
};
