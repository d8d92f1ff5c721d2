// Owned accounts (issue #14 item 2): migration 015 on a store built by the real earlier
// migrations, the input schema's Italian errors, and the one resolver that says which brand owns
// a mention or a thread — from declared sources, thread ids, post URLs and handles (compared
// through the workspace's author pseudonyms) — on a real SQLite store through the real ingest.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idsInUrl, looksOwnedBy, ownedIdentity, urlKey } from '../../src/core/perimeters/owned';
import type { PerimetersService } from '../../src/core/perimeters/service';
import { migrate, migrations } from '../../src/core/store/migrations';
import { ownedAccounts } from '../../src/core/store/migrations/015_owned_accounts';
import { OwnedAccountInputSchema, type OwnedAccount } from '../../src/shared/perimeters';
import { describeZodError } from '../../src/shared/contract';
import type { Mention } from '../../src/shared/schemas';
import { fails, onClose, tempDir, testApp, testPlatform } from './support/core';
import { openApp } from '../../src/app/app';

type App = ReturnType<typeof testApp>['app'];
const T0 = Date.parse('2026-11-20T08:00:00Z');
const at = (s: number): string => new Date(T0 + s * 1_000).toISOString();

const perimetersOf = (app: App): PerimetersService => (app as unknown as { perimeters: PerimetersService }).perimeters;

async function mentions(app: App): Promise<Map<string, Mention>> {
  const page = (await app.dispatch('mentions.list', { limit: 500 })) as { items: Mention[] };
  return new Map(page.items.map((m) => [m.externalId ?? '', m]));
}

function ownerOf(app: App, m: Mention | undefined): number | null {
  if (!m) throw new Error('mention not stored');
  return perimetersOf(app).owned.ownerOf({ sourceName: m.sourceName, threadId: m.threadId, authorKey: m.authorKey, url: m.url });
}

