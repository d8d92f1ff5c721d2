import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

// Lines an import stored but with something the user should know (a published time more than
// a day after the import: a wrong clock). Kept beside the refused lines, as JSON like them;
// reports written before this version simply have none.
export const importWarnings: Migration = {
  version: 16,
  name: 'import_warnings',
  up(db: Database) {
    db.exec(`ALTER TABLE import_reports ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';`);
  },
};
