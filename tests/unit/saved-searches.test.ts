// Saved searches (issue #17) through the real dispatcher on a real SQLite file: personal ones
// are their author's alone, shared ones are seen by everyone and changed only by their author
// or an admin, analysts save personal ones only, each search has its count (a query too), and
// every change is an audit row. The migration on a store built by the real earlier ones.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoreApp } from '../../src/app/app';
import { migrate, migrations, LATEST_SCHEMA_VERSION, schemaVersion } from '../../src/core/store/migrations';
import { savedSearches } from '../../src/core/store/migrations/026_saved_searches';
import { SavedSearchesRepo } from '../../src/core/store/saved-searches-repo';
import type { EventName } from '../../src/shared/contract';
import { SavedFiltersSchema, type SavedSearch } from '../../src/shared/search';
import { ApiError } from '../../src/shared/contract';
import { expectApiError, onClose, tempDir, testApp } from './support/core';

/** Fails with this code of the catalogue. */
async function refused(p: Promise<unknown>, key: string): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).key).toBe(key);
}

type Caller = { session: string; id: number };

async function team(): Promise<{ app: CoreApp; dataDir: string; admin: Caller; giulia: Caller; luca: Caller; ale: Caller }> {
  const { app, dataDir } = testApp();
  const grant = (await app.dispatch('auth.setup', { username: 'admin', displayName: 'Anna Admin', password: 'una-password-lunga' }, { session: null })) as { token: string; actor: { userId: number } };
  const admin = { session: grant.token, id: grant.actor.userId };
  const person = async (username: string, displayName: string, roles: string[]): Promise<Caller> => {
    const u = (await app.dispatch('users.create', { username, displayName, password: `password-${username}`, roles }, admin)) as { id: number };
    const s = (await app.dispatch('auth.signIn', { username, password: `password-${username}` }, { session: null })) as { token: string };
    return { id: u.id, session: s.token };
  };
  return { app, dataDir, admin, giulia: await person('giulia', 'Giulia Rossi', ['manager']), luca: await person('luca', 'Luca Bianchi', ['legal']), ale: await person('ale', 'Ale Verdi', ['analyst']) };
}

const TEXTS = ['Capsule Aurora arrivate rotte', 'Capsule rotte di nuovo, pessimo', 'Il pistacchio è ottimo', 'Capsule compostabili?'];

const filters = (text: string, over: Record<string, unknown> = {}) => SavedFiltersSchema.parse({ text, ...over });

async function list(app: CoreApp, c: Caller): Promise<SavedSearch[]> {
  return ((await app.dispatch('searches.list', {}, c)) as { items: SavedSearch[] }).items;
}

function auditRows(dataDir: string, prefix: string): { action: string; actor: string; subject: string | null; ok: number }[] {
  const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
  try {
    const cols = (db.prepare(`PRAGMA table_info(audit_log)`).all() as { name: string }[]).map((c) => c.name);
    const ok = cols.includes('ok') ? 'ok' : cols.includes('outcome') ? "outcome = 'ok'" : '1';
    return db.prepare(`SELECT action, actor, subject, ${ok} AS ok FROM audit_log WHERE action LIKE ? ORDER BY id`).all(`${prefix}%`) as { action: string; actor: string; subject: string | null; ok: number }[];
  } finally {
    db.close();
  }
}

