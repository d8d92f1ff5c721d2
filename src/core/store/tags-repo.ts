// SQL of tags and of which mention carries which (migration 025): the names with their counts,
// a page's chips, and putting one tag on or off many mentions at once.
import type { Tag } from '../../shared/ops/tags';
import type { MentionStatus } from './mentions-repo';
import type { Db } from './db';

const LIST = `SELECT t.id, t.name, (SELECT COUNT(*) FROM mention_tags mt WHERE mt.tag_id = t.id) AS count FROM tags t`;

export class TagsRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      list: db.prepare<[], Tag>(`${LIST} ORDER BY t.name COLLATE NOCASE, t.id`),
      get: db.prepare<[number], Tag>(`${LIST} WHERE t.id = ?`),
      byName: db.prepare<[string], { id: number; name: string }>('SELECT id, name FROM tags WHERE name = ?'),
      insert: db.prepare<[string, number | null, number], { id: number }>('INSERT INTO tags (name, created_by, created_at) VALUES (?, ?, ?) RETURNING id'),
      rename: db.prepare<[string, number]>('UPDATE tags SET name = ? WHERE id = ?'),
      remove: db.prepare<[number]>('DELETE FROM tags WHERE id = ?'),
      of: db.prepare<[string], { mention_id: number; tag_id: number }>(
        'SELECT mention_id, tag_id FROM mention_tags WHERE mention_id IN (SELECT value FROM json_each(?)) ORDER BY mention_id, tag_id',
      ),
      taggedAmong: db.prepare<[number, string], { mention_id: number }>(
        'SELECT mention_id FROM mention_tags WHERE tag_id = ? AND mention_id IN (SELECT value FROM json_each(?))',
      ),
      put: db.prepare<[number, number, number | null, number]>('INSERT OR IGNORE INTO mention_tags (tag_id, mention_id, added_by, added_at) VALUES (?, ?, ?, ?)'),
      take: db.prepare<[number, number]>('DELETE FROM mention_tags WHERE tag_id = ? AND mention_id = ?'),
      existing: db.prepare<[string], { id: number; status: MentionStatus }>('SELECT id, status FROM mentions WHERE id IN (SELECT value FROM json_each(?))'),
      setStatus: db.prepare<[string, number]>('UPDATE mentions SET status = ? WHERE id = ?'),
    };
  }

  list(): Tag[] {
    return this.s.list.all();
  }

  get(id: number): Tag | null {
    return this.s.get.get(id) ?? null;
  }

  /** The tag of that name whatever its case, if any. */
  byName(name: string): { id: number; name: string } | null {
    return this.s.byName.get(name) ?? null;
  }

  create(name: string, by: number | null, at: number): number {
    return this.s.insert.get(name, by, at)!.id;
  }

  rename(id: number, name: string): void {
    this.s.rename.run(name, id);
  }

  remove(id: number): void {
    this.s.remove.run(id);
  }

  /** Each mention's tag ids (mentions without any are left out). */
  of(ids: readonly number[]): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const r of this.s.of.all(JSON.stringify(ids))) {
      const list = out.get(r.mention_id);
      if (list) list.push(r.tag_id);
      else out.set(r.mention_id, [r.tag_id]);
    }
    return out;
  }

  /** Which of these mentions carry the tag. */
  taggedAmong(tagId: number, ids: readonly number[]): Set<number> {
    return new Set(this.s.taggedAmong.all(tagId, JSON.stringify(ids)).map((r) => r.mention_id));
  }

  put(tagId: number, mentionId: number, by: number | null, at: number): void {
    this.s.put.run(tagId, mentionId, by, at);
  }

  take(tagId: number, mentionId: number): void {
    this.s.take.run(tagId, mentionId);
  }

  /** The stored mentions among these ids, with their shared status. */
  mentionStatuses(ids: readonly number[]): Map<number, MentionStatus> {
    return new Map(this.s.existing.all(JSON.stringify(ids)).map((r) => [r.id, r.status]));
  }

  setStatus(id: number, status: MentionStatus): void {
    this.s.setStatus.run(status, id);
  }
}
