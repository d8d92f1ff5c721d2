import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// moment_counts keyed by window first. Tracking writes only the newest windows and prunes only
// the oldest, but with (key, bucket) as the primary key every batch's ~20 new term rows per
// mention landed on random pages of a tree that grows with the store (more dirty pages, more
// WAL, more cache misses per mention as the store grew), and the prune of stale term windows
// walked every row kept below the cutoff through the (bucket) index: 93 % of the CPU of an
// import into a store of 240,000 mentions. Keyed (bucket, key), a batch appends at the end of
// the tree; the partial index holds exactly the term windows still prunable (seen once or
// twice), so the prune reads only the rows it deletes. Reads of one key's history look its
// windows up one by one (a moment's timeline is a few hundred at most).
export const momentCountsByBucket: Migration = {
  version: 17,
  name: 'moment_counts_by_bucket',
  up(db: Database) {
    db.exec(`
      CREATE TABLE moment_counts_new (
        bucket    INTEGER NOT NULL,
        key       TEXT NOT NULL,
        n         INTEGER NOT NULL,
        neg       INTEGER NOT NULL,
        pos       INTEGER NOT NULL,
        sent_sum  REAL NOT NULL,
        brand     INTEGER NOT NULL,
        PRIMARY KEY (bucket, key)
      ) WITHOUT ROWID;
      INSERT INTO moment_counts_new (bucket, key, n, neg, pos, sent_sum, brand)
        SELECT bucket, key, n, neg, pos, sent_sum, brand FROM moment_counts ORDER BY bucket, key;
      DROP TABLE moment_counts;
      ALTER TABLE moment_counts_new RENAME TO moment_counts;
      -- Term keys are 't:<term>': the range 't:' ≤ key < 't;' is every term and nothing else.
      CREATE INDEX moment_counts_prunable_terms ON moment_counts (bucket) WHERE n < 3 AND key >= 't:' AND key < 't;';
    `);
  },
};
