// Sign-in, sessions and permissions through core's real dispatcher on a real SQLite file.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { opNames } from '../../src/shared/contract';
import { OP_ACCESS } from '../../src/core/api/op-table';
import { hashPassword, verifyPassword } from '../../src/core/auth/password';
import { FIRST_WAIT_MS, FREE_ADDRESS_FAILURES, FREE_FAILURES, SESSION_IDLE_MS, SESSION_TTL_MS, tokenHash } from '../../src/core/auth/service';
import { openDatabase } from '../../src/core/store/db';
import { migrate, migrations } from '../../src/core/store/migrations';
import { AuditRepo } from '../../src/core/store/audit-repo';
import { DB_FILE } from '../../src/app/app';
import { fails, onClose, tempDir, testApp } from './support/core';

const ADMIN = { username: 'admin', displayName: 'Anna Admin', password: 'una-password-lunga' };
const SIGN_IN = { username: ADMIN.username, password: ADMIN.password };

/** An app whose clock the test moves. */
function clockApp() {
  let t = Date.UTC(2026, 10, 23, 9, 0);
  const { app, dataDir } = testApp({ now: () => t });
  return { app, dataDir, advance: (ms: number) => (t += ms) };
}

describe('passwords', { timeout: 30_000 }, () => {
  it('scrypt hashes verify the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});

describe('first run, sign-in, sessions', { timeout: 30_000 }, () => {
  it('auth.setup creates the first admin once; its session works through an adapter call', async () => {
    const { app } = testApp();
    const anon = { session: null };
    expect(await app.dispatch('auth.status', {}, anon)).toEqual({ needsSetup: true, actor: null });
    const grant = (await app.dispatch('auth.setup', ADMIN, anon)) as { token: string; actor: { roles: string[] } };
    expect(grant.actor).toMatchObject({ username: 'admin', displayName: 'Anna Admin', roles: ['admin'] });
    expect(Buffer.from(grant.token, 'base64url')).toHaveLength(32);
    expect(await app.dispatch('auth.status', {}, { session: grant.token })).toMatchObject({ needsSetup: false, actor: { username: 'admin' } });
    // A second setup is refused, whoever asks.
    expect((await fails(app.dispatch('auth.setup', { ...ADMIN, username: 'altro' }, anon))).code).toBe('conflict');
  });

  it('stores only the hash of a session token, never the password or the token in the audit', async () => {
    const { app, dataDir } = testApp();
    const grant = (await app.dispatch('auth.setup', ADMIN, { session: null })) as { token: string };
    const db = new Database(join(dataDir, DB_FILE), { readonly: true });
    onClose(() => db.close());
    const rows = db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[];
    expect(rows).toEqual([{ token_hash: tokenHash(grant.token) }]);
    const dump = JSON.stringify(db.prepare('SELECT * FROM audit_log').all()) + JSON.stringify(db.prepare('SELECT * FROM users').all());
    expect(dump).not.toContain(ADMIN.password);
    expect(dump).not.toContain(grant.token);
  });

  it('adapters without a valid session may call only the public ops; in-process calls act as the system', async () => {
    const { app } = testApp();
    await app.dispatch('auth.setup', ADMIN, { session: null });
    for (const session of [null, '', 'made-up-token']) {
      const err = await fails(app.dispatch('mentions.list', {}, { session }));
      expect(err.code).toBe('unauthorized');
      expect(err.message).toMatch(/entra con il tuo nome utente/);
    }
    expect(await app.dispatch('app.info', {}, { session: null })).toMatchObject({ version: expect.any(String) as unknown });
    // No caller at all: the trusted in-process path (CLI, bench, tests).
    expect(await app.dispatch('mentions.list', {})).toMatchObject({ total: 0 });
  });

  it("every op has an access rule; only status, setup, signIn, the demo's one-click sign-in and app.info are public", () => {
    expect(Object.keys(OP_ACCESS).sort()).toEqual([...opNames].sort());
    expect(opNames.filter((op) => OP_ACCESS[op] === 'public').sort()).toEqual(['app.info', 'auth.demoSignIn', 'auth.setup', 'auth.signIn', 'auth.status']);
  });

  it('analysts read everything and change nothing; editors change', async () => {
    const { app } = testApp();
    await app.auth.createUser({ username: 'ada', displayName: 'Ada Analista', password: 'password-analista', roles: ['analyst'] });
    await app.auth.createUser({ username: 'leo', displayName: 'Leo Legale', password: 'password-legale', roles: ['legal'] });
    const ada = (await app.dispatch('auth.signIn', { username: 'ada', password: 'password-analista' }, { session: null })) as { token: string };
    const leo = (await app.dispatch('auth.signIn', { username: 'LEO', password: 'password-legale' }, { session: null })) as { token: string };
    expect(await app.dispatch('sources.list', {}, { session: ada.token })).toEqual([]);
    expect(await app.dispatch('settings.get', {}, { session: ada.token })).toMatchObject({ locale: 'it' });
    const err = await fails(app.dispatch('settings.update', { theme: 'dark' }, { session: ada.token }));
    expect(err.code).toBe('forbidden');
    expect(err.message).toMatch(/ruolo/);
    expect(await app.dispatch('settings.get', {})).toMatchObject({ theme: 'system' });
    expect(await app.dispatch('settings.update', { theme: 'dark' }, { session: leo.token })).toMatchObject({ theme: 'dark' });
  });

  it('a wrong password is refused in Italian, and repeated failures are throttled', async () => {
    const { app, advance } = clockApp();
    await app.dispatch('auth.setup', ADMIN, { session: null });
    const wrong = () => app.dispatch('auth.signIn', { username: 'admin', password: 'sbagliata!!' }, { session: null });
    for (let i = 0; i < FREE_FAILURES; i++) expect((await fails(wrong())).message).toBe('Nome utente o password non corretti.');
    // Even the right password waits now: the throttle answers before the password is checked.
    const throttled = await fails(app.dispatch('auth.signIn', { username: 'admin', password: ADMIN.password }, { session: null }));
    expect(throttled.code).toBe('rate_limited');
    expect(throttled.message).toMatch(/riprova fra 30 secondi/);
    advance(FIRST_WAIT_MS + 1);
    expect(await app.dispatch('auth.signIn', { username: 'admin', password: ADMIN.password }, { session: null })).toMatchObject({ actor: { username: 'admin' } });
    // Unknown names get the same answer as wrong passwords.
    expect((await fails(app.dispatch('auth.signIn', { username: 'nessuno', password: 'qualsiasi' }, { session: null }))).message).toBe('Nome utente o password non corretti.');
  });

  it('failures from one address are throttled across names; another address is not; a success does not reset them', async () => {
    const { app, advance } = clockApp();
    await app.dispatch('auth.setup', ADMIN, { session: null });
    const from = (address: string, username: string, password = 'sbagliata!!') => app.dispatch('auth.signIn', { username, password }, { session: null, address });
    // One guess on many names: no name reaches its own limit, the address does.
    await from('203.0.113.7', 'admin', ADMIN.password);
    for (let i = 0; i < FREE_ADDRESS_FAILURES; i++) expect((await fails(from('203.0.113.7', `nome-${i}`))).key).toBe('auth.badCredentials');
    expect((await fails(from('203.0.113.7', 'admin', ADMIN.password))).key).toBe('auth.throttled');
    // The office next door is not slowed, and the account itself is not locked out.
    expect(await from('198.51.100.2', 'admin', ADMIN.password)).toMatchObject({ actor: { username: 'admin' } });
    advance(FIRST_WAIT_MS + 1);
    expect(await from('203.0.113.7', 'admin', ADMIN.password)).toMatchObject({ actor: { username: 'admin' } });
    // That success did not wipe the address's record: the next failure waits again, longer.
    await fails(from('203.0.113.7', 'nome-x'));
    expect((await fails(from('203.0.113.7', 'admin', ADMIN.password))).message).toMatch(/riprova fra 60 secondi/);
  });

  it('sessions expire after the idle limit and after their lifetime; sign-out ends one at once', async () => {
    const { app, advance } = clockApp();
    const g1 = (await app.dispatch('auth.setup', ADMIN, { session: null })) as { token: string };
    advance(SESSION_IDLE_MS + 1);
    expect((await fails(app.dispatch('settings.get', {}, { session: g1.token }))).code).toBe('unauthorized');

    const g2 = (await app.dispatch('auth.signIn', SIGN_IN, { session: null })) as { token: string };
    // Used every half idle-limit, it stays valid until its lifetime is over.
    let used = 0;
    while (used + SESSION_IDLE_MS / 2 < SESSION_TTL_MS) {
      advance(SESSION_IDLE_MS / 2);
      used += SESSION_IDLE_MS / 2;
      await app.dispatch('settings.get', {}, { session: g2.token });
    }
    advance(SESSION_TTL_MS - used);
    expect((await fails(app.dispatch('settings.get', {}, { session: g2.token }))).code).toBe('unauthorized');

    const g3 = (await app.dispatch('auth.signIn', SIGN_IN, { session: null })) as { token: string };
    await app.dispatch('auth.signOut', {}, { session: g3.token });
    expect((await fails(app.dispatch('settings.get', {}, { session: g3.token }))).code).toBe('unauthorized');
  });

  it('"esci ovunque": an administrator ends every session of a person; on oneself, all but the one asking', async () => {
    const { app, dataDir } = clockApp();
    const admin = (await app.dispatch('auth.setup', ADMIN, { session: null })) as { token: string; actor: { userId: number } };
    const giulia = (await app.dispatch('users.create', { username: 'giulia', displayName: 'Giulia', password: 'password-di-giulia', roles: ['manager'] }, { session: admin.token })) as { id: number };
    const signIn = async (): Promise<string> => ((await app.dispatch('auth.signIn', { username: 'giulia', password: 'password-di-giulia' }, { session: null })) as { token: string }).token;
    const laptop = await signIn();
    const phone = await signIn();
    expect(await app.dispatch('users.signOutEverywhere', { id: giulia.id }, { session: admin.token })).toEqual({ ended: 2 });
    for (const s of [laptop, phone]) expect((await fails(app.dispatch('settings.get', {}, { session: s }))).key).toBe('session.expired');
    // Only administrators may; a manager is refused, and nothing ends.
    const again = await signIn();
    expect((await fails(app.dispatch('users.signOutEverywhere', { id: giulia.id }, { session: again }))).key).toBe('access.forbidden');
    await app.dispatch('settings.get', {}, { session: again });
    // On oneself: the other sessions end, this one goes on.
    const elsewhere = ((await app.dispatch('auth.signIn', SIGN_IN, { session: null })) as { token: string }).token;
    expect(await app.dispatch('users.signOutEverywhere', { id: admin.actor.userId }, { session: admin.token })).toEqual({ ended: 1 });
    expect((await fails(app.dispatch('settings.get', {}, { session: elsewhere }))).key).toBe('session.expired');
    await app.dispatch('settings.get', {}, { session: admin.token });
    await expect(app.dispatch('users.signOutEverywhere', { id: 999 }, { session: admin.token })).rejects.toMatchObject({ code: 'not_found' });
    app.close();
    const db = new Database(join(dataDir, DB_FILE), { readonly: true });
    const rows = db.prepare("SELECT actor, subject, detail FROM audit_log WHERE action = 'users.signOutEverywhere' AND detail NOT LIKE '%rifiutato%' AND detail NOT LIKE '%fallito%' ORDER BY id").all();
    db.close();
    expect(rows).toEqual([
      { actor: 'admin', subject: 'user:giulia', detail: JSON.stringify({ sessioni: 2 }) },
      { actor: 'admin', subject: 'user:admin', detail: JSON.stringify({ sessioni: 1 }) },
    ]);
  });

  it('settings changes are audited with the person and their roles, and the chain verifies', async () => {
    const { app } = testApp();
    const g = (await app.dispatch('auth.setup', ADMIN, { session: null })) as { token: string; actor: { userId: number } };
    await app.dispatch('settings.update', { theme: 'dark' }, { session: g.token });
    await app.dispatch('settings.update', { locale: 'en' });
    expect(app.auditService.verify()).toMatchObject({ ok: true, entries: 3 });
    expect(app.auditService.mentionsUser(g.actor.userId)).toBe(true);
  });
});

describe('migration 008 (auth) on a database built by the earlier migrations', { timeout: 30_000 }, () => {
  it('keeps old audit rows verifiable, and new rows cover user, roles and content hash', () => {
    const file = join(tempDir(), 'v.db');
    const db = new Database(file);
    const auth = migrations.find((m) => m.name === 'auth')!;
    migrate(db, migrations.filter((m) => m.version < auth.version));
    // A row written the old way (before people existed), hashed by the old formula.
    db.close();
    // Write an old-style row through the real old schema by hand: same hash formula as before.
    const raw = new Database(file);

    const prev = '0'.repeat(64);
    const hash = createHash('sha256').update(JSON.stringify([prev, 1000, 'local', 'sources.add', 'source:1', '{}'])).digest('hex');
    raw.prepare('INSERT INTO audit_log (at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(1000, 'local', 'sources.add', 'source:1', '{}', prev, hash);
    raw.close();

    const upgraded = openDatabase(file);
    onClose(() => upgraded.close());
    const repo = new AuditRepo(upgraded);
    expect(repo.verify()).toEqual({ ok: true, entries: 1 });
    repo.append({ actor: 'anna', userId: 7, roles: ['legal'], action: 'responses.approve', subject: 'response:1', contentHash: 'c'.repeat(64) }, 2000);
    expect(repo.verify()).toEqual({ ok: true, entries: 2 });
    // Changing who acted breaks the chain at that row.
    upgraded.prepare("UPDATE audit_log SET roles = '[\"admin\"]' WHERE id = 2").run();
    expect(repo.verify()).toMatchObject({ ok: false, brokenAt: 2, brokenRow: { id: 2, action: 'responses.approve' } });
    expect(repo.mentionsUser(7)).toBe(true);
  });
});
