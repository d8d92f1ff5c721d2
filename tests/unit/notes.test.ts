// Internal notes and read state (issue #16, "working together"), through the real dispatcher on
// a real SQLite file: the author is the session's person, @names resolve to active people and
// nothing else, analysts read but do not write, only the author removes a note, every note is
// an audit row; each person's read marks, unread count and "Visto da", with one coalesced
// event for a burst of openings. The migration on a store built by the real earlier ones.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoreApp } from '../../src/app/app';
import { namedPeople } from '../../src/core/notes';
import { migrate, migrations, schemaVersion, LATEST_SCHEMA_VERSION } from '../../src/core/store/migrations';
import { notesReads } from '../../src/core/store/migrations/021_notes_reads';
import { readCounts } from '../../src/core/store/migrations/022_read_counts';
import { NotesRepo } from '../../src/core/store/notes-repo';
import type { EventName } from '../../src/shared/contract';
import type { Note } from '../../src/shared/ops/notes';
import { expectApiError, onClose, tempDir, testApp } from './support/core';

type Caller = { session: string; id: number };

async function team(coalesceMs?: number): Promise<{ app: CoreApp; dataDir: string; admin: Caller; giulia: Caller; luca: Caller; ale: Caller }> {
  const { app, dataDir } = testApp(coalesceMs === undefined ? {} : {});
  const grant = (await app.dispatch('auth.setup', { username: 'admin', displayName: 'Anna Admin', password: 'una-password-lunga' }, { session: null })) as { token: string; actor: { userId: number } };
  const admin = { session: grant.token, id: grant.actor.userId };
  const person = async (username: string, displayName: string, roles: string[]): Promise<Caller> => {
    const u = (await app.dispatch('users.create', { username, displayName, password: `password-${username}`, roles }, admin)) as { id: number };
    const s = (await app.dispatch('auth.signIn', { username, password: `password-${username}` }, { session: null })) as { token: string };
    return { id: u.id, session: s.token };
  };
  return { app, dataDir, admin, giulia: await person('giulia', 'Giulia Rossi', ['manager']), luca: await person('legal', 'Luca Bianchi', ['legal']), ale: await person('ale', 'Ale Verdi', ['analyst']) };
}

function mention(i: number) {
  return { source: 'Webhook test', external_id: `m${i}`, text: `Messaggio numero ${i} sulle capsule`, published_at: new Date(Date.UTC(2026, 0, 1, 12, 0, i)).toISOString() };
}

function events(app: CoreApp, name: EventName): unknown[] {
  const seen: unknown[] = [];
  app.events.subscribe((e, p) => {
    if (e === name) seen.push(p);
  });
  return seen;
}

