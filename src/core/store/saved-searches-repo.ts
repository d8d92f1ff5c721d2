// SQL of saved searches: a person's own and the shared ones.
import { SavedFiltersSchema, type SavedFilters } from '../../shared/search';
import type { Db } from './db';

export interface SavedSearchRow {
  id: number;
  ownerId: number;
  ownerName: string;
  name: string;
  shared: boolean;
  filters: SavedFilters;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: number;
  owner_id: number;
  owner_name: string;
  name: string;
  shared: 0 | 1;
  filters: string;
  created_at: number;
  updated_at: number;
}

/** A damaged value reads as no filters at all rather than failing the list. */
function parseFilters(json: string): SavedFilters {
  try {
    const r = SavedFiltersSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : SavedFiltersSchema.parse({});
  } catch {
    return SavedFiltersSchema.parse({});
  }
}

function toRow(r: Row): SavedSearchRow {
  return { id: r.id, ownerId: r.owner_id, ownerName: r.owner_name, name: r.name, shared: r.shared === 1, filters: parseFilters(r.filters), createdAt: r.created_at, updatedAt: r.updated_at };
}

const COLUMNS = 'id, owner_id, owner_name, name, shared, filters, created_at, updated_at';

export class SavedSearchesRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      visible: db.prepare<[number], Row>(`SELECT ${COLUMNS} FROM saved_searches WHERE owner_id = ? OR shared = 1 ORDER BY name COLLATE NOCASE, id`),
      byId: db.prepare<[number], Row>(`SELECT ${COLUMNS} FROM saved_searches WHERE id = ?`),
      byName: db.prepare<[number, string], { id: number }>('SELECT id FROM saved_searches WHERE owner_id = ? AND name = ?'),
      countOwn: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM saved_searches WHERE owner_id = ?'),
      insert: db.prepare<[number, string, string, number, string, number, number]>(
        'INSERT INTO saved_searches (owner_id, owner_name, name, shared, filters, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      update: db.prepare<[string, number, string, number, number]>('UPDATE saved_searches SET name = ?, shared = ?, filters = ?, updated_at = ? WHERE id = ?'),
      remove: db.prepare<[number]>('DELETE FROM saved_searches WHERE id = ?'),
    };
  }

  /** A person's own searches and every shared one, by name. */
  visibleTo(userId: number): SavedSearchRow[] {
    return this.s.visible.all(userId).map(toRow);
  }

  byId(id: number): SavedSearchRow | null {
    const r = this.s.byId.get(id);
    return r ? toRow(r) : null;
  }

  /** The id of the author's search with this name, if any. */
  idByName(ownerId: number, name: string): number | null {
    return this.s.byName.get(ownerId, name)?.id ?? null;
  }

  countOwn(ownerId: number): number {
    return this.s.countOwn.get(ownerId)?.n ?? 0;
  }

  insert(r: { ownerId: number; ownerName: string; name: string; shared: boolean; filters: SavedFilters }, at: number): number {
    return Number(this.s.insert.run(r.ownerId, r.ownerName, r.name, r.shared ? 1 : 0, JSON.stringify(r.filters), at, at).lastInsertRowid);
  }

  update(id: number, r: { name: string; shared: boolean; filters: SavedFilters }, at: number): void {
    this.s.update.run(r.name, r.shared ? 1 : 0, JSON.stringify(r.filters), at, id);
  }

  remove(id: number): void {
    this.s.remove.run(id);
  }
}
