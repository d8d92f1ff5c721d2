// The desktop app's TeamClient against the real team server (startServer in team mode, with
// the data folder's self-signed certificate): sign-in by Bearer, live events on the pinned
// socket, a server restarted in the middle of an edit (the edit waits, is sent once the server
// is back, and is refused cleanly as stale because a colleague changed the draft meanwhile),
// and another certificate on the same address refused.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openApp, type CoreApp } from '../../src/app/app';
import { silentLogger } from '../../src/core/platform';
import { startServer, type RunningServer } from '../../src/server/index';
import { selfSignedTls, type TlsMaterial } from '../../src/server/tls';
import { probeTeam } from '../../src/main/team/probe';
import { TeamClient } from '../../src/main/team/team-client';
import { ApiError, type OpOutput } from '../../src/shared/contract';
import { resourcesDir, TEST_ADMIN, tempDir } from './support/app';
import { makeCert } from './support/fake-team-server';
import { rmSync } from 'node:fs';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

interface Running {
  app: CoreApp;
  server: RunningServer;
  tls: TlsMaterial;
}

async function up(dataDir: string, port = 0): Promise<Running> {
  const app = openApp({ platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'browser' });
  const tls = await selfSignedTls(dataDir, ['localhost', '127.0.0.1']);
  const server = await startServer({ app, port, team: { tls } });
  return { app, server, tls };
}
async function down(r: Running): Promise<void> {
  await r.server.close();
  r.app.close();
}

type Detail = OpOutput<'responses.get'>;

