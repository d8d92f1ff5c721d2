import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Moments. moment_counts holds counts per tracked key (theme, brand, owned thread, term) per
// window of stream time; windows are numbered floor(published_ms / window_ms), so a change of
// window width empties the table and rebuilds it from the mentions. Times are stream time
// (published_at of the mentions), except created_at (wall clock, for the record).
export const moments: Migration = {
  version: 7,
  name: 'moments',
  up(db: Database) {
    db.exec(`
      CREATE TABLE moment_counts (
        key       TEXT NOT NULL,
        bucket    INTEGER NOT NULL,
        n         INTEGER NOT NULL,
        neg       INTEGER NOT NULL,
        pos       INTEGER NOT NULL,
        sent_sum  REAL NOT NULL,
        brand     INTEGER NOT NULL,
        PRIMARY KEY (key, bucket)
      ) WITHOUT ROWID;
      CREATE INDEX moment_counts_by_bucket ON moment_counts (bucket);

      CREATE TABLE moments (
        id           INTEGER PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('crisis', 'opportunity')),
        state        TEXT NOT NULL CHECK (state IN ('open', 'closed')),
        key          TEXT NOT NULL,
        key_kind     TEXT NOT NULL CHECK (key_kind IN ('theme', 'brand', 'thread', 'term')),
        title        TEXT NOT NULL,
        theme_id     INTEGER,
        opened_at    INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        closed_at    INTEGER,
        quiet_since  INTEGER,
        peak_z       REAL NOT NULL,
        volume       INTEGER NOT NULL DEFAULT 0,
        negative     INTEGER NOT NULL DEFAULT 0,
        sent_sum     REAL NOT NULL DEFAULT 0,
        created_at   INTEGER NOT NULL
      );
      CREATE INDEX moments_by_update ON moments (updated_at DESC, id DESC);
      CREATE INDEX moments_open ON moments (state) WHERE state = 'open';

      -- Every key a moment tracks, with the baseline frozen when the key joined: a surge
      -- must not raise its own bar while it lasts.
      CREATE TABLE moment_keys (
        moment_id  INTEGER NOT NULL REFERENCES moments(id) ON DELETE CASCADE,
        key        TEXT NOT NULL,
        key_kind   TEXT NOT NULL,
        label      TEXT NOT NULL,
        mean       REAL NOT NULL,
        sd         REAL NOT NULL,
        neg_mean   REAL NOT NULL,
        neg_sd     REAL NOT NULL,
        PRIMARY KEY (moment_id, key)
      ) WITHOUT ROWID;

      CREATE TABLE moment_mentions (
        moment_id     INTEGER NOT NULL REFERENCES moments(id) ON DELETE CASCADE,
        mention_id    INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
        published_at  INTEGER NOT NULL,
        PRIMARY KEY (moment_id, mention_id)
      ) WITHOUT ROWID;
      CREATE INDEX moment_mentions_by_mention ON moment_mentions (mention_id);
    `);
  },
};
