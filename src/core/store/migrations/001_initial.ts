import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// The foundation schema. Times are INTEGER milliseconds since the epoch (UTC), so ordering
// and keyset paging are plain integer comparisons.
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db: Database) {
    db.exec(`
      CREATE TABLE sources (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL,
        name        TEXT NOT NULL,
        config      TEXT NOT NULL DEFAULT '{}',
        enabled     INTEGER NOT NULL DEFAULT 1,
        created_at  INTEGER NOT NULL,
        -- Kept by the ingest pipeline once per batch (cheaper than an index on every insert).
        item_count    INTEGER NOT NULL DEFAULT 0,
        last_item_at  INTEGER,
        UNIQUE (kind, name)
      );

      CREATE TABLE mentions (
        id             INTEGER PRIMARY KEY,
        source_id      INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        external_id    TEXT,
        url            TEXT,
        canonical_url  TEXT,
        dedup_key      TEXT NOT NULL,
        content_hash   TEXT NOT NULL,
        author_key     TEXT,
        -- Raw author names are personal data: kept only when a privacy setting allows it.
        author_name    TEXT DEFAULT NULL,
        title          TEXT,
        text           TEXT NOT NULL,
        lang           TEXT NOT NULL DEFAULT 'und',
        published_at   INTEGER NOT NULL,
        fetched_at     INTEGER NOT NULL,
        thread_id      TEXT,
        parent_id      TEXT,
        likes          INTEGER NOT NULL DEFAULT 0,
        comments       INTEGER NOT NULL DEFAULT 0,
        shares         INTEGER NOT NULL DEFAULT 0,
        score          INTEGER NOT NULL DEFAULT 0,
        status         TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'read', 'archived')),
        UNIQUE (source_id, dedup_key)
      );
      CREATE INDEX mentions_inbox ON mentions (published_at DESC, id DESC);
      CREATE INDEX mentions_thread ON mentions (source_id, thread_id) WHERE thread_id IS NOT NULL;
      CREATE INDEX mentions_author ON mentions (author_key) WHERE author_key IS NOT NULL;
      CREATE TRIGGER mentions_count_ad AFTER DELETE ON mentions BEGIN
        UPDATE sources SET item_count = item_count - 1 WHERE id = old.source_id;
      END;

      -- External-content FTS5: the text lives once, in mentions; the index follows by triggers.
      -- remove_diacritics 2 folds accents, so "perche" finds "perché".
      CREATE VIRTUAL TABLE mentions_fts USING fts5(
        title, text,
        content = 'mentions', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER mentions_fts_ai AFTER INSERT ON mentions BEGIN
        INSERT INTO mentions_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
      END;
      CREATE TRIGGER mentions_fts_ad AFTER DELETE ON mentions BEGIN
        INSERT INTO mentions_fts (mentions_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
      END;
      -- Only a change of the indexed columns touches the index (status changes are frequent).
      CREATE TRIGGER mentions_fts_au AFTER UPDATE OF title, text ON mentions BEGIN
        INSERT INTO mentions_fts (mentions_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO mentions_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
      END;

      CREATE TABLE users (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE TABLE user_roles (
        user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role     TEXT NOT NULL CHECK (role IN ('admin', 'strategist', 'manager', 'legal', 'owner', 'analyst')),
        PRIMARY KEY (user_id, role)
      );

      CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      );

      -- Tamper-evident: each row's hash covers its content and the previous row's hash.
      CREATE TABLE audit_log (
        id         INTEGER PRIMARY KEY,
        at         INTEGER NOT NULL,
        actor      TEXT NOT NULL,
        action     TEXT NOT NULL,
        subject    TEXT,
        detail     TEXT NOT NULL DEFAULT '{}',
        prev_hash  TEXT NOT NULL,
        hash       TEXT NOT NULL
      );

      CREATE TABLE import_reports (
        id          INTEGER PRIMARY KEY,
        file_name   TEXT NOT NULL,
        format      TEXT NOT NULL,
        at          INTEGER NOT NULL,
        lines       INTEGER NOT NULL,
        accepted    INTEGER NOT NULL,
        duplicates  INTEGER NOT NULL,
        rejected    TEXT NOT NULL DEFAULT '[]',
        error       TEXT
      );
    `);
  },
};