function auditRows(dataDir: string, action: string): { actor: string; subject: string | null; detail: Record<string, unknown>; content_hash: string | null }[] {
  const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT actor, subject, detail, content_hash FROM audit_log WHERE action = ? ORDER BY id').all(action) as { actor: string; subject: string | null; detail: string; content_hash: string | null }[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

describe('@names', () => {
  const people = [
    { id: 1, username: 'legal', displayName: 'Luca Bianchi' },
    { id: 2, username: 'giulia.r', displayName: 'Giulia Rossi' },
    { id: 3, username: 'gverdi', displayName: 'Giulia Verdi' },
    { id: 4, username: 'marco', displayName: 'Marco Gialli' },
  ];
  it('resolves usernames in any case, unique first names, each person once, in order; unknown names and e-mails name nobody', () => {
    expect(namedPeople('@LEGAL puoi vedere? cc @giulia.r.', people).map((p) => p.id)).toEqual([1, 2]);
    expect(namedPeople('@Marco e @legal, poi ancora @legal', people).map((p) => p.id)).toEqual([4, 1]);
    expect(namedPeople('scrivi a legal@azienda.it o a @nessuno', people)).toEqual([]);
    // Two Giulias: "@Giulia" names neither; their usernames do.
    expect(namedPeople('@Giulia @gverdi', people).map((p) => p.id)).toEqual([3]);
    expect(namedPeople('(@legal)', people).map((p) => p.id)).toEqual([1]);
  });
});

describe('notes', () => {
  it('a manager writes a note naming @legal: the author is the session, the name resolves, an audit row, an event; analysts read but do not write', async () => {
    const { app, dataDir, giulia, luca, ale } = await team();
    const { ids } = app.ingestWebhook([mention(1)]);
    const changed = events(app, 'notes.changed');
    const subject = { kind: 'mention' as const, id: ids[0]! };

    const note = (await app.dispatch('notes.add', { subject, text: '  @legal puoi controllare? Chiedo anche a @sconosciuto  ' }, giulia)) as Note;
    expect(note).toMatchObject({
      subject,
      authorId: giulia.id,
      authorUsername: 'giulia',
      authorName: 'Giulia Rossi',
      text: '@legal puoi controllare? Chiedo anche a @sconosciuto',
      mentioned: [{ id: luca.id, username: 'legal', displayName: 'Luca Bianchi' }],
    });
    expect(changed).toEqual([{ subject }]);
    // Legal is told, through the one notification module; Giulia is not told of her own note.
    const bell = (await app.dispatch('notifications.list', {}, luca)) as { items: { kind: string; subject: unknown; by: { id: number } }[]; unread: number };
    expect(bell.unread).toBe(1);
    expect(bell.items[0]).toMatchObject({ kind: 'noted', subject, by: { id: giulia.id } });
    expect(((await app.dispatch('notifications.list', {}, giulia)) as { unread: number }).unread).toBe(0);
    // A client cannot say who wrote it: the input has no such field.
    await expectApiError(app.dispatch('notes.add', { subject, text: 'ciao', authorName: 'Luca' }, giulia), 'invalid');

    // Everyone signed in reads the thread, oldest first; the analyst may not write.
    await app.dispatch('notes.add', { subject, text: 'Visto, ok per me.' }, luca);
    const list = (await app.dispatch('notes.list', { subject }, ale)) as { notes: Note[] };
    expect(list.notes.map((n) => [n.authorUsername, n.text])).toEqual([
      ['giulia', '@legal puoi controllare? Chiedo anche a @sconosciuto'],
      ['legal', 'Visto, ok per me.'],
    ]);
    await expectApiError(app.dispatch('notes.add', { subject, text: 'posso?' }, ale), 'forbidden');

    // The two notes (the refused attempts have rows of their own, marked as failed).
    const rows = auditRows(dataDir, 'notes.add').filter((r) => r.detail.esito === undefined);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ actor: 'giulia', subject: `mention:${ids[0]}`, detail: { nota: note.id, menzionati: ['legal'] } });
    expect(rows[0]!.content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain('puoi controllare');
  });

  it('bad text and missing subjects are refused with catalogue errors; markup stays text', async () => {
    const { app, giulia } = await team();
    const { ids } = app.ingestWebhook([mention(1)]);
    const subject = { kind: 'mention' as const, id: ids[0]! };
    const empty = await expectApiError(app.dispatch('notes.add', { subject, text: '   ' }, giulia), 'invalid');
    expect(empty.detailLines().join(' ')).toContain('la nota è vuota');
    await expectApiError(app.dispatch('notes.add', { subject, text: 'x'.repeat(2_001) }, giulia), 'invalid');
    await expectApiError(app.dispatch('notes.add', { subject, text: 'a\u0007b' }, giulia), 'invalid');
    await expectApiError(app.dispatch('notes.add', { subject: { kind: 'mention', id: 999 }, text: 'ciao' }, giulia), 'not_found');
    await expectApiError(app.dispatch('notes.add', { subject: { kind: 'moment', id: 999 }, text: 'ciao' }, giulia), 'not_found');
    const n = (await app.dispatch('notes.add', { subject, text: '<img src=x onerror=alert(1)>\nriga due' }, giulia)) as Note;
    expect(n.text).toBe('<img src=x onerror=alert(1)>\nriga due');
  });

  it('only the author removes a note; both the removal and the refusal are on record', async () => {
    const { app, dataDir, giulia, luca, admin } = await team();
    const { ids } = app.ingestWebhook([mention(1)]);
    const subject = { kind: 'mention' as const, id: ids[0]! };
    const note = (await app.dispatch('notes.add', { subject, text: 'Da rivedere' }, giulia)) as Note;
    await expectApiError(app.dispatch('notes.remove', { id: note.id }, luca), 'forbidden');
    await expectApiError(app.dispatch('notes.remove', { id: note.id }, admin), 'forbidden');
    expect(await app.dispatch('notes.remove', { id: note.id }, giulia)).toEqual({ ok: true });
    expect(await app.dispatch('notes.list', { subject }, giulia)).toEqual({ notes: [] });
    await expectApiError(app.dispatch('notes.remove', { id: note.id }, giulia), 'not_found');
    const rows = auditRows(dataDir, 'notes.remove');
    expect(rows.map((r) => [r.actor, r.subject, r.detail.motivo ?? 'ok'])).toEqual([
      ['legal', `mention:${ids[0]}`, 'notes.notAuthor'],
      ['admin', `mention:${ids[0]}`, 'notes.notAuthor'],
      ['giulia', `mention:${ids[0]}`, 'ok'],
      ['giulia', `note#${note.id}`, 'notes.notFound'],
    ]);
  });

  it('suggestions list the active people only', async () => {
    const { app, admin, ale } = await team();
    const before = (await app.dispatch('notes.suggestions', {}, ale)) as { people: { username: string }[] };
    expect(before.people.map((p) => p.username)).toEqual(['ale', 'admin', 'giulia', 'legal']);
    const users = (await app.dispatch('users.list', {}, admin)) as { id: number; username: string; displayName: string }[];
    const giulia = users.find((u) => u.username === 'giulia')!;
    await app.dispatch('users.update', { id: giulia.id, displayName: giulia.displayName, disabled: true }, admin);
    const after = (await app.dispatch('notes.suggestions', {}, ale)) as { people: { username: string }[] };
    expect(after.people.map((p) => p.username)).toEqual(['ale', 'admin', 'legal']);
  });
});

