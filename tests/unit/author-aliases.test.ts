// Readable pseudonyms (issue #17, item 2): each author shows a stable alias per workspace
// ("Volpe-482"), drawn from a keyed hash of the stored pseudonym, never shared by two authors
// of a workspace; the hash stays the key. Raw handles only after an administrator turned them
// on with a legal basis (audited), erased when turned off.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoreApp } from '../../src/app/app';
import { AliasMaker, ALIAS_WORDS, AuthorAliases } from '../../src/core/ingest/author-alias';
import { openDatabase } from '../../src/core/store/db';
import { migrate, migrations, LATEST_SCHEMA_VERSION } from '../../src/core/store/migrations';
import { authorAliases } from '../../src/core/store/migrations/023_author_aliases';
import type { Mention } from '../../src/shared/schemas';
import { expectApiError, onClose, tempDir, testApp } from './support/core';

const ALIAS = /^[A-Z][a-z]+-\d{3,}$/;

describe('alias drawing', () => {
  it('is deterministic for a workspace key and differs between workspaces', () => {
    const a = new AliasMaker('a'.repeat(64));
    const again = new AliasMaker('a'.repeat(64));
    const other = new AliasMaker('b'.repeat(64));
    const keys = Array.from({ length: 200 }, (_, i) => i.toString(16).padStart(16, '0'));
    for (const k of keys) {
      expect(a.draw(k, 0)).toMatch(ALIAS);
      expect(again.draw(k, 0)).toBe(a.draw(k, 0));
    }
    const same = keys.filter((k) => a.draw(k, 0) === other.draw(k, 0)).length;
    expect(same).toBeLessThan(3);
    // A later draw is another alias (what a collision moves to), and still an alias.
    expect(a.draw(keys[0]!, 1)).not.toBe(a.draw(keys[0]!, 0));
    expect(ALIAS_WORDS.every((w) => /^[A-Z][a-z]+$/.test(w))).toBe(true);
    expect(new Set(ALIAS_WORDS).size).toBe(ALIAS_WORDS.length);
  });

  it('never gives two authors of a workspace the same alias, and keeps the first one’s', () => {
    const db = openDatabase(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    migrate(db);
    const secret = 'c'.repeat(64);
    const aliases = new AuthorAliases(db, () => secret);
    // 3,000 authors on a 90,000-alias space: collisions of the first draw are all but certain.
    const keys = Array.from({ length: 3_000 }, (_, i) => `k${i.toString(16).padStart(15, '0')}`);
    const maker = new AliasMaker(secret);
    const firstDraws = new Map<string, number>();
    for (const k of keys) firstDraws.set(maker.draw(k, 0), (firstDraws.get(maker.draw(k, 0)) ?? 0) + 1);
    expect([...firstDraws.values()].some((n) => n > 1)).toBe(true);

    const given = db.transaction(() => keys.map((k) => aliases.aliasOf(k)))();
    expect(new Set(given.map((a) => a.toLowerCase())).size).toBe(keys.length);
    // Stable: asked again (and by a fresh instance, as after a restart), the same answers.
    const fresh = new AuthorAliases(db, () => secret);
    expect(keys.map((k) => fresh.aliasOf(k))).toEqual(given);
    // The one who drew an alias first keeps it; the later one moved to another draw.
    const taken = maker.draw(keys[0]!, 0);
    expect(given[0]).toBe(taken);
    expect(fresh.keyOf(taken.toUpperCase())).toBe(keys[0]);
    expect(fresh.keyOf('Volpe')).toBeNull();
  });
});

describe('migration 023 (author aliases)', () => {
  it('adds the table to a database of the previous version; older authors get aliases at start', async () => {
    const dataDir = tempDir();
    const db = new Database(join(dataDir, 'vedetta.db'));
    const idx = migrations.indexOf(authorAliases);
    expect(idx).toBe(22);
    migrate(db, migrations.slice(0, idx));
    db.prepare(`INSERT INTO sources (kind, name, created_at) VALUES ('webhook', 'Forum', 1)`).run();
    const ins = db.prepare(`INSERT INTO mentions (source_id, dedup_key, content_hash, author_key, text, lang, published_at, fetched_at) VALUES (1, ?, 'h', ?, 'ciao', 'it', 1, 1)`);
    ins.run('d1', 'aaaaaaaaaaaaaaaa');
    ins.run('d2', 'aaaaaaaaaaaaaaaa');
    ins.run('d3', 'bbbbbbbbbbbbbbbb');
    db.close();
    const { app } = testApp({ dataDir });
    const admin = await setup(app);
    // The slice runs on the next turns of the loop.
    await new Promise((r) => setTimeout(r, 50));
    const page = (await app.dispatch('mentions.list', { query: {} }, admin)) as { items: Mention[] };
    expect(page.items).toHaveLength(3);
    const byKey = new Map(page.items.map((m) => [m.authorKey, m.authorAlias]));
    expect(byKey.get('aaaaaaaaaaaaaaaa')).toMatch(ALIAS);
    expect(byKey.get('bbbbbbbbbbbbbbbb')).toMatch(ALIAS);
    expect(byKey.get('aaaaaaaaaaaaaaaa')).not.toBe(byKey.get('bbbbbbbbbbbbbbbb'));
    expect(authorAliases.version).toBe(idx + 1);
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(authorAliases.version);
  });
});

async function setup(app: CoreApp): Promise<{ session: string }> {
  const grant = (await app.dispatch('auth.setup', { username: 'admin', displayName: 'Anna Rossi', password: 'una-password-lunga' }, { session: null })) as { token: string };
  return { session: grant.token };
}

async function signedIn(app: CoreApp, admin: { session: string }, role: string): Promise<{ session: string }> {
  const username = `u-${role}`;
  await app.dispatch('users.create', { username, displayName: `Persona ${role}`, password: `password-${username}`, roles: [role] }, admin);
  const s = (await app.dispatch('auth.signIn', { username, password: `password-${username}` }, { session: null })) as { token: string };
  return { session: s.token };
}

const post = (i: number, author: string, text = `Capsule Aurora numero ${i}`) => ({
  source: 'Forum Caffè', external_id: `p-${i}`, author, text, published_at: new Date(Date.UTC(2026, 10, 20, 10, i)).toISOString(), lang: 'it',
});

describe('the read path', () => {
  it('shows each author by alias everywhere a mention is read; the key stays the key; an alias searches the inbox', async () => {
    const { app } = testApp();
    const admin = await setup(app);
    const live: Mention[] = [];
    app.events.on('mentions.added', (e) => live.push(...e.items));
    app.ingestWebhook([post(1, 'mario'), post(2, 'lucia'), post(3, 'mario'), { ...post(4, 'mario'), thread_id: 'p-1' }, { ...post(5, ''), author: undefined }]);
    const analyst = await signedIn(app, admin, 'analyst');
    const page = (await app.dispatch('mentions.list', { query: {} }, analyst)) as { items: Mention[]; total: number };
    const mario = page.items.find((m) => m.externalId === 'p-1')!;
    const lucia = page.items.find((m) => m.externalId === 'p-2')!;
    expect(mario.authorAlias).toMatch(ALIAS);
    expect(lucia.authorAlias).toMatch(ALIAS);
    expect(mario.authorAlias).not.toBe(lucia.authorAlias);
    expect(mario.authorKey).toMatch(/^[0-9a-f]{16}$/);
    // No raw handle anywhere unless an administrator enabled them.
    expect(JSON.stringify(page)).not.toContain('mario');
    expect(page.items.find((m) => m.externalId === 'p-5')!.authorAlias).toBeNull();
    // The live event carries the same alias as a later read.
    expect(live.find((m) => m.externalId === 'p-1')!.authorAlias).toBe(mario.authorAlias);
    // The detail and its thread.
    const detail = (await app.dispatch('mentions.get', { id: mario.id }, analyst)) as { mention: Mention; thread: Mention[] };
    expect(detail.mention.authorAlias).toBe(mario.authorAlias);
    expect(detail.thread.map((m) => m.authorAlias)).toContain(mario.authorAlias);
    // Search by alias, any case: that author's mentions only.
    const found = (await app.dispatch('mentions.list', { query: { text: mario.authorAlias!.toLowerCase() } }, analyst)) as { items: Mention[]; total: number };
    expect(found.total).toBe(3);
    expect(new Set(found.items.map((m) => m.authorKey))).toEqual(new Set([mario.authorKey]));
    // An alias nobody has is searched as words (no match here), not an error.
    const none = (await app.dispatch('mentions.list', { query: { text: 'Zebra-999999' } }, analyst)) as { total: number };
    expect(none.total).toBe(0);
  });

  it('aliases differ between workspaces and survive a restart', async () => {
    const one = testApp();
    one.app.ingestWebhook([post(1, 'mario')]);
    const a1 = await aliasOf(one.app);
    one.app.close();
    const reopened = testApp({ dataDir: one.dataDir });
    expect(await aliasOf(reopened.app)).toBe(a1);
    const two = testApp();
    two.app.ingestWebhook([post(1, 'mario')]);
    expect(await aliasOf(two.app)).not.toBe(a1);
  });
});

async function aliasOf(app: CoreApp): Promise<string | null | undefined> {
  let admin: { session: string };
  try {
    admin = await setup(app);
  } catch {
    const s = (await app.dispatch('auth.signIn', { username: 'admin', password: 'una-password-lunga' }, { session: null })) as { token: string };
    admin = { session: s.token };
  }
  const page = (await app.dispatch('mentions.list', { query: {} }, admin)) as { items: Mention[] };
  return page.items[0]?.authorAlias;
}

describe('raw handles', () => {
  it('only an administrator turns them on, with a legal basis; audited; off erases them', async () => {
    const { app, dataDir } = testApp();
    const admin = await setup(app);
    const manager = await signedIn(app, admin, 'manager');
    await expectApiError(app.dispatch('settings.setAuthorHandles', { enabled: true, legalBasis: 'Legittimo interesse, art. 6(1)(f)' }, manager), 'forbidden');
    await expectApiError(app.dispatch('settings.setAuthorHandles', { enabled: true, legalBasis: 'boh' }, admin), 'invalid');
    await expectApiError(app.dispatch('settings.setAuthorHandles', { enabled: true }, admin), 'invalid');
    app.ingestWebhook([post(1, 'prima')]);
    const basis = 'Legittimo interesse, art. 6(1)(f) GDPR: gestione delle crisi';
    const s = (await app.dispatch('settings.setAuthorHandles', { enabled: true, legalBasis: basis }, admin)) as { authorHandles: { enabled: boolean; legalBasis: string; by: string } };
    expect(s.authorHandles).toMatchObject({ enabled: true, legalBasis: basis, by: 'Anna Rossi' });
    app.ingestWebhook([post(2, 'dopo')]);
    let page = (await app.dispatch('mentions.list', { query: {} }, manager)) as { items: Mention[] };
    // Kept from the moment they were enabled, never for what came before.
    expect(page.items.find((m) => m.externalId === 'p-2')!.authorHandle).toBe('dopo');
    expect(page.items.find((m) => m.externalId === 'p-1')!.authorHandle).toBeNull();
    await app.dispatch('settings.setAuthorHandles', { enabled: false }, admin);
    page = (await app.dispatch('mentions.list', { query: {} }, manager)) as { items: Mention[] };
    expect(page.items.every((m) => m.authorHandle === null)).toBe(true);
    expect(JSON.stringify(page)).not.toContain('dopo');
    app.close();
    const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
    onClose(() => db.close());
    const rows = db.prepare(`SELECT actor, subject, detail FROM audit_log WHERE action = 'settings.setAuthorHandles' ORDER BY id`).all() as { actor: string; subject: string; detail: string }[];
    expect(rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as unknown }))).toEqual([
      { actor: 'u-manager', subject: null, detail: { esito: 'rifiutato', motivo: 'access.forbidden', ruoliRichiesti: ['admin'] } },
      { actor: 'admin', subject: 'settings:authorHandles', detail: { enabled: true, legalBasis: basis } },
      { actor: 'admin', subject: 'settings:authorHandles', detail: { enabled: false, legalBasis: null, erased: 1 } },
    ]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM mentions WHERE author_name IS NOT NULL').get()).toEqual({ n: 0 });
  });
});
