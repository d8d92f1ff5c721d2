import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Publishing: channels (credentials sealed by the SecretStore, never in clear) and the outbox.
// An outbox row is unique per idempotency key = (response, content hash, channel): the same
// approved text is queued once however many times the workflow asks. `sending` is committed
// before the platform is called, so a crash leaves a row that restart reconciles.
// No foreign key to responses: the outbox outlives edits to the workflow's tables.
export const publishing: Migration = {
  version: 10,
  name: 'publishing',
  up(db: Database) {
    db.exec(`
      CREATE TABLE publish_channels (
        id              INTEGER PRIMARY KEY,
        kind            TEXT NOT NULL CHECK (kind IN ('reddit', 'mastodon', 'webhook', 'manual')),
        name            TEXT NOT NULL,
        requires_legal  INTEGER NOT NULL DEFAULT 0,
        enabled         INTEGER NOT NULL DEFAULT 1,
        config          TEXT NOT NULL DEFAULT '{}',
        -- Which SecretStore sealed secret_cipher ('os', 'basic_text', 'local_key').
        secret_backend  TEXT,
        secret_cipher   BLOB,
        secret_names    TEXT NOT NULL DEFAULT '[]',
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX publish_channels_name ON publish_channels (name COLLATE NOCASE);

      CREATE TABLE publish_outbox (
        id                INTEGER PRIMARY KEY,
        response_id       INTEGER NOT NULL,
        version_id        INTEGER NOT NULL,
        content_hash      TEXT NOT NULL,
        channel_id        INTEGER NOT NULL REFERENCES publish_channels (id),
        idempotency_key   TEXT NOT NULL UNIQUE,
        target_mention_id INTEGER,
        -- What the connector replies to: t3_/t1_ fullname, Mastodon status URL or id.
        target            TEXT,
        text              TEXT NOT NULL,
        state             TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'published', 'awaiting_manual', 'failed')),
        attempts          INTEGER NOT NULL DEFAULT 0,
        next_attempt_at   INTEGER,
        last_error        TEXT,
        -- 1 when the last attempt may have reached the platform (crash, dropped connection,
        -- timeout): the next attempt looks for the post first.
        uncertain         INTEGER NOT NULL DEFAULT 0,
        external_id       TEXT,
        url               TEXT,
        actor             TEXT NOT NULL,
        created_at        INTEGER NOT NULL,
        sending_at        INTEGER,
        published_at      INTEGER
      );
      CREATE INDEX publish_outbox_due ON publish_outbox (state, next_attempt_at);
      CREATE INDEX publish_outbox_response ON publish_outbox (response_id);
    `);
  },
};
