// The desktop app's client of a team workspace against real TLS servers on 127.0.0.1: the
// certificate pinned at first use is the only one accepted, over HTTPS and on the event
// WebSocket, and nothing is sent to a server presenting another; the link comes back by itself
// with a capped backoff and events flow again; a call made while the server is down is sent
// once it is back; a session the server ended reaches the renderer's sign-in flow.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTestTls } from './support/test-ca';
import { probeTeam } from '../../src/main/team/probe';
import { TeamClient } from '../../src/main/team/team-client';
import { ApiError } from '../../src/shared/contract';
import type { TeamStatus } from '../../src/shared/workspace';
import { makeCert, startFakeTeam, type FakeTeam, type TestCert } from './support/fake-team-server';
import { startFreezingProxy } from './support/freezing-proxy';

let certA: TestCert;
let certB: TestCert;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  [certA, certB] = await Promise.all([makeCert(), makeCert()]);
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(cert: TestCert, port = 0): Promise<FakeTeam> {
  const s = await startFakeTeam(cert, port);
  cleanups.push(() => s.close());
  return s;
}

function client(url: string, pin: string | null, extra: Partial<ConstructorParameters<typeof TeamClient>[0]> = {}): { c: TeamClient; statuses: TeamStatus[]; ended: number[] } {
  const statuses: TeamStatus[] = [];
  const ended: number[] = [];
  const c = new TeamClient({
    url,
    pin,
    backoff: { firstMs: 50, maxMs: 400 },
    connectTimeoutMs: 2_000,
    onStatus: (s) => statuses.push(s),
    onSessionEnded: () => ended.push(1),
    ...extra,
  });
  cleanups.push(() => c.close());
  c.start();
  return { c, statuses, ended };
}

describe('first use', () => {
  it('reads the fingerprint the server presents, without sending anything secret', async () => {
    const s = await server(certA);
    const probe = await probeTeam(s.url);
    expect(probe).toMatchObject({ url: s.url, fingerprint: certA.fingerprint, announced: certA.fingerprint, publiclyTrusted: false });
    expect(s.calls).toEqual([]);
  });

  it('refuses what is not a team server, and addresses that are not https', async () => {
    await expect(probeTeam('http://192.168.1.20:4870')).rejects.toMatchObject({ key: 'team.badUrl' });
    await expect(probeTeam('https://127.0.0.1:1')).rejects.toMatchObject({ key: 'team.tlsFailed' });
    const s = await server(certA);
    // Same TLS, but the address answers something else than a team server's description.
    const probe = probeTeam(s.url, { path: '/api/v1/nothing' });
    await expect(probe).rejects.toMatchObject({ key: 'team.notTeam' });
  });
});

