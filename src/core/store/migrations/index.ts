// Ordered schema migrations. Progress lives in PRAGMA user_version; every pending
// migration runs in one transaction, so a database is always at a version the code knows.
import type { Database } from 'better-sqlite3';
import { ApiError } from '../../../shared/contract';
import { initial } from './001_initial';
import { sentiment } from './002_sentiment';
import { perimeters } from './003_perimeters';
import { sources } from './004_sources';
import { social } from './005_social';
import { metrics } from './006_metrics';
import { moments } from './007_moments';
import { auth } from './008_auth';
import { ingest } from './009_ingest';
import { publishing } from './010_publishing';
import { responses } from './011_responses';
import { audiences } from './012_audiences';
import { sentimentModel } from './013_sentiment_model';
import { momentAcks } from './014_moment_acks';
import { ownedAccounts } from './015_owned_accounts';
import { importWarnings } from './016_import_warnings';
import { momentCountsByBucket } from './017_moment_counts_by_bucket';
import { importEncoding } from './018_import_encoding';
import { webhookKeys } from './019_webhook_keys';
import { assignmentsNotifications } from './020_assignments_notifications';
import { notesReads } from './021_notes_reads';
import { readCounts } from './022_read_counts';
import { authorAliases } from './023_author_aliases';
import { responseComposer } from './024_response_composer';
import { mentionTags } from './025_mention_tags';
import { savedSearches } from './026_saved_searches';
import type { Migration } from './types';

export type { Migration } from './types';

export const migrations: readonly Migration[] = [initial, sentiment, perimeters, sources, social, metrics, moments, auth, ingest, publishing, responses, audiences, sentimentModel, momentAcks, ownedAccounts, importWarnings, momentCountsByBucket, importEncoding, webhookKeys, assignmentsNotifications, notesReads, readCounts, authorAliases, responseComposer, mentionTags, savedSearches];

export const LATEST_SCHEMA_VERSION = migrations.length;

migrations.forEach((m, i) => {
  if (m.version !== i + 1) throw new Error(`Migration list out of order at ${m.name}: expected version ${i + 1}`);
});

/** A database written by a newer Vedetta: opening it here could lose or corrupt data. */
export class SchemaTooNewError extends ApiError {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super('store.schemaTooNew', { found, known });
    this.name = 'SchemaTooNewError';
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Whether a table exists: readers of a store another version wrote (the read-only CLI) ask
 * by table, not by version number, because migrations may be renumbered when branches merge.
 */
export function hasTable(db: Database, name: string): boolean {
  return db.prepare<[string]>(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/** Rows of a table whatever the version's columns (an older store is only counted). */
export function countRows(db: Database, table: 'mentions' | 'sources'): number {
  return db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n ?? 0;
}

export function assertKnownVersion(db: Database, list: readonly Migration[] = migrations): number {
  const found = schemaVersion(db);
  if (found > list.length) throw new SchemaTooNewError(found, list.length);
  return found;
}

/** Brings the database to the latest version. Returns the versions that were applied. */
export function migrate(db: Database, list: readonly Migration[] = migrations): number[] {
  const run = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const current = assertKnownVersion(db, list);
    const pending = list.filter((m) => m.version > current);
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
    return pending.map((m) => m.version);
  });
  // IMMEDIATE takes the write lock up front, so two writers cannot both start migrating.
  return run.immediate();
}
