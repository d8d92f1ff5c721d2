import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// What an import report says about how the file was read: the encoding, how many lines had
// bytes invalid in it (read with U+FFFD), and whether the person stopped it. Reports written
// before this version did not know their encoding: NULL, none repaired, not cancelled.
export const importEncoding: Migration = {
  version: 18,
  name: 'import_encoding',
  up(db: Database) {
    db.exec(`
      ALTER TABLE import_reports ADD COLUMN encoding TEXT;
      ALTER TABLE import_reports ADD COLUMN repaired_lines INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE import_reports ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1));
    `);
  },
};