describe('saved searches', () => {
  it('personal ones are their author’s, shared ones everyone’s; each with its count', async () => {
    const { app, giulia, luca, ale } = await team();
    app.ingestWebhook(TEXTS.map((text, i) => ({ source: 'Forum', external_id: `m${i}`, text, published_at: new Date(Date.UTC(2026, 0, 1, 12, 0, i)).toISOString() })));
    const seen: EventName[] = [];
    app.events.subscribe((e) => seen.push(e));

    const mine = (await app.dispatch('searches.create', { name: 'Rotte', filters: filters('capsule rotte') }, giulia)) as SavedSearch;
    const shared = (await app.dispatch('searches.create', { name: 'Reclami', shared: true, filters: filters('capsule NOT compostabili') }, giulia)) as SavedSearch;
    expect(mine).toMatchObject({ shared: false, ownerName: 'Giulia Rossi', canChange: true });
    expect(seen).toContain('searches.changed');

    expect((await list(app, giulia)).map((s) => s.name)).toEqual(['Reclami', 'Rotte']);
    // Luca sees the shared one only, and may not change it.
    const lucas = await list(app, luca);
    expect(lucas.map((s) => [s.name, s.canChange])).toEqual([['Reclami', false]]);

    const counts = (await app.dispatch('searches.counts', {}, giulia)) as { counts: { id: number; count: number }[] };
    expect(Object.fromEntries(counts.counts.map((c) => [c.id, c.count]))).toEqual({ [mine.id]: 2, [shared.id]: 2 });

    // The same name twice for one author is refused; another person may use it.
    await refused(app.dispatch('searches.create', { name: 'Rotte', filters: filters('x') }, giulia), 'searches.nameTaken');
    await app.dispatch('searches.create', { name: 'Rotte', filters: filters('rotte') }, luca);

    // Analysts keep personal searches, never shared ones.
    await app.dispatch('searches.create', { name: 'Mie', filters: filters('pistacchio') }, ale);
    await refused(app.dispatch('searches.create', { name: 'Tutti', shared: true, filters: filters('x') }, ale), 'searches.sharedNotAllowed');
  });

  it('only the author or an admin changes a shared search; someone else’s personal one does not exist', async () => {
    const { app, dataDir, admin, giulia, luca } = await team();
    const shared = (await app.dispatch('searches.create', { name: 'Reclami', shared: true, filters: filters('capsule') }, giulia)) as SavedSearch;
    const personal = (await app.dispatch('searches.create', { name: 'Solo mia', filters: filters('caffè') }, giulia)) as SavedSearch;

    await refused(app.dispatch('searches.update', { id: shared.id, name: 'Altro' }, luca), 'searches.notAllowed');
    await refused(app.dispatch('searches.delete', { id: shared.id }, luca), 'searches.notAllowed');
    await refused(app.dispatch('searches.delete', { id: personal.id }, luca), 'searches.notFound');
    await refused(app.dispatch('searches.delete', { id: personal.id }, admin), 'searches.notFound');

    const renamed = (await app.dispatch('searches.update', { id: shared.id, name: 'Reclami capsule' }, giulia)) as SavedSearch;
    expect(renamed.name).toBe('Reclami capsule');
    expect((await list(app, admin)).find((s) => s.id === shared.id)?.canChange).toBe(true);
    await app.dispatch('searches.delete', { id: shared.id }, admin);
    expect((await list(app, giulia)).map((s) => s.name)).toEqual(['Solo mia']);

    const rows = auditRows(dataDir, 'searches.');
    expect(rows.map((r) => r.action)).toEqual(['searches.create', 'searches.create', 'searches.update', 'searches.delete', 'searches.delete', 'searches.delete', 'searches.update', 'searches.delete']);
    expect(rows.every((r) => r.subject?.startsWith('search:'))).toBe(true);
  });

  it('refuses an empty or overlong name where it is typed', async () => {
    const { app, giulia } = await team();
    await expectApiError(app.dispatch('searches.create', { name: '   ', filters: filters('x') }, giulia), 'invalid');
    await expectApiError(app.dispatch('searches.create', { name: 'x'.repeat(81), filters: filters('x') }, giulia), 'invalid');
  });
});

describe('migration 026 (saved searches)', () => {
  it('adds the table to a database of the previous version, names unique per author', () => {
    const db = new Database(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    const idx = migrations.indexOf(savedSearches);
    expect(idx).toBe(migrations.length - 1);
    migrate(db, migrations.slice(0, idx));
    migrate(db);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const repo = new SavedSearchesRepo(db);
    const id = repo.insert({ ownerId: 1, ownerName: 'Giulia', name: 'Reclami', shared: true, filters: filters('capsule') }, 10);
    repo.insert({ ownerId: 2, ownerName: 'Luca', name: 'Reclami', shared: false, filters: filters('rotte') }, 10);
    expect(() => repo.insert({ ownerId: 1, ownerName: 'Giulia', name: 'Reclami', shared: false, filters: filters('x') }, 10)).toThrow(/UNIQUE/);
    expect(repo.visibleTo(3).map((r) => r.id)).toEqual([id]);
    // A damaged value reads as no filters rather than failing the list.
    db.prepare(`UPDATE saved_searches SET filters = '{"text": 5}' WHERE id = ?`).run(id);
    expect(repo.byId(id)?.filters.text).toBe('');
  });
});
