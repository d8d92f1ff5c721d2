// Tags on mentions and the inbox's bulk actions (issue #17), through the real dispatcher on a
// real SQLite file: a tag created inline and put on a selection, the inbox filtered by it, each
// bulk action answered with what it replaced so that the same op with those values is its exact
// undo, one audit row per action with the count, and a role that may not refused whole.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Tag } from '../../src/shared/ops/tags';
import type { Mention } from '../../src/shared/schemas';
import { migrate, migrations, schemaVersion, LATEST_SCHEMA_VERSION } from '../../src/core/store/migrations';
import { mentionTags } from '../../src/core/store/migrations/025_mention_tags';
import { ApiError } from '../../src/shared/contract';
import { onClose, tempDir } from './support/core';
import { events, mention, team } from './support/team';

/** Awaits a call that must fail with this catalogue code. */
async function refused(p: Promise<unknown>, key: string): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).key).toBe(key);
}

function auditRows(dataDir: string, like: string): { actor: string; action: string; subject: string | null; detail: string }[] {
  const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
  try {
    return db.prepare(`SELECT actor, action, subject, detail FROM audit_log WHERE action LIKE ? ORDER BY id`).all(like) as never;
  } finally {
    db.close();
  }
}

describe('migration 025 (mention tags)', () => {
  it('adds the tables to a database of the previous version; names are unique whatever the case; tags go with their mention', () => {
    const db = new Database(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    db.pragma('foreign_keys = ON');
    const idx = migrations.indexOf(mentionTags);
    migrate(db, migrations.slice(0, idx));
    db.prepare(`INSERT INTO sources (id, kind, name, config, created_at) VALUES (1, 'webhook', 'W', '{}', 1)`).run();
    db.prepare(`INSERT INTO mentions (id, source_id, dedup_key, content_hash, text, author_key, lang, published_at, fetched_at) VALUES (7, 1, 'k', 'h', 'ciao', 'a', 'it', 1, 1)`).run();
    migrate(db);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.prepare(`INSERT INTO tags (id, name, created_at) VALUES (1, 'Stampa', 1)`).run();
    expect(() => db.prepare(`INSERT INTO tags (name, created_at) VALUES ('stampa', 1)`).run()).toThrow(/UNIQUE/);
    db.prepare(`INSERT INTO mention_tags (tag_id, mention_id, added_at) VALUES (1, 7, 1)`).run();
    const plan = db
      .prepare<[], { detail: string }>('EXPLAIN QUERY PLAN SELECT mention_id FROM mention_tags WHERE tag_id IN (1, 2)')
      .all()
      .map((r) => r.detail)
      .join(' ');
    expect(plan).toMatch(/PRIMARY KEY|COVERING INDEX/);
    // Tags go with their mention (retention, an author's erasure) and with their tag.
    const fks = db.prepare<[], { table: string; on_delete: string }>('PRAGMA foreign_key_list(mention_tags)').all();
    expect(fks.map((f) => [f.table, f.on_delete]).sort()).toEqual([['mentions', 'CASCADE'], ['tags', 'CASCADE']]);
    db.prepare('DELETE FROM tags WHERE id = 1').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM mention_tags').get()).toEqual({ n: 0 });
  });
});

describe('tags and bulk actions', () => {
  it('a tag created inline goes on three mentions; undo takes it off only where it was not; the inbox filters by it', async () => {
    const { app, dataDir, giulia } = await team();
    const { ids } = app.ingestWebhook([1, 2, 3, 4].map(mention));
    const changed = events(app, 'tags.changed');
    const tag = (await app.dispatch('tags.create', { name: '  Da richiamare ' }, giulia)) as Tag;
    expect(tag).toEqual({ id: expect.any(Number), name: 'Da richiamare', count: 0 });
    await refused(app.dispatch('tags.create', { name: 'da RICHIAMARE' }, giulia), 'tags.nameTaken');

    // One mention already carries it: "tag all three" changes two, and its undo only those two.
    await app.dispatch('mentions.bulkTag', { tagId: tag.id, items: [{ id: ids[0]!, tagged: true }] }, giulia);
    const items = [ids[0]!, ids[1]!, ids[2]!].map((id) => ({ id, tagged: true }));
    const out = (await app.dispatch('mentions.bulkTag', { tagId: tag.id, items }, giulia)) as { changed: number; previous: { id: number; tagged: boolean }[] };
    expect(out).toEqual({ changed: 2, previous: [{ id: ids[1], tagged: false }, { id: ids[2], tagged: false }] });
    expect(changed.at(-1)).toEqual({ tagIds: [tag.id], mentionIds: [ids[1], ids[2]] });
    expect((await app.dispatch('tags.list', {}, giulia)) as { tags: Tag[] }).toEqual({ tags: [{ ...tag, count: 3 }] });
    const page = (await app.dispatch('mentions.list', { query: { tagIds: [tag.id] } }, giulia)) as { items: Mention[]; total: number };
    expect(page.total).toBe(3);
    expect(page.items.map((m) => m.id).sort()).toEqual([ids[0], ids[1], ids[2]].sort());

    await app.dispatch('mentions.bulkTag', { tagId: tag.id, items: out.previous }, giulia);
    expect(((await app.dispatch('tags.state', { ids }, giulia)) as { items: { id: number; tagIds: number[] }[] }).items).toEqual([
      { id: ids[0], tagIds: [tag.id] },
      { id: ids[1], tagIds: [] },
      { id: ids[2], tagIds: [] },
      { id: ids[3], tagIds: [] },
    ]);

    // One row per action that changed something, with the count.
    const rows = auditRows(dataDir, 'mentions.bulkTag');
    expect(rows.map((r) => [r.actor, r.subject, JSON.parse(r.detail).count])).toEqual([
      ['giulia', 'mentions', 1],
      ['giulia', 'mentions', 2],
      ['giulia', 'mentions', 2],
    ]);
    // The tag's creation, and the refused second one (the same name in other letters).
    expect(auditRows(dataDir, 'tags.create').map((r) => [r.actor, r.subject])).toEqual([['giulia', `tag:${tag.id}`], ['giulia', null]]);
  });

  it('assign, read, hide and sentiment each come back exactly as each mention was', async () => {
    const { app, giulia, luca } = await team();
    const { ids } = app.ingestWebhook([1, 2, 3].map(mention));
    const [a, b, c] = ids as [number, number, number];

    await app.dispatch('assignments.set', { subject: 'mention', id: a, userId: luca.id }, giulia);
    const assigned = (await app.dispatch('mentions.bulkAssign', { items: [a, b, c].map((id) => ({ id, userId: giulia.id })) }, giulia)) as { previous: unknown[] };
    expect(assigned.previous).toEqual([{ id: a, userId: luca.id }, { id: b, userId: null }, { id: c, userId: null }]);
    await app.dispatch('mentions.bulkAssign', { items: assigned.previous }, giulia);
    const who = async (id: number) => ((await app.dispatch('assignments.get', { subject: 'mention', id }, giulia)) as { assignment: { assignee: { id: number } } | null }).assignment?.assignee.id ?? null;
    expect([await who(a), await who(b), await who(c)]).toEqual([luca.id, null, null]);

    await app.dispatch('reads.mark', { ids: [b], read: true }, giulia);
    const read = (await app.dispatch('mentions.bulkRead', { items: [a, b, c].map((id) => ({ id, read: true })) }, giulia)) as { previous: unknown[] };
    expect(read.previous).toEqual([{ id: a, read: false }, { id: c, read: false }]);
    await app.dispatch('mentions.bulkRead', { items: read.previous }, giulia);
    expect(((await app.dispatch('reads.state', { ids: [a, b, c] }, giulia)) as { read: number[] }).read).toEqual([b]);

    const hidden = (await app.dispatch('mentions.bulkStatus', { items: [a, b].map((id) => ({ id, status: 'archived' as const })) }, giulia)) as { previous: unknown[] };
    expect(hidden.previous).toEqual([{ id: a, status: 'new' }, { id: b, status: 'new' }]);
    await app.dispatch('mentions.bulkStatus', { items: hidden.previous }, giulia);

    const before = (await app.dispatch('mentions.get', { id: c }, giulia)) as { mention: Mention };
    const target = before.mention.sentimentLabel === 'negative' ? 'positive' : 'negative';
    await app.dispatch('mentions.correctSentiment', { id: a, label: target }, giulia);
    const relabel = (await app.dispatch('mentions.bulkSentiment', { items: [a, c].map((id) => ({ id, label: target })) }, giulia)) as { changed: number; previous: unknown[] };
    expect(relabel).toEqual({ changed: 1, previous: [{ id: c, label: before.mention.sentimentLabel }] });
    await app.dispatch('mentions.bulkSentiment', { items: relabel.previous }, giulia);
    const after = (await app.dispatch('mentions.get', { id: c }, giulia)) as { mention: Mention };
    expect(after.mention.sentimentLabel).toBe(before.mention.sentimentLabel);
    expect(after.mention.sentimentCorrection).toBeNull();
  });

  it('refuses whole: an analyst, a mention gone, a repeated id, too many; read marks stay the analyst’s own', async () => {
    const { app, dataDir, giulia, ale, luca } = await team();
    const { ids } = app.ingestWebhook([1, 2].map(mention));
    const tag = (await app.dispatch('tags.create', { name: 'stampa' }, giulia)) as Tag;
    await refused(app.dispatch('mentions.bulkTag', { tagId: tag.id, items: [{ id: ids[0]!, tagged: true }] }, ale), 'access.forbidden');
    await refused(app.dispatch('mentions.bulkStatus', { items: [{ id: ids[0]!, status: 'archived' }] }, ale), 'access.forbidden');
    await refused(app.dispatch('tags.create', { name: 'nuova' }, ale), 'access.forbidden');
    // Legal tags but does not rename the workspace's words, nor correct sentiment.
    await refused(app.dispatch('tags.rename', { id: tag.id, name: 'Stampa' }, luca), 'access.forbidden');
    await refused(app.dispatch('mentions.bulkSentiment', { items: [{ id: ids[0]!, label: 'negative' }] }, luca), 'access.forbidden');

    await refused(app.dispatch('mentions.bulkTag', { tagId: tag.id, items: [{ id: ids[0]!, tagged: true }, { id: 99_999, tagged: true }] }, giulia), 'mentions.notFound');
    expect(((await app.dispatch('tags.list', {}, giulia)) as { tags: Tag[] }).tags[0]!.count).toBe(0);
    await refused(app.dispatch('mentions.bulkTag', { tagId: tag.id, items: [{ id: ids[0]!, tagged: true }, { id: ids[0]!, tagged: false }] }, giulia), 'request.invalid');
    const many = Array.from({ length: 1_001 }, (_, i) => ({ id: i + 1, read: true }));
    await refused(app.dispatch('mentions.bulkRead', { items: many }, giulia), 'request.invalid');
    await refused(app.dispatch('mentions.bulkAssign', { items: [{ id: ids[0]!, userId: ale.id }] }, giulia), 'assignments.badAssignee');

    const read = (await app.dispatch('mentions.bulkRead', { items: [{ id: ids[0]!, read: true }] }, ale)) as { changed: number };
    expect(read.changed).toBe(1);
    expect(auditRows(dataDir, 'mentions.bulk%').filter((r) => r.actor === 'ale' && !r.detail.includes('rifiutat')).map((r) => r.action)).toEqual(['mentions.bulkRead']);

    // Renamed and deleted by who keeps the words; deleting takes it off every mention.
    await app.dispatch('mentions.bulkTag', { tagId: tag.id, items: ids.map((id) => ({ id, tagged: true })) }, giulia);
    expect(((await app.dispatch('tags.rename', { id: tag.id, name: 'Stampa' }, giulia)) as Tag).name).toBe('Stampa');
    expect(await app.dispatch('tags.delete', { id: tag.id }, giulia)).toEqual({ removedFrom: 2 });
    expect(((await app.dispatch('tags.state', { ids }, giulia)) as { items: { tagIds: number[] }[] }).items.every((i) => i.tagIds.length === 0)).toBe(true);
    await refused(app.dispatch('mentions.bulkTag', { tagId: tag.id, items: [{ id: ids[0]!, tagged: true }] }, giulia), 'tags.notFound');
  });
});
