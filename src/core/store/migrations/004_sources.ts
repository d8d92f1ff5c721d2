import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// What a scheduled source needs: its interval, the connector's state between polls
// (validators, cursors) and its health as the Sources view shows it. Pushed sources
// (webhook, import, replay) use only last_success_at.
export const sources: Migration = {
  version: 4,
  name: 'sources',
  up(db: Database) {
    db.exec(`
      ALTER TABLE sources ADD COLUMN interval_sec INTEGER;
      ALTER TABLE sources ADD COLUMN connector_state TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE sources ADD COLUMN last_poll_at INTEGER;
      ALTER TABLE sources ADD COLUMN last_success_at INTEGER;
      ALTER TABLE sources ADD COLUMN last_error_at INTEGER;
      ALTER TABLE sources ADD COLUMN last_error_kind TEXT;
      ALTER TABLE sources ADD COLUMN last_error_message TEXT;
      ALTER TABLE sources ADD COLUMN last_error_status INTEGER;
      ALTER TABLE sources ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sources ADD COLUMN next_poll_at INTEGER;
      ALTER TABLE sources ADD COLUMN paused_reason TEXT;

      -- Pushed sources that already have items have had a success: their last one.
      UPDATE sources SET last_success_at = last_item_at WHERE last_item_at IS NOT NULL;

      -- "Items in the last hour" of every source: a range on fetched_at, covering source_id,
      -- so the cost follows the last hour's items, not the size of the store.
      CREATE INDEX mentions_fetched ON mentions (fetched_at, source_id);
    `);
  },
};
