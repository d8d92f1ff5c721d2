import type { Source, SourceKind } from '../../shared/schemas';
import type { Db } from './db';

interface SourceRow {
  id: number;
  kind: SourceKind;
  name: string;
  enabled: number;
  created_at: number;
  mention_count: number;
  last_item_at: number | null;
}

export class SourcesRepo {
  private readonly insertStmt;
  private readonly findStmt;
  private readonly listStmt;
  private readonly countStmt;
  private readonly bumpStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare<[string, string, number], { id: number }>(
      'INSERT INTO sources (kind, name, created_at) VALUES (?, ?, ?) ON CONFLICT (kind, name) DO NOTHING RETURNING id',
    );
    this.findStmt = db.prepare<[string, string], { id: number }>('SELECT id FROM sources WHERE kind = ? AND name = ?');
    this.listStmt = db.prepare<[], SourceRow>(`
      SELECT s.id, s.kind, s.name, s.enabled, s.created_at, s.item_count AS mention_count, s.last_item_at
      FROM sources s
      ORDER BY s.name COLLATE NOCASE, s.kind`);
    this.countStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM sources');
    this.bumpStmt = db.prepare<[number, number, number]>(
      'UPDATE sources SET item_count = item_count + ?, last_item_at = MAX(COALESCE(last_item_at, 0), ?) WHERE id = ?',
    );
  }

  /** Records newly stored items of a source; call in the transaction that stored them. */
  recordItems(sourceId: number, added: number, latestPublishedAt: number): void {
    if (added > 0) this.bumpStmt.run(added, latestPublishedAt, sourceId);
  }

  /** The source's id, creating the row when it is new. */
  ensure(kind: SourceKind, name: string, now: number): { id: number; created: boolean } {
    const found = this.findStmt.get(kind, name);
    if (found) return { id: found.id, created: false };
    const inserted = this.insertStmt.get(kind, name, now);
    if (inserted) return { id: inserted.id, created: true };
    // Lost a race with another writer between the two statements.
    const again = this.findStmt.get(kind, name);
    if (!again) throw new Error(`source ${kind}/${name} vanished`);
    return { id: again.id, created: false };
  }

  list(): Source[] {
    return this.listStmt.all().map((r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      enabled: r.enabled === 1,
      createdAt: new Date(r.created_at).toISOString(),
      mentionCount: r.mention_count,
      lastItemAt: r.last_item_at === null ? null : new Date(r.last_item_at).toISOString(),
    }));
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}