describe('a client pinned to one certificate', () => {
  it('works with the server that presents it: calls carry the Bearer session and no Origin', async () => {
    const s = await server(certA);
    const { c } = client(s.url, certA.fingerprint);
    const status = await c.dispatch('auth.status', {}, { session: 'tok-giulia' });
    expect(status).toMatchObject({ actor: { username: 'giulia' } });
    expect(s.calls[0]).toMatchObject({ op: 'auth.status', authorization: 'Bearer tok-giulia', origin: null });
    await vi.waitFor(() => expect(c.status().state).toBe('online'));
    // The event socket opened with the session at the handshake.
    expect(s.upgrades).toEqual(['Bearer tok-giulia']);
  });

  it('refuses another server with another certificate on the same address, over HTTPS and on the socket, naming both fingerprints', async () => {
    const first = await server(certA);
    const port = first.port;
    const { c, statuses } = client(first.url, certA.fingerprint);
    await c.dispatch('auth.status', {}, { session: 'tok-giulia' });
    await vi.waitFor(() => expect(first.sockets()).toHaveLength(1));

    // The server is replaced by one presenting certificate B on the same address.
    await first.close();
    const impostor = await server(certB, port);
    let refusal: unknown;
    try {
      await c.dispatch('auth.status', {}, { session: 'tok-giulia' });
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(ApiError);
    const err = refusal as ApiError;
    expect(err.key).toBe('team.pinMismatch');
    expect(err.message).toContain(certA.fingerprint);
    expect(err.message).toContain(certB.fingerprint);
    expect(err.message).toMatch(/amministratore/);
    expect(err.message).toMatch(/vedetta serve/);
    // Nothing reached the impostor: no call, no socket, no session token.
    expect(impostor.calls).toEqual([]);
    expect(impostor.upgrades).toEqual([]);
    expect(c.status()).toMatchObject({ state: 'pin-refused', pinned: certA.fingerprint, presented: certB.fingerprint });
    expect(statuses.at(-1)?.state).toBe('pin-refused');
    // And it stays refused: no silent retry, even when asked again.
    await c.retry();
    expect(c.status().state).toBe('pin-refused');
    await expect(c.dispatch('auth.status', {}, { session: 'tok-giulia' })).rejects.toMatchObject({ key: 'team.pinMismatch' });
    expect(impostor.calls).toEqual([]);
  });

  it('refuses the other certificate on the event socket too, where the link is first noticed', async () => {
    const first = await server(certA);
    const { c } = client(first.url, certA.fingerprint);
    await c.dispatch('auth.status', {}, { session: 'tok-giulia' });
    await vi.waitFor(() => expect(first.sockets()).toHaveLength(1));
    const port = first.port;
    await first.close();
    // The socket drops; the reconnection meets certificate B, and stops there.
    const impostor = await server(certB, port);
    await vi.waitFor(() => expect(c.status().state).toBe('pin-refused'), { timeout: 5_000 });
    expect(impostor.upgrades).toEqual([]);
    expect(impostor.calls).toEqual([]);
  });

  it('refuses a server whose first answer already comes with another certificate', async () => {
    const s = await server(certB);
    const { c } = client(s.url, certA.fingerprint);
    await vi.waitFor(() => expect(c.status().state).toBe('pin-refused'));
    await expect(c.dispatch('auth.signIn', { username: 'giulia', password: 'x' }, { session: null })).rejects.toMatchObject({ key: 'team.pinMismatch' });
    expect(s.calls).toEqual([]);
  });
});

describe('the pin wins', () => {
  it('over a certificate the system trusts: a change to another trusted certificate is refused all the same', async () => {
    const repo = join(import.meta.dirname, '../..');
    // One authority this child trusts as the system's own, two servers it vouches for.
    const [a, b] = [makeTestTls(['localhost']), makeTestTls(['localhost'])];
    const dir = mkdtempSync(join(tmpdir(), 'vedetta-ca-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'cas.pem'), `${a.ca}\n${b.ca}`);
    const asCert = (t: { key: string; cert: string }): TestCert => ({ key: t.key, cert: t.cert, fingerprint: new X509Certificate(t.cert).fingerprint256 });
    const first = await server(asCert(a));
    const run = async (url: string, pin: string): Promise<{ publiclyTrusted: boolean; fingerprint: string; refused: string | null }> => {
      const { stdout } = await promisify(execFile)(process.execPath, [join(repo, 'bin/tsx.mjs'), join(repo, 'tests/integration/support/pin-child.ts'), url, pin], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cas.pem') },
        cwd: repo,
      });
      return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { publiclyTrusted: boolean; fingerprint: string; refused: string | null };
    };
    const pin = asCert(a).fingerprint;
    // localhost: the name the authority signed (an address would not match it).
    const url = first.url.replace('127.0.0.1', 'localhost');
    expect(await run(url, pin)).toEqual({ publiclyTrusted: true, fingerprint: pin, refused: null });
    const port = first.port;
    await first.close();
    const other = await server(asCert(b), port);
    const after = await run(url, pin);
    // Valid for the system, but not the pinned one: refused, and nothing reached it but the first look.
    expect(after).toMatchObject({ publiclyTrusted: true, refused: 'team.pinMismatch' });
    expect(other.calls).toEqual([]);
  });
});

describe('the link drops and comes back', () => {
  it('reconnects with a capped backoff, shows "reconnecting", and events flow again', async () => {
    const s1 = await server(certA);
    const port = s1.port;
    const { c, statuses } = client(s1.url, certA.fingerprint);
    const got: unknown[] = [];
    c.events.on('sources.changed', (p) => got.push(p));
    await c.dispatch('auth.status', {}, { session: 'tok-giulia' });
    await vi.waitFor(() => expect(s1.sockets()).toHaveLength(1));
    s1.emit('sources.changed', {});
    await vi.waitFor(() => expect(got).toHaveLength(1));

    await s1.close();
    await vi.waitFor(() => expect(c.status().state).toBe('reconnecting'));
    // Several tries while it is away, their waits doubling up to the cap.
    await vi.waitFor(() => expect(c.status().attempt).toBeGreaterThanOrEqual(5), { timeout: 5_000 });
    const waits = statuses.filter((x) => x.state === 'reconnecting' && x.retryInMs !== null).map((x) => x.retryInMs!);
    expect(waits.slice(0, 4)).toEqual([50, 100, 200, 400]);
    expect(Math.max(...waits)).toBe(400);

    const s2 = await server(certA, port);
    await vi.waitFor(() => expect(c.status().state).toBe('online'), { timeout: 5_000 });
    await vi.waitFor(() => expect(s2.sockets()).toHaveLength(1));
    s2.emit('sources.changed', {});
    await vi.waitFor(() => expect(got).toHaveLength(2));
    expect(c.status()).toMatchObject({ attempt: 0, retryInMs: null });
  });

  it('a link that goes silent without closing (a lid shut, a network changed) is noticed by itself and comes back', async () => {
    const s = await startFakeTeam(certA, 0, { pingMs: 100 });
    cleanups.push(() => s.close());
    const proxy = await startFreezingProxy(s.port);
    cleanups.push(() => proxy.close());
    const { c } = client(`https://127.0.0.1:${proxy.port}`, certA.fingerprint, { silenceMs: 600, connectTimeoutMs: 500 });
    const got: unknown[] = [];
    c.events.on('sources.changed', (p) => got.push(p));
    await c.dispatch('auth.status', {}, { session: 'tok-giulia' });
    await vi.waitFor(() => expect(c.listening()).toBe(true));
    // Pings keep a quiet but healthy link "online".
    await new Promise((r) => setTimeout(r, 900));
    expect(c.status().state).toBe('online');

    proxy.freeze();
    await vi.waitFor(() => expect(c.status().state).toBe('reconnecting'), { timeout: 3_000 });
    proxy.thaw();
    await vi.waitFor(() => expect(c.listening()).toBe(true), { timeout: 5_000 });
    expect(c.status().state).toBe('online');
    s.emit('sources.changed', {});
    await vi.waitFor(() => expect(got).toHaveLength(1));
  });

  it('a call made while the server is down waits, is sent once it is back, and its answer delivered', async () => {
    const s1 = await server(certA);
    const port = s1.port;
    const { c } = client(s1.url, certA.fingerprint);
    await c.dispatch('auth.status', {}, { session: 'tok-giulia' });
    await s1.close();
    await vi.waitFor(() => expect(c.status().state).toBe('reconnecting'));

    let settled = false;
    const pending = c.dispatch('auth.signOut', {}, { session: 'tok-giulia' }).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);

    const s2 = await server(certA, port);
    s2.handlers.set('auth.signOut', () => ({ status: 200, body: { ok: true } }));
    await expect(pending).resolves.toEqual({ ok: true });
    expect(s2.calls.filter((x) => x.op === 'auth.signOut')).toHaveLength(1);
  });

  it('a call gives up after its bounded wait, saying nothing was sent', async () => {
    const s1 = await server(certA);
    const { c } = client(s1.url, certA.fingerprint, { waitForLinkMs: 400 });
    await c.dispatch('auth.status', {}, { session: null });
    await s1.close();
    await expect(c.dispatch('auth.signOut', {}, { session: 'tok-giulia' })).rejects.toMatchObject({ key: 'team.unreachable' });
  });

  it('a call whose answer is lost is not sent again (it may have been applied)', async () => {
    const s = await server(certA);
    const { c } = client(s.url, certA.fingerprint);
    s.handlers.set('auth.signOut', () => {
      // The server dies between reading the call and answering.
      void s.close();
      return { status: 200, body: { ok: true } };
    });
    await expect(c.dispatch('auth.signOut', {}, { session: 'tok-giulia' })).rejects.toMatchObject({ key: 'team.outcomeUnknown' });
    expect(s.calls.filter((x) => x.op === 'auth.signOut')).toHaveLength(1);
  });
});

describe('clocks', () => {
  it("a server whose clock runs 10 minutes ahead (its fresh certificate not yet valid by this computer's clock) is reached by its pin", async () => {
    const ahead = await makeCert({ notBeforeDate: new Date(Date.now() + 10 * 60_000) });
    const s = await server(ahead);
    const probe = await probeTeam(s.url);
    expect(probe.fingerprint).toBe(ahead.fingerprint);
    const { c } = client(s.url, ahead.fingerprint);
    await expect(c.dispatch('auth.status', {}, { session: 'tok-giulia' })).resolves.toMatchObject({ actor: { username: 'giulia' } });
    await vi.waitFor(() => expect(c.listening()).toBe(true));
  });
});

describe('sessions', () => {
  it('a session the server ended closes the socket with 4401 and is told to the renderer', async () => {
    const s = await server(certA);
    const { c, ended } = client(s.url, certA.fingerprint);
    await c.dispatch('auth.status', {}, { session: 'tok-giulia' });
    await vi.waitFor(() => expect(s.sockets()).toHaveLength(1));
    s.endSession('tok-giulia');
    await vi.waitFor(() => expect(ended).toHaveLength(1));
    // The next call gets the server's own refusal, which the renderer's sign-in flow reads.
    await expect(c.dispatch('auth.signOut', {}, { session: 'tok-giulia' })).rejects.toMatchObject({ key: 'session.expired', code: 'unauthorized' });
    // The link itself is fine.
    expect(c.status().state).toBe('online');
  });

  it('answers that break the contract are refused, not passed on', async () => {
    const s = await server(certA);
    s.handlers.set('auth.status', () => ({ status: 200, body: { needsSetup: 'yes' } }));
    const { c } = client(s.url, certA.fingerprint);
    await expect(c.dispatch('auth.status', {}, { session: null })).rejects.toMatchObject({ key: 'transport.badResponse' });
  });
});
