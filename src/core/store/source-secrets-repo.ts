// Sealed credentials of sources, one row per source. Only ciphertext and the names of the
// fields that are set are stored; the backend that sealed them is kept so a row sealed by
// the desktop keystore is not fed to the CLI's key (and the user is told which to use).
import type { Database } from 'better-sqlite3';

export interface SecretRow {
  sourceId: number;
  backend: string;
  cipher: Buffer;
  names: string[];
  updatedAt: number;
}

export class SourceSecretsRepo {
  private readonly upsert;
  private readonly select;
  private readonly del;

  constructor(db: Database) {
    this.upsert = db.prepare(
      `INSERT INTO source_secrets (source_id, backend, cipher, names, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (source_id) DO UPDATE SET backend = excluded.backend, cipher = excluded.cipher,
         names = excluded.names, updated_at = excluded.updated_at`,
    );
    this.select = db.prepare<[number], { source_id: number; backend: string; cipher: Buffer; names: string; updated_at: number }>(
      'SELECT source_id, backend, cipher, names, updated_at FROM source_secrets WHERE source_id = ?',
    );
    this.del = db.prepare('DELETE FROM source_secrets WHERE source_id = ?');
  }

  put(row: SecretRow): void {
    this.upsert.run(row.sourceId, row.backend, row.cipher, JSON.stringify(row.names), row.updatedAt);
  }

  get(sourceId: number): SecretRow | null {
    const r = this.select.get(sourceId);
    if (!r) return null;
    let names: string[] = [];
    try {
      const parsed: unknown = JSON.parse(r.names);
      if (Array.isArray(parsed)) names = parsed.filter((n): n is string => typeof n === 'string');
    } catch {
      names = [];
    }
    return { sourceId: r.source_id, backend: r.backend, cipher: r.cipher, names, updatedAt: r.updated_at };
  }

  remove(sourceId: number): void {
    this.del.run(sourceId);
  }
}
