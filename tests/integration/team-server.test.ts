// A team server (issue #16, item 1): HTTPS with the data folder's self-signed certificate,
// sessions by HttpOnly cookie (browsers) or Bearer (desktop, CLI), no per-run token, Host and
// Origin checked against the public URL, and an event socket that belongs to a session.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { generate } from 'selfsigned';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index';
import { loadTls, selfSignedTls, type TlsMaterial } from '../../src/server/tls';
import { ApiError } from '../../src/shared/contract';
import { vedetta } from './support/cli';
import { SESSION_COOKIE } from '../../src/server/team';
import { httpsJson, type HttpsAnswer } from '../support/https-json';
import { openTestApp, TEST_ADMIN } from './support/app';
import type { CoreApp } from '../../src/app/app';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

interface Team {
  app: CoreApp;
  server: RunningServer;
  tls: TlsMaterial;
  call(op: string, input: unknown, headers?: Record<string, string>): Promise<HttpsAnswer>;
}

async function team(publicUrl?: string): Promise<Team> {
  const t = openTestApp('browser');
  const tls = await selfSignedTls(t.dataDir, ['localhost', '127.0.0.1']);
  const server = await startServer({ app: t.app, port: 0, team: { tls, ...(publicUrl ? { publicUrl } : {}) }, webhookToken: 'wh-team-token' });
  closers.push(() => t.dispose(), () => server.close());
  // Requests go to the listening port whatever the public name (a proxy or DNS in real life).
  const local = `https://127.0.0.1:${server.port}`;
  const call = (op: string, input: unknown, headers: Record<string, string> = {}): Promise<HttpsAnswer> =>
    httpsJson(`${local}/api/v1/rpc/${op}`, { ca: tls.cert, body: input, headers });
  return { app: t.app, server, tls, call };
}

const cookieOf = (a: HttpsAnswer): string => {
  const set = a.headers['set-cookie'];
  const line = Array.isArray(set) ? set[0] : set;
  if (!line) throw new Error('no Set-Cookie');
  return line.split(';')[0] ?? '';
};
const errKey = (a: HttpsAnswer): unknown => (a.body as { error?: { key?: string } }).error?.key;

function socket(url: string, ca: string, headers: Record<string, string>): Promise<{ ws: WebSocket; heard: string[]; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^https/, 'wss') + '/api/v1/events', { ca, headers });
    const heard: string[] = [];
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.on('message', (d) => heard.push(String(d)));
    ws.on('open', () => resolve({ ws, heard, closed }));
    ws.on('error', reject);
    closers.push(() => ws.terminate());
  });
}