describe('notes on moments', () => {
  const START = Date.parse('2026-11-20T08:00:00Z');
  const MIN = 60_000;
  const quiet = (minutes: number) =>
    Array.from({ length: minutes }, (_, i) => ({ source: 'Reddit r/italy', external_id: `q${i}`, text: i % 2 ? 'Il barista è gentile' : 'Pausa caffè', lang: 'it', published_at: new Date(START + i * MIN).toISOString() }));
  const burst = (from: number, prefix: string, text: string) =>
    Array.from({ length: 10 }, (_, i) => ({ source: 'X/Twitter', external_id: `${prefix}${i}`, author: `${prefix}-${i}`, text, lang: 'it', published_at: new Date(from + i * 10_000).toISOString() }));

  it("a moment's notes follow it through a rebuild that renumbers the moments", async () => {
    const { app } = testApp({ now: () => Date.parse('2026-11-20T12:00:00Z') });
    const brand = (await app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
    await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Boicottaggio', query: 'boicott*', swot: 'threat', stance: 'sensitive' });
    app.ingestWebhook(quiet(60));
    app.ingestWebhook(burst(START + 60 * MIN, 'm', 'Muffa nelle capsule Aurora, vergogna! Che schifo'));
    const list = async () => ((await app.dispatch('moments.list', { kind: 'crisis' })) as { items: { id: number; title: string }[] }).items;
    const [muffa] = await list();
    await app.dispatch('notes.add', { subject: { kind: 'moment', id: muffa!.id }, text: 'Preparo la risposta, legal avvisato' });
    // A late batch opens an earlier crisis: a rebuild puts it first and renumbers ours.
    app.ingestWebhook(burst(START + 40 * MIN, 'b', 'Boicottiamo Aurora, vergogna! Che schifo'));
    const rebuilt = new Promise<void>((resolve) => {
      const off = app.events.subscribe((e, p) => {
        if (e === 'moments.changed' && (p as { rebuilt: boolean }).rebuilt) {
          off();
          resolve();
        }
      });
    });
    await app.dispatch('moments.settingsUpdate', { zThreshold: 3.1 });
    await rebuilt;
    const after = await list();
    const muffaAfter = after.find((m) => m.title === muffa!.title)!;
    const other = after.find((m) => m.title !== muffa!.title)!;
    expect(muffaAfter.id).not.toBe(muffa!.id);
    const notes = (await app.dispatch('notes.list', { subject: { kind: 'moment', id: muffaAfter.id } })) as { notes: Note[] };
    expect(notes.notes.map((n) => [n.text, n.subject])).toEqual([['Preparo la risposta, legal avvisato', { kind: 'moment', id: muffaAfter.id }]]);
    expect(await app.dispatch('notes.list', { subject: { kind: 'moment', id: other.id } })).toEqual({ notes: [] });
  });
});

describe('read state', () => {
  it('each person has their own: marks, unread count, "Visto da"; one event for a burst', async () => {
    const { app, giulia, luca, ale } = await team();
    const { ids } = app.ingestWebhook([mention(1), mention(2), mention(3)]);
    const [a, b, c] = ids as [number, number, number];
    const changed = events(app, 'reads.changed');

    expect(await app.dispatch('reads.state', { ids }, giulia)).toEqual({ read: [], unread: 3 });
    // Giulia opens three mentions quickly (and one twice): her count drops, Luca's does not.
    for (const id of [a, b, a, c]) await app.dispatch('reads.mark', { ids: [id], read: true }, giulia);
    expect(await app.dispatch('reads.state', { ids }, giulia)).toEqual({ read: expect.arrayContaining([a, b, c]), unread: 0 });
    expect(await app.dispatch('reads.state', { ids }, luca)).toEqual({ read: [], unread: 3 });
    // The analyst reads too.
    expect(await app.dispatch('reads.mark', { ids: [b], read: true }, ale)).toEqual({ unread: 2 });

    const seen = (await app.dispatch('reads.list', { id: b }, luca)) as { people: { displayName: string }[] };
    expect(seen.people.map((p) => p.displayName)).toEqual(['Giulia Rossi', 'Ale Verdi']);

    // Nothing sent yet: the burst is gathered, then one event names the mentions and people.
    expect(changed).toEqual([]);
    await expect.poll(() => changed.length, { timeout: 3_000 }).toBe(1);
    expect(changed[0]).toEqual({ ids: expect.arrayContaining([a, b, c]), userIds: expect.arrayContaining([giulia.id, ale.id]) });

    // Unread again, for Giulia only.
    expect(await app.dispatch('reads.mark', { ids: [b], read: false }, giulia)).toEqual({ unread: 1 });
    const after = (await app.dispatch('reads.list', { id: b }, luca)) as { people: { displayName: string }[] };
    expect(after.people.map((p) => p.displayName)).toEqual(['Ale Verdi']);
    // Marking a mention that does not exist changes nothing.
    expect(await app.dispatch('reads.mark', { ids: [9_999], read: true }, giulia)).toEqual({ unread: 1 });
  });
});

describe('migrations 021 and 022', () => {
  it('adds notes and read state on a store built by the real earlier migrations; deleting a mention takes its notes and reads', () => {
    const db = new Database(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    db.pragma('foreign_keys = ON');
    const idx = migrations.indexOf(notesReads);
    expect(idx).toBe(20);
    migrate(db, migrations.slice(0, idx));
    db.prepare(`INSERT INTO sources (id, kind, name, created_at) VALUES (1, 'webhook', 'Zapier', 1)`).run();
    const insert = db.prepare(`INSERT INTO mentions (source_id, dedup_key, content_hash, text, published_at, fetched_at) VALUES (1, ?, 'h', 'testo', 1, 1) RETURNING id`);
    const m1 = (insert.get('k1') as { id: number }).id;
    const m2 = (insert.get('k2') as { id: number }).id;
    // The ingest writes the full-text rows itself (no trigger since 009): as it would.
    for (const id of [m1, m2]) db.prepare(`INSERT INTO mentions_fts (rowid, title, text) VALUES (?, NULL, 'testo')`).run(id);
    db.prepare(`INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) VALUES (7, 'giulia', 'Giulia', 'x', 1, 1)`).run();
    migrate(db);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);

    const repo = new NotesRepo(db);
    repo.add({ kind: 'mention', id: m1 }, null, { authorId: 7, authorUsername: 'giulia', authorName: 'Giulia', text: 'nota', mentioned: [], at: 5 });
    expect(repo.mark(7, [m1, m2], true, 10)).toEqual([m1, m2]);
    expect(repo.mark(7, [m1], true, 11)).toEqual([]);
    expect(repo.unreadCount(7)).toBe(0);
    db.prepare('DELETE FROM mentions WHERE id = ?').run(m1);
    expect(repo.list({ kind: 'mention', id: m1 })).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM notes').get()).toEqual({ n: 0 });
    expect(repo.readAmong(7, [m1, m2])).toEqual([m2]);
    expect(repo.unreadCount(7)).toBe(0);
    // The person's read count is kept by triggers, cascades included (migration 022).
    expect(db.prepare('SELECT n FROM mention_read_counts WHERE user_id = 7').get()).toEqual({ n: 1 });
    repo.mark(7, [m2], false, 12);
    expect(db.prepare('SELECT n FROM mention_read_counts WHERE user_id = 7').get()).toEqual({ n: 0 });
    expect(repo.unreadCount(7)).toBe(1);
  });

  it('022 counts the reads a store already holds', () => {
    const db = new Database(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, migrations.indexOf(readCounts)));
    db.prepare(`INSERT INTO sources (id, kind, name, created_at) VALUES (1, 'webhook', 'Zapier', 1)`).run();
    const insert = db.prepare(`INSERT INTO mentions (source_id, dedup_key, content_hash, text, published_at, fetched_at) VALUES (1, ?, 'h', 'testo', 1, 1) RETURNING id`);
    const ids = ['a', 'b', 'c'].map((k) => (insert.get(k) as { id: number }).id);
    db.prepare(`INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) VALUES (7, 'giulia', 'Giulia', 'x', 1, 1)`).run();
    for (const id of ids.slice(0, 2)) db.prepare('INSERT INTO mention_reads (user_id, mention_id, read_at) VALUES (7, ?, 1)').run(id);
    migrate(db);
    expect(new NotesRepo(db).unreadCount(7)).toBe(1);
  });
});