describe('migration 015 owned_accounts', () => {
  it('adds the table to a store built by migrations 1–14 and declares the sources the "@brand" convention made the brand\'s own', async () => {
    const dir = tempDir();
    const file = join(dir, 'vedetta.db');
    const db = new Database(file);
    const idx = migrations.indexOf(ownedAccounts);
    expect(ownedAccounts.version).toBe(15);
    expect(idx).toBe(14);
    migrate(db, migrations.slice(0, idx));
    db.prepare("INSERT INTO brands (id, name, created_at) VALUES (1, 'Caffè Aurora', 1), (2, 'Borealis', 1)").run();
    db.prepare(`INSERT INTO sources (id, kind, name, created_at, item_count) VALUES
      (1, 'webhook', 'Instagram @caffeaurora', 1, 40), (2, 'webhook', 'Reddit r/italy', 1, 9),
      (3, 'import', 'Instagram @caffeaurora', 1, 2), (4, 'webhook', 'X @Borealis_IT', 1, 3), (5, 'webhook', 'Forum @bo', 1, 1)`).run();
    db.prepare(`INSERT INTO mentions (source_id, dedup_key, content_hash, text, published_at, fetched_at) VALUES (1, 'k1', 'h1', 'Ciao', 1, 1)`).run();
    expect(migrate(db)).toEqual(migrations.filter((m) => m.version >= 15).map((m) => m.version));
    const cols = (db.prepare('PRAGMA table_info(owned_accounts)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(['id', 'brand_id', 'type', 'value', 'platform', 'identity', 'created_at']);
    // One row per account (the name under two kinds is one source), the brand's handle found
    // after "@" as before ("Borealis" → "borealis" in "@borealis_it"; "@bo" is not it).
    expect(db.prepare('SELECT brand_id, type, value, platform FROM owned_accounts ORDER BY id').all()).toEqual([
      { brand_id: 1, type: 'source', value: 'Instagram @caffeaurora', platform: null },
      { brand_id: 2, type: 'source', value: 'X @Borealis_IT', platform: null },
    ]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM mentions').get()).toEqual({ n: 1 });
    db.close();

    // The app reads what the migration wrote as declared accounts: listed, counted, not doubled.
    const app = openApp({ platform: testPlatform(dir), mode: 'browser' });
    onClose(() => app.close());
    const list = (await app.dispatch('perimeters.list', {})) as { owned: OwnedAccount[] };
    expect(list.owned.map((o) => o.value)).toEqual(['Instagram @caffeaurora', 'X @Borealis_IT']);
    const dup = await fails(app.dispatch('perimeters.ownedAdd', { brandId: 1, type: 'source', value: 'instagram @CAFFEAURORA' }));
    expect(dup.message).toBe('«Instagram @caffeaurora» è già tra gli account propri di «Caffè Aurora».');
  });
});

describe('the input schema', () => {
  const err = (input: Record<string, unknown>): string[] => {
    const r = OwnedAccountInputSchema.safeParse({ brandId: 1, ...input });
    return r.success ? [] : describeZodError(r.error, 'it');
  };
  it('accepts each kind of account and refuses bad ones with an Italian reason on the field', () => {
    expect(err({ type: 'source', value: 'Instagram @caffeaurora' })).toEqual([]);
    expect(err({ type: 'handle', value: '@caffeaurora', platform: 'Instagram' })).toEqual([]);
    expect(err({ type: 'handle', value: '@caffeaurora@mastodon.uno' })).toEqual([]);
    expect(err({ type: 'thread', value: 'ig-post-8841' })).toEqual([]);
    expect(err({ type: 'url', value: 'https://www.instagram.com/p/ig-post-8841/' })).toEqual([]);
    expect(err({ type: 'source', value: '   ' })).toEqual(["value: scrivi l'account: il nome della fonte, l'handle, l'id o il link"]);
    expect(err({ type: 'handle', value: '@caffè aurora' })).toEqual(['value: un handle è @nome, senza spazi (per Mastodon @nome@istanza)']);
    expect(err({ type: 'handle', value: 'https://instagram.com/caffeaurora' })).toEqual(['value: questo è un link: scegli il tipo «URL»']);
    expect(err({ type: 'thread', value: 'post 8841' })).toEqual(['value: un id di thread o di post non contiene spazi']);
    expect(err({ type: 'url', value: 'instagram.com/p/1' })).toEqual(['value: serve un link completo, come https://www.instagram.com/p/…']);
    expect(err({ type: 'url', value: 'javascript:alert(1)' })).toEqual(['value: serve un link completo, come https://www.instagram.com/p/…']);
    expect(err({ type: 'thread', value: 'x1', platform: 'Instagram' })).toEqual(['platform: la piattaforma si indica solo per un handle']);
    expect(err({ type: 'source', value: 'x'.repeat(121) })).toEqual(['value: nome della fonte troppo lungo (al massimo 120 caratteri)']);
    expect(OwnedAccountInputSchema.safeParse({ brandId: 1, type: 'account', value: 'x' }).success).toBe(false);
  });

  it('one identity per account: case, accents, a leading "@", tracking parameters and a trailing slash do not make a new one', () => {
    expect(ownedIdentity('source', ' Instagram  @CaffèAurora ', null)).toBe(ownedIdentity('source', 'instagram @caffeaurora', null));
    expect(ownedIdentity('handle', 'CaffeAurora', 'Instagram')).toBe(ownedIdentity('handle', '@caffeaurora', 'instagram'));
    expect(ownedIdentity('handle', '@caffeaurora', 'Instagram')).not.toBe(ownedIdentity('handle', '@caffeaurora', 'X'));
    expect(ownedIdentity('url', 'https://www.instagram.com/p/ABC1/?igshid=zz', null)).toBe(ownedIdentity('url', 'http://instagram.com/p/ABC1', null));
    expect(urlKey('https://www.reddit.com/r/italy/comments/abc123/titolo/?utm_source=x#c')).toBe('reddit.com/r/italy/comments/abc123/titolo');
    expect(idsInUrl('https://www.instagram.com/p/ig-post-8841/')).toEqual(['ig-post-8841']);
    expect(idsInUrl('https://www.reddit.com/r/italy/comments/abc123/titolo/')).toEqual(['abc123']);
    expect(idsInUrl('https://mastodon.uno/@caffeaurora/110000000000000001')).toEqual(['110000000000000001']);
    expect(looksOwnedBy('Instagram @caffeaurora', 'Caffè Aurora')).toBe(true);
    expect(looksOwnedBy('Reddit r/caffeaurora', 'Caffè Aurora')).toBe(false);
  });
});

describe('the resolver', () => {
  async function setup() {
    const { app, dataDir } = testApp({ now: () => Date.parse('2026-11-20T12:00:00Z') });
    const aurora = (await app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    const borealis = (await app.dispatch('perimeters.brandCreate', { name: 'Borealis' })) as { id: number };
    return { app, dataDir, aurora: aurora.id, borealis: borealis.id };
  }

  it('a source merely named "… @brand" is nobody\'s until declared; declared, all its threads are the brand\'s (case and accents ignored)', async () => {
    const { app, aurora } = await setup();
    app.ingestWebhook([
      { source: 'Instagram @caffeaurora', external_id: 'c1', thread_id: 'ig-post-1', author: 'anna', text: 'Che buono', published_at: at(1) },
      { source: 'Reddit r/italy', external_id: 'r1', author: 'anna', text: 'Aurora è buono', published_at: at(2) },
    ]);
    let m = await mentions(app);
    expect(ownerOf(app, m.get('c1'))).toBeNull();
    expect(perimetersOf(app).owned.threadOwner('Instagram @caffeaurora', 'ig-post-1')).toBeNull();
    const sugg = (await app.dispatch('perimeters.ownedSuggestions', {})) as { items: unknown[] };
    expect(sugg.items).toEqual([{ brandId: aurora, type: 'source', value: 'Instagram @caffeaurora', count: 1 }]);

    await app.dispatch('perimeters.ownedAdd', { brandId: aurora, type: 'source', value: 'INSTAGRAM @CaffèAurora' });
    m = await mentions(app);
    expect(ownerOf(app, m.get('c1'))).toBe(aurora);
    expect(perimetersOf(app).owned.threadOwner('Instagram @caffeaurora', 'ig-post-1')).toBe(aurora);
    expect(ownerOf(app, m.get('r1'))).toBeNull();
    expect(((await app.dispatch('perimeters.ownedSuggestions', {})) as { items: unknown[] }).items).toEqual([]);
  });

  it('a thread id, and a post URL (its page, the comments beneath it, and the id it spells on the same site)', async () => {
    const { app, aurora, borealis } = await setup();
    await app.dispatch('perimeters.ownedAdd', { brandId: aurora, type: 'thread', value: 'IG-POST-8841' });
    await app.dispatch('perimeters.ownedAdd', { brandId: aurora, type: 'url', value: 'https://www.reddit.com/r/italy/comments/abc123/nuova_crema/' });
    await app.dispatch('perimeters.ownedAdd', { brandId: borealis, type: 'url', value: 'https://www.instagram.com/p/CxBoreal1/?igshid=zz' });
    app.ingestWebhook([
      { source: 'Instagram', external_id: 'i1', thread_id: 'ig-post-8841', text: 'Vergogna', published_at: at(1) },
      { source: 'Instagram', external_id: 'i2', thread_id: 'ig-post-9999', text: 'Altro post', published_at: at(2) },
      { source: 'Reddit r/italy', external_id: 'r1', url: 'https://www.reddit.com/r/italy/comments/abc123/nuova_crema/kx9/?utm_source=share', text: 'Un commento', published_at: at(3) },
      { source: 'Reddit r/italy', external_id: 'r2', url: 'https://www.reddit.com/r/italy/comments/abc1234/altro/', text: 'Un altro post', published_at: at(4) },
      { source: 'Instagram', external_id: 'i3', url: 'https://www.instagram.com/p/zz9/', thread_id: 'cxboreal1', text: 'Sotto il post di Borealis', published_at: at(5) },
      { source: 'Forum', external_id: 'f1', url: 'https://forum.example/t/cxboreal1', thread_id: 'CxBoreal1', text: 'Stesso id, altro sito', published_at: at(6) },
    ]);
    const m = await mentions(app);
    expect(ownerOf(app, m.get('i1'))).toBe(aurora);
    expect(ownerOf(app, m.get('i2'))).toBeNull();
    expect(ownerOf(app, m.get('r1'))).toBe(aurora);
    expect(ownerOf(app, m.get('r2'))).toBeNull();
    expect(ownerOf(app, m.get('i3'))).toBe(borealis);
    expect(ownerOf(app, m.get('f1'))).toBeNull();
  });

  it('a handle, compared through the author pseudonyms: the brand\'s posts, and the threads its posts opened; the platform narrows the sources', async () => {
    const { app, aurora, borealis } = await setup();
    await app.dispatch('perimeters.ownedAdd', { brandId: aurora, type: 'handle', value: 'caffeaurora', platform: 'Instagram' });
    await app.dispatch('perimeters.ownedAdd', { brandId: borealis, type: 'handle', value: '@borealis@mastodon.example' });
    app.ingestWebhook([
      { source: 'Instagram Aurora', external_id: 'p1', author: 'caffeaurora', text: 'Nuova crema!', published_at: at(1) },
      { source: 'Instagram Aurora', external_id: 'c1', thread_id: 'p1', author: 'anna', text: 'Che bella', published_at: at(2) },
      { source: 'Instagram Aurora', external_id: 'c2', thread_id: 'p9', author: 'bruno', text: 'Altro post', published_at: at(3) },
      { source: 'Reddit r/italy', external_id: 'r1', author: 'caffeaurora', text: 'Omonimo su Reddit', published_at: at(4) },
      // A reply stored before the post it answers: its thread is the brand's once the post arrives.
      { source: 'Mastodon #caffè', external_id: 'm2', thread_id: 'm1', author: 'carla@mastodon.example', text: 'Risposta', published_at: at(5) },
    ]);
    let m = await mentions(app);
    // Nothing of the raw name is stored: only the keyed pseudonym.
    expect(m.get('p1')!.authorKey).toMatch(/^[0-9a-f]{16}$/);
    expect(ownerOf(app, m.get('p1'))).toBe(aurora);
    expect(ownerOf(app, m.get('c1'))).toBe(aurora);
    expect(perimetersOf(app).owned.threadOwner('Instagram Aurora', 'p1')).toBe(aurora);
    expect(ownerOf(app, m.get('c2'))).toBeNull();
    expect(ownerOf(app, m.get('r1'))).toBeNull();
    expect(ownerOf(app, m.get('m2'))).toBeNull();
    app.ingestWebhook([
      { source: 'Mastodon #caffè', external_id: 'm1', thread_id: 'm1', author: 'borealis@mastodon.example', text: 'Il nostro post', published_at: at(6) },
    ]);
    m = await mentions(app);
    expect(ownerOf(app, m.get('m1'))).toBe(borealis);
    expect(ownerOf(app, m.get('m2'))).toBe(borealis);
  });

  it('duplicates are refused in Italian (for this brand or another), a removal is audited and undoes the ownership, every edit is announced', async () => {
    const { app, aurora, borealis } = await setup();
    const changed: string[] = [];
    app.events.subscribe((e) => {
      if (e === 'perimeters.changed') changed.push(e);
    });
    const a = (await app.dispatch('perimeters.ownedAdd', { brandId: aurora, type: 'handle', value: 'caffeaurora', platform: 'Instagram' })) as OwnedAccount;
    expect(a).toMatchObject({ brandId: aurora, type: 'handle', value: '@caffeaurora', platform: 'Instagram' });
    expect(changed).toHaveLength(1);
    const same = await fails(app.dispatch('perimeters.ownedAdd', { brandId: aurora, type: 'handle', value: '@CaffeAurora', platform: 'instagram' }));
    expect(same).toMatchObject({ code: 'conflict', message: '«@caffeaurora» è già tra gli account propri di «Caffè Aurora».' });
    const other = await fails(app.dispatch('perimeters.ownedAdd', { brandId: borealis, type: 'handle', value: '@caffeaurora', platform: 'Instagram' }));
    expect(other.message).toBe('«@caffeaurora» è già tra gli account propri di «Caffè Aurora»: un account appartiene a un solo brand.');
    expect((await fails(app.dispatch('perimeters.ownedAdd', { brandId: 999, type: 'thread', value: 'x1' }))).message).toBe('Brand 999 non trovato: scegli un brand esistente.');
    const bad = await fails(app.dispatch('perimeters.ownedAdd', { brandId: aurora, type: 'url', value: 'non è un link' }));
    expect(bad).toMatchObject({ code: 'invalid', details: [{ text: 'value: serve un link completo, come https://www.instagram.com/p/…', path: 'value' }] });

    app.ingestWebhook([{ source: 'Instagram', external_id: 'p1', author: 'caffeaurora', text: 'Nuova crema!', published_at: at(1) }]);
    expect(ownerOf(app, (await mentions(app)).get('p1'))).toBe(aurora);
    await app.dispatch('perimeters.ownedDelete', { id: a.id });
    expect(ownerOf(app, (await mentions(app)).get('p1'))).toBeNull();
    expect((await fails(app.dispatch('perimeters.ownedDelete', { id: a.id }))).code).toBe('not_found');

    const audit = (await app.dispatch('audit.list', { filter: {} })) as { items: { action: string; subject: string; detail: string }[] };
    const rows = audit.items.filter((i) => i.action.startsWith('perimeters.owned')).reverse();
    // The refused duplicates, the unknown brand and the second removal are there as failed attempts.
    const failed = rows.filter((i) => (JSON.parse(i.detail) as { esito?: string }).esito === 'fallito');
    expect(failed.map((i) => i.action)).toEqual(['perimeters.ownedAdd', 'perimeters.ownedAdd', 'perimeters.ownedAdd', 'perimeters.ownedDelete']);
    const owned = rows.filter((i) => !failed.includes(i));
    expect(owned.map((i) => [i.action, i.subject, JSON.parse(i.detail)])).toEqual([
      ['perimeters.ownedAdd', `owned:${a.id}`, { brandId: aurora, type: 'handle', value: '@caffeaurora', platform: 'Instagram' }],
      ['perimeters.ownedDelete', `owned:${a.id}`, { brandId: aurora, type: 'handle', value: '@caffeaurora', platform: 'Instagram' }],
    ]);
    // Deleting the brand takes its accounts with it.
    await app.dispatch('perimeters.ownedAdd', { brandId: borealis, type: 'thread', value: 'b1' });
    await app.dispatch('perimeters.brandDelete', { id: borealis });
    expect(((await app.dispatch('perimeters.list', {})) as { owned: OwnedAccount[] }).owned).toEqual([]);
  });

  it('analysts read the list and the suggestions but may not change them', async () => {
    const { app, aurora } = await setup();
    await app.auth.createUser({ username: 'anna', displayName: 'Anna', password: 'password-di-anna-1', roles: ['analyst'] });
    const session = ((await app.dispatch('auth.signIn', { username: 'anna', password: 'password-di-anna-1' }, { session: null })) as { token: string }).token;
    await expect(app.dispatch('perimeters.ownedAdd', { brandId: aurora, type: 'thread', value: 'x1' }, { session })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(app.dispatch('perimeters.ownedSuggestions', {}, { session })).resolves.toEqual({ items: [] });
  });
});
