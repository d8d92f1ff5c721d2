import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { ApiError } from '../../shared/contract';
import { assertKnownVersion, migrate } from './migrations';

export type Db = Database.Database;

/** WAL pages after which a commit copies them back into the database (see openDatabase). */
const WAL_CHECKPOINT_PAGES = 8000;

export interface OpenDatabaseOptions {
  readonly?: boolean;
}

/** Thrown when a reader is pointed at a folder with no database yet. */
export class DatabaseMissingError extends ApiError {
  constructor(readonly file: string) {
    super('store.missing', { file });
    this.name = 'DatabaseMissingError';
  }
}

/**
 * Opens the store. A writer brings the schema up to date; a reader never writes and
 * refuses a database newer than this code (it might misread it).
 */
export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): Db {
  const readonly = opts.readonly === true;
  if (readonly && !existsSync(file)) throw new DatabaseMissingError(file);
  const db = new Database(file, { readonly, fileMustExist: readonly });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // Statement journals and temporary b-trees in memory: a multi-row statement inside the
    // ingest transaction otherwise writes every page it touches to a temp file first.
    db.pragma('temp_store = MEMORY');
    if (readonly) {
      assertKnownVersion(db);
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // The ingest writes land on random pages of the dedup, content and author indexes: a
      // larger page cache keeps them in memory as the store grows, and checkpointing every
      // 8,000 pages (not SQLite's 1,000) copies a page rewritten by several batches once.
      // The WAL file is trimmed back after a checkpoint.
      db.pragma('cache_size = -65536');
      db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
      db.pragma('journal_size_limit = 67108864');
      migrate(db);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