describe('a team server', () => {
  it('says who it is: public URL and the certificate fingerprint, also in app.info', async () => {
    const { server, tls, call } = await team();
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
    const id = await httpsJson(`${server.url}/api/v1/team`, { ca: tls.cert, method: 'GET' });
    expect(id.body).toEqual({ workspace: 'team', publicUrl: server.url, fingerprint: tls.fingerprint });
    expect(tls.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const info = await call('app.info', {});
    expect((info.body as { team: unknown }).team).toEqual({ publicUrl: server.url, fingerprint: tls.fingerprint, selfSigned: true });
    // No per-run token to trade on a team server.
    const open = await httpsJson(`${server.url}/api/v1/open`, { ca: tls.cert, body: { code: 'x' } });
    expect(open.status).toBe(404);
  });

  it('keeps its self-signed certificate: the second start presents the same fingerprint', async () => {
    const t = openTestApp('browser');
    closers.push(() => t.dispose());
    const first = await selfSignedTls(t.dataDir, ['localhost']);
    const again = await selfSignedTls(t.dataDir, ['localhost', 'vedetta.example.org']);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(again.uncovered).toEqual(['vedetta.example.org']);
    expect(statSync(join(t.dataDir, 'tls', 'self-signed.key')).mode & 0o077).toBe(0);
  });

  it('a browser signs in with a cookie its scripts never see; the cookie counts only from our own Origin', async () => {
    const { server, call } = await team();
    const origin = { origin: server.url };
    const setup = await call('auth.setup', TEST_ADMIN, origin);
    expect(setup.status).toBe(200);
    expect((setup.body as { token: string }).token).toBe('cookie');
    const line = String(([] as string[]).concat(setup.headers['set-cookie'] ?? [])[0]);
    expect(line).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{40,}; Max-Age=\\d+; Path=/; HttpOnly; Secure; SameSite=Strict$`));
    const cookie = cookieOf(setup);

    const mine = await call('auth.status', {}, { ...origin, cookie });
    expect((mine.body as { actor: { username: string } | null }).actor?.username).toBe(TEST_ADMIN.username);
    expect((await call('settings.get', {}, { ...origin, cookie })).status).toBe(200);
    // The same cookie without an Origin (not a page of ours) opens nothing…
    const bare = await call('settings.get', {}, { cookie });
    expect([bare.status, errKey(bare)]).toEqual([401, 'session.required']);
    // …and from another site it is refused outright.
    const foreign = await call('settings.get', {}, { origin: 'https://evil.example', cookie });
    expect([foreign.status, errKey(foreign)]).toEqual([403, 'server.originRefused']);
    // Plain http from a page is not our origin either.
    const http = await call('settings.get', {}, { origin: server.url.replace('https', 'http'), cookie });
    expect(http.status).toBe(403);

    // Signing out clears the cookie; replayed, the old one is an ended session.
    const out = await call('auth.signOut', {}, { ...origin, cookie });
    expect(String(([] as string[]).concat(out.headers['set-cookie'] ?? [])[0])).toMatch(new RegExp(`^${SESSION_COOKIE}=; Max-Age=0;`));
    const replay = await call('settings.get', {}, { ...origin, cookie });
    expect([replay.status, errKey(replay)]).toEqual([401, 'session.expired']);
  });

  it('the desktop app and scripts carry the session as Bearer, with no per-run token', async () => {
    const { call } = await team();
    const grant = (await call('auth.setup', TEST_ADMIN)).body as { token: string };
    expect(grant.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect((await call('settings.get', {}, { authorization: `Bearer ${grant.token}` })).status).toBe(200);
    const none = await call('settings.get', {});
    expect([none.status, errKey(none)]).toEqual([401, 'session.required']);
    const wrong = await call('settings.get', {}, { authorization: 'Bearer not-a-session' });
    expect([wrong.status, errKey(wrong)]).toEqual([401, 'session.expired']);
  });

  it('answers to its public name and refuses others (a DNS-rebound name, a foreign Host)', async () => {
    const { server, tls } = await team('https://vedetta.example.org');
    expect(server.url).toBe('https://vedetta.example.org');
    const at = (host: string, origin?: string): Promise<HttpsAnswer> =>
      httpsJson(`https://127.0.0.1:${server.port}/api/v1/rpc/auth.status`, { ca: tls.cert, servername: 'localhost', body: {}, headers: { host, ...(origin ? { origin } : {}) } });
    expect((await at('vedetta.example.org', 'https://vedetta.example.org')).status).toBe(200);
    expect((await at('vedetta.example.org:443')).status).toBe(200);
    const rebound = await at('evil.example');
    expect([rebound.status, errKey(rebound)]).toEqual([403, 'server.hostRefused']);
    const foreign = await at('vedetta.example.org', 'https://evil.example');
    expect([foreign.status, errKey(foreign)]).toEqual([403, 'server.originRefused']);
  });

  it('the event socket takes the session of its handshake, and is closed when the person is disabled', async () => {
    const { app, server, tls, call } = await team();
    const admin = (await call('auth.setup', TEST_ADMIN)).body as { token: string };
    await app.auth.createUser({ username: 'giulia', displayName: 'Giulia', password: 'password-di-giulia', roles: ['manager'] });
    const browser = await call('auth.signIn', { username: 'giulia', password: 'password-di-giulia' }, { origin: server.url });
    const giulia = await socket(server.url, tls.cert, { origin: server.url, cookie: cookieOf(browser) });
    const desktop = await socket(server.url, tls.cert, { authorization: `Bearer ${admin.token}` });
    const nobody = await socket(server.url, tls.cert, {});
    await expect.poll(() => giulia.heard).toContain('{"session":"ok"}');
    await expect.poll(() => desktop.heard).toContain('{"session":"ok"}');

    const pushed = await httpsJson(server.webhookUrl, { ca: tls.cert, headers: { authorization: 'Bearer wh-team-token' }, body: { source: 'Forum', external_id: 't-1', text: 'Menzione di prova' } });
    expect(pushed.status).toBe(202);
    await expect.poll(() => giulia.heard.some((m) => m.includes('"mentions.added"'))).toBe(true);
    await expect.poll(() => desktop.heard.some((m) => m.includes('"mentions.added"'))).toBe(true);
    expect(nobody.heard).toEqual([]);

    // The administrator disables Giulia: her open socket is closed at once, the others stay.
    const giuliaId = app.auth.list().find((u) => u.username === 'giulia')?.id ?? 0;
    expect((await call('users.update', { id: giuliaId, disabled: true }, { authorization: `Bearer ${admin.token}` })).status).toBe(200);
    expect(await giulia.closed).toBe(4401);
    expect(desktop.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('a foreign Origin cannot open the event socket', async () => {
    const { server, tls } = await team();
    await expect(socket(server.url, tls.cert, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });
});

describe('a wrong certificate is a clear message before the server starts', () => {
  const pem = async (days: number): Promise<{ cert: string; key: string }> => {
    const now = Date.now();
    const made = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      notBeforeDate: new Date(now - 2 * 86_400_000),
      notAfterDate: new Date(now + days * 86_400_000),
    });
    return { cert: made.cert, key: made.private };
  };
  const files = (t: { dataDir: string }, parts: Record<string, string>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [name, text] of Object.entries(parts)) writeFileSync((out[name] = join(t.dataDir, name)), text);
    return out;
  };

  it('missing, not PEM, a key of another certificate, expired', async () => {
    const t = openTestApp('browser');
    closers.push(() => t.dispose());
    const a = await pem(30);
    const b = await pem(30);
    const old = await pem(-1);
    const f = files(t, { 'a.crt': a.cert, 'a.key': a.key, 'b.key': b.key, 'old.crt': old.cert, 'old.key': old.key, 'text.crt': 'hello' });
    const refusal = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        return e instanceof ApiError ? `${e.key}: ${e.message}` : String(e);
      }
      return 'accepted';
    };
    expect(refusal(() => loadTls(f['a.crt'] ?? '', f['a.key'] ?? '')).toString()).toBe('accepted');
    expect(refusal(() => loadTls(join(t.dataDir, 'nope.crt'), f['a.key'] ?? ''))).toMatch(/^tls\.certUnreadable: Certificato illeggibile .*nope\.crt: ENOENT/);
    expect(refusal(() => loadTls(f['text.crt'] ?? '', f['a.key'] ?? ''))).toMatch(/^tls\.certInvalid: .*non è un certificato PEM/);
    expect(refusal(() => loadTls(f['a.crt'] ?? '', f['b.key'] ?? ''))).toMatch(/^tls\.keyMismatch: La chiave privata non corrisponde/);
    expect(refusal(() => loadTls(f['old.crt'] ?? '', f['old.key'] ?? ''))).toMatch(/^tls\.certExpired: .*è scaduto il \d{4}-\d\d-\d\d/);
  });

  it('vedetta serve: the network needs HTTPS, the pair goes together, the public URL is https', async () => {
    const t = openTestApp('browser');
    closers.push(() => t.dispose());
    const open = await vedetta(['serve', '--host', '0.0.0.0', '--port', '0', '--data', t.dataDir]);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/--host 0\.0\.0\.0: fuori da questo computer Vedetta parla solo HTTPS/);
    const half = await vedetta(['serve', '--tls-cert', 'x.crt', '--port', '0', '--data', t.dataDir]);
    expect([half.code, /--tls-cert e --tls-key vanno insieme/.test(half.stderr)]).toEqual([2, true]);
    const url = await vedetta(['serve', '--tls-self-signed', '--public-url', 'http://vedetta.example.org/app', '--port', '0', '--data', t.dataDir]);
    expect([url.code, /--public-url http:\/\/vedetta\.example\.org\/app: serve un indirizzo https/.test(url.stderr)]).toEqual([2, true]);
    const bad = await vedetta(['serve', '--tls-cert', join(t.dataDir, 'missing.crt'), '--tls-key', join(t.dataDir, 'missing.key'), '--port', '0', '--data', t.dataDir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Certificato illeggibile/);
    // Nothing was started: no certificate made, the folder still free.
    expect(existsSync(join(t.dataDir, 'tls'))).toBe(false);
  });
});

describe('events to many clients', () => {
  it('mentions arriving together reach a client in fewer frames, every one of them', async () => {
    const { server, tls, call } = await team();
    const admin = (await call('auth.setup', TEST_ADMIN)).body as { token: string };
    const s = await socket(server.url, tls.cert, { authorization: `Bearer ${admin.token}` });
    const ids = Array.from({ length: 30 }, (_, i) => `c-${i}`);
    // Sent one by one, as a webhook sender does, without waiting for each answer.
    const answers = await Promise.all(
      ids.map((id) => httpsJson(server.webhookUrl, { ca: tls.cert, headers: { authorization: 'Bearer wh-team-token' }, body: { source: 'Forum', external_id: id, text: `Menzione ${id}` } })),
    );
    expect(answers.every((a) => a.status === 202)).toBe(true);
    const added = (): { items: { externalId: string }[] }[] =>
      s.heard.map((m) => JSON.parse(m) as { event?: string; payload?: { items: { externalId: string }[] } }).flatMap((m) => (m.event === 'mentions.added' && m.payload ? [m.payload] : []));
    await expect.poll(() => added().flatMap((p) => p.items).length).toBe(30);
    expect(added().flatMap((p) => p.items.map((m) => m.externalId)).sort()).toEqual([...ids].sort());
    expect(added().length).toBeLessThan(30);
  });
});
