import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Named webhook keys (issue #16): only the token's SHA-256 is kept, with its last four
// characters to tell keys apart. Before this version the webhook token lived in memory only
// (random at each start, or VEDETTA_WEBHOOK_TOKEN), so there is nothing to carry over.
export const webhookKeys: Migration = {
  version: 19,
  name: 'webhook_keys',
  up(db: Database) {
    db.exec(`
      CREATE TABLE webhook_keys (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        token_hash TEXT NOT NULL UNIQUE,
        hint TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        rotated_at INTEGER,
        last_used_at INTEGER,
        uses INTEGER NOT NULL DEFAULT 0,
        from_environment INTEGER NOT NULL DEFAULT 0 CHECK (from_environment IN (0, 1))
      );
    `);
  },
};