describe('the desktop client of a real team server', () => {
  it('signs in by Bearer, hears events, survives a restart mid-edit, and a stale edit is refused cleanly', async () => {
    const dataDir = tempDir();
    closers.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let srv = await up(dataDir);
    closers.push(() => down(srv).catch(() => {}));
    const port = srv.server.port;
    await srv.app.auth.setup(TEST_ADMIN);
    const colleague = await (async () => {
      const admin = (await srv.app.auth.signIn(TEST_ADMIN)).token;
      await srv.app.dispatch('users.create', { username: 'marco', displayName: 'Marco', password: 'password-di-marco', roles: ['manager'] }, { session: admin });
      await srv.app.dispatch('users.create', { username: 'giulia', displayName: 'Giulia', password: 'password-di-giulia', roles: ['manager'] }, { session: admin });
      return { username: 'marco', password: 'password-di-marco' };
    })();

    const c = new TeamClient({ url: `https://127.0.0.1:${port}`, pin: srv.tls.fingerprint, backoff: { firstMs: 100, maxMs: 500 } });
    closers.push(() => c.close());
    c.start();
    // Giulia, a social media manager, on her own desktop.
    const grant = (await c.dispatch('auth.signIn', { username: 'giulia', password: 'password-di-giulia' }, { session: null })) as { token: string };
    // A client without Origin gets the token itself (a browser would get the cookie).
    expect(grant.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const session = grant.token;
    await vi.waitFor(() => expect(c.listening()).toBe(true));

    // Live: a mention arriving at the server reaches the desktop over the pinned socket.
    const heard: number[] = [];
    c.events.on('mentions.added', ({ items }) => heard.push(...items.map((m) => m.id)));
    srv.app.ingestWebhook({ source: 'Forum', external_id: 'm-1', text: 'Capsule ammuffite, che schifo' });
    await vi.waitFor(() => expect(heard).toHaveLength(1), { timeout: 5_000 });
    const mentionId = heard[0]!;

    // The person drafts a response.
    const draft = (await c.dispatch('responses.create', { targetKind: 'mention', targetId: mentionId, channelId: null, text: 'Ci dispiace, scrivici in privato.' }, { session })) as Detail;
    const base = draft.currentVersion.id;

    // The server goes down while the person is editing; a colleague changes the draft meanwhile
    // (right after the restart, before the person's edit arrives).
    await down(srv);
    await vi.waitFor(() => expect(c.status().state).toBe('reconnecting'));
    let settled = false;
    const edit = c
      .dispatch('responses.edit', { id: draft.response.id, baseVersionId: base, text: 'Ci dispiace davvero: scrivici in privato il lotto.' }, { session })
      .finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);

    // Back on the same address, the same certificate (kept in the data folder), the same sessions.
    const app2 = openApp({ platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'browser' });
    const marco = (await app2.auth.signIn(colleague)).token;
    await app2.dispatch('responses.edit', { id: draft.response.id, baseVersionId: base, text: 'Versione di Marco.' }, { session: marco });
    const tls2 = await selfSignedTls(dataDir, ['localhost', '127.0.0.1']);
    expect(tls2.fingerprint).toBe(srv.tls.fingerprint);
    srv = { app: app2, server: await startServer({ app: app2, port, team: { tls: tls2 } }), tls: tls2 };

    // The waiting edit was sent once the server was back, and refused as stale: nothing merged silently.
    let refusal: unknown;
    try {
      await edit;
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ key: 'responses.editStale', code: 'conflict' });
    const now = (await c.dispatch('responses.get', { id: draft.response.id }, { session })) as Detail;
    expect(now.currentVersion.text).toBe('Versione di Marco.');
    expect(now.versions).toHaveLength(2);
    await vi.waitFor(() => expect(c.listening()).toBe(true), { timeout: 5_000 });

    // Events flow again after the restart.
    srv.app.ingestWebhook({ source: 'Forum', external_id: 'm-2', text: 'Ancora muffa' });
    await vi.waitFor(() => expect(heard).toHaveLength(2), { timeout: 5_000 });

    // An edit from the current version goes through.
    const ok = (await c.dispatch('responses.edit', { id: draft.response.id, baseVersionId: now.currentVersion.id, text: 'Testo concordato.' }, { session })) as Detail;
    expect(ok.currentVersion.text).toBe('Testo concordato.');

    // Signed out elsewhere ("esci ovunque"): the session is refused and the renderer is told.
    await srv.app.auth.signOut(session);
    await expect(c.dispatch('responses.get', { id: draft.response.id }, { session })).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('an address the server does not answer to (not its public name) is said so at the first look', async () => {
    const dataDir = tempDir();
    closers.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const app = openApp({ platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'browser' });
    const tls = await selfSignedTls(dataDir, ['vedetta.example.org']);
    const server = await startServer({ app, host: '0.0.0.0', port: 0, team: { tls, publicUrl: 'https://vedetta.example.org:4870' } });
    closers.push(async () => {
      await server.close();
      app.close();
    });
    // 127.0.0.2 reaches the server (all of 127/8 is this computer) under a name it does not answer to.
    await expect(probeTeam(`https://127.0.0.2:${server.port}`)).rejects.toMatchObject({ key: 'team.hostRefused', message: expect.stringMatching(/indirizzo pubblico/) as unknown });
  });

  it('a desktop pinned to the team server refuses another server on its address', async () => {
    const dataDir = tempDir();
    closers.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const srv = await up(dataDir);
    const port = srv.server.port;
    const pin = srv.tls.fingerprint;
    await srv.app.auth.setup(TEST_ADMIN);
    await down(srv);
    // Someone else listens on the address with a certificate of their own.
    const other = await makeCert();
    const app = openApp({ platform: { dataDir: tempDir(), resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'browser' });
    const impostor = await startServer({ app, port, team: { tls: { cert: other.cert, key: other.key, fingerprint: other.fingerprint, selfSigned: true } } });
    closers.push(async () => {
      await impostor.close();
      app.close();
    });
    const c = new TeamClient({ url: `https://127.0.0.1:${port}`, pin });
    closers.push(() => c.close());
    c.start();
    await expect(c.dispatch('auth.signIn', { username: TEST_ADMIN.username, password: TEST_ADMIN.password }, { session: null })).rejects.toMatchObject({
      key: 'team.pinMismatch',
      params: { pinned: pin, presented: other.fingerprint },
    });
    expect(c.status().state).toBe('pin-refused');
  });
});
