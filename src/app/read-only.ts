// Read-only access to a data folder beside a running instance (the CLI's status, sources
// list, export and alerts): no lock taken, nothing written, nothing migrated.
import { join } from 'node:path';
import { ApiError } from '../shared/contract';
import type { Alert } from '../shared/alerts';
import { csvCell } from '../core/csv-cell';
import { lockOwner } from '../core/lock';
import { toSourceView } from '../core/sources';
import { AlertsRepo } from '../core/store/alerts-repo';
import { openDatabase, type Db } from '../core/store/db';
import { MENTION_EXPORT_COLUMNS, MentionsRepo, type MentionExportRow } from '../core/store/mentions-repo';
import { LATEST_SCHEMA_VERSION, countRows, hasTable, schemaVersion } from '../core/store/migrations';
import { SourceSecretsRepo } from '../core/store/source-secrets-repo';
import { SourcesRepo } from '../core/store/sources-repo';
import type { ReadOnlyStore } from './app';
import { DB_FILE } from './app-impl';

export { csvCell };

class ReadOnlyStoreImpl implements ReadOnlyStore {
  private readonly mentions: MentionsRepo | null;
  private readonly sourcesRepo: SourcesRepo | null;
  private readonly alertRows: AlertsRepo | null;
  private readonly ready: boolean;

  constructor(
    private readonly dataDir: string,
    private readonly db: Db,
  ) {
    // A database file that no writer has initialised yet has no tables: it is just empty.
    const ready = schemaVersion(db) > 0;
    // The repos' statements name the newest columns; an older database (not yet opened by
    // this version, which would migrate it) is only counted.
    const current = ready && schemaVersion(db) >= LATEST_SCHEMA_VERSION;
    this.ready = ready;
    this.mentions = current ? new MentionsRepo(db) : null;
    this.sourcesRepo = current ? new SourcesRepo(db) : null;
    const hasAlerts = ready && hasTable(db, 'alerts');
    this.alertRows = hasAlerts ? new AlertsRepo(db) : null;
  }

  alerts(includeResolved: boolean): Pick<Alert, 'id' | 'state' | 'severity' | 'ruleName' | 'contentKey' | 'contentTitle' | 'metric' | 'region' | 'escalated' | 'message' | 'firedAt' | 'dueAt'>[] {
    if (!this.alertRows) return [];
    return this.alertRows.alerts({ includeResolved, limit: 10_000 }).map((r) => ({
      id: r.id,
      state: r.state,
      severity: r.severity,
      ruleName: r.rule_name,
      contentKey: r.content_key,
      contentTitle: r.content_title,
      metric: r.metric,
      region: r.region || null,
      escalated: r.escalated === 1,
      message: r.message,
      firedAt: new Date(r.fired_at).toISOString(),
      dueAt: new Date(r.due_at).toISOString(),
    }));
  }

  status() {
    return {
      dataDir: this.dataDir,
      schemaVersion: schemaVersion(this.db),
      mentions: this.mentions?.countAll() ?? (this.ready ? countRows(this.db, 'mentions') : 0),
      sources: this.sourcesRepo?.count() ?? (this.ready ? countRows(this.db, 'sources') : 0),
      lockedBy: lockOwner(this.dataDir),
    };
  }

  /** A reader never migrates: a database of an older version lacks the newest columns. */
  private olderDatabase(): Error {
    return new ApiError('store.olderDatabase', { dir: this.dataDir });
  }

  sources() {
    if (!this.ready) return [];
    if (!this.sourcesRepo) throw this.olderDatabase();
    // Which credentials are set (names only, readable without the key), as the UI shows them.
    const secrets = new SourceSecretsRepo(this.db);
    return this.sourcesRepo.records(Date.now()).map((r) => toSourceView(r, r.polled ? (secrets.get(r.id)?.names ?? []) : []));
  }

  exportMentions(format: 'jsonl' | 'csv', write: (chunk: string) => void): number {
    let n = 0;
    let buf = '';
    const flush = (): void => {
      if (buf) write(buf);
      buf = '';
    };
    if (this.ready && !this.mentions) throw this.olderDatabase();
    if (format === 'csv') buf += `${MENTION_EXPORT_COLUMNS.join(',')}\r\n`;
    if (this.mentions) {
      // One read transaction: the export is a consistent snapshot while a writer goes on.
      const mentions = this.mentions;
      this.db.transaction(() => {
        for (const row of mentions.exportRows()) {
          buf += format === 'csv' ? csvLine(row) : `${JSON.stringify(row)}\n`;
          n++;
          if (buf.length > 65_536) flush();
        }
      })();
    }
    flush();
    return n;
  }

  close(): void {
    this.db.close();
  }
}

function csvLine(row: MentionExportRow): string {
  return `${MENTION_EXPORT_COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`;
}

/** Read-only access beside a running instance: no lock taken, nothing written. */
export function openReadOnly(dataDir: string): ReadOnlyStore {
  const db = openDatabase(join(dataDir, DB_FILE), { readonly: true });
  try {
    return new ReadOnlyStoreImpl(dataDir, db);
  } catch (err) {
    db.close();
    throw err;
  }
}
