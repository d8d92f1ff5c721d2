// The HTTP + WebSocket server's edges: tokens, Host/Origin checks, bad and oversized
// bodies, the webhook's answers, static files and their headers. Real server, real SQLite.
import { request } from 'node:http';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CoreApp } from '../../src/app/app';
import { startServer, type RunningServer } from '../../src/server/index';
import { CODE_FRAGMENT, EVENTS_PATH, OPEN_PATH, RPC_PREFIX, WEBHOOK_MENTIONS_PATH, WEBHOOK_METRICS_PATH, WS_SESSION_ENDED } from '../../src/shared/transport/http-paths';
import { LIMITS } from '../../src/shared/schemas';
import { FREE_ADDRESS_FAILURES } from '../../src/core/auth/service';
import { adminSession, openTestApp, tempDir } from './support/app';

const TOKEN = 'ui-token-server-test';
const WEBHOOK_TOKEN = 'webhook-token-server-test';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

/** node:http, not fetch: fetch will not let us forge Host or send a raw `..` path. */
function raw(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { host: `127.0.0.1:${port}`, ...opts.headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
        });
        res.on('error', reject);
      },
    );
    // The server may close early (413, 401) while we are still sending: that is the point.
    req.on('error', (e) => reject(e));
    if (opts.chunks) {
      const chunks = [...opts.chunks];
      const pump = (): void => {
        let chunk: Buffer | undefined;
        while ((chunk = chunks.shift())) {
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    } else {
      req.end(opts.body);
    }
  });
}

/** The admin's session of the current test's app: rpc calls carry it as the UI does. */
let session = '';
const auth = (t: string): Record<string, string> => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json', 'x-vedetta-session': session });

const mention = (i: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  source: 'Server test',
  external_id: `st-${i}`,
  text: `Menzione ${i}`,
  published_at: '2026-11-20T10:00:00Z',
  ...extra,
});

describe('HTTP server', () => {
  let app: CoreApp;
  let dispose: () => void;
  let server: RunningServer;
  let staticDir: string;
  let outside: string;

  beforeEach(async () => {
    const t = openTestApp('browser');
    app = t.app;
    dispose = t.dispose;
    session = await adminSession(app);
    // A stand-in renderer build next to a file that must never be served.
    outside = tempDir('vedetta-static-');
    staticDir = join(outside, 'renderer');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Vedetta</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("ok")');
    writeFileSync(join(outside, 'secret.txt'), 'TOP-SECRET');
    server = await startServer({ app, port: 0, token: TOKEN, webhookToken: WEBHOOK_TOKEN, staticDir });
  });

  afterEach(async () => {
    await server.close();
    dispose();
    rmSync(outside, { recursive: true, force: true });
  });

  const count = async (): Promise<number> => ((await app.dispatch('app.info', {})) as { mentionCount: number }).mentionCount;
  const rpc = (op: string, body: unknown, headers: Record<string, string> = auth(TOKEN)) =>
    raw(server.port, { method: 'POST', path: `${RPC_PREFIX}${op}`, headers, body: JSON.stringify(body) });
  const webhook = (body: string | Buffer, token = WEBHOOK_TOKEN) =>
    raw(server.port, { method: 'POST', path: WEBHOOK_MENTIONS_PATH, headers: auth(token), body });

  describe('tokens', () => {
    it('rpc without or with a wrong token is 401', async () => {
      const none = await rpc('app.info', {}, { 'content-type': 'application/json' });
      expect(none.status).toBe(401);
      expect(none.json()).toMatchObject({ error: { code: 'unauthorized' } });
      expect((await rpc('app.info', {}, auth('wrong'))).status).toBe(401);
      // The webhook token is not a UI token.
      expect((await rpc('app.info', {}, auth(WEBHOOK_TOKEN))).status).toBe(401);
      expect((await rpc('app.info', {})).status).toBe(200);
    });

    it('webhook without or with a wrong token is 401 and stores nothing', async () => {
      const body = JSON.stringify(mention(1));
      expect((await raw(server.port, { method: 'POST', path: WEBHOOK_MENTIONS_PATH, body })).status).toBe(401);
      expect((await webhook(body, 'wrong')).status).toBe(401);
      expect((await webhook(body, TOKEN)).status).toBe(401);
      expect(await count()).toBe(0);
    });

    it('WebSocket without or with a wrong token is refused with 401', async () => {
      const status = (url: string, options: WebSocket.ClientOptions = {}) =>
        new Promise<number>((resolve, reject) => {
          const ws = new WebSocket(url, options);
          ws.on('unexpected-response', (_req, res) => {
            resolve(res.statusCode ?? 0);
            ws.terminate();
          });
          ws.on('open', () => {
            ws.close();
            resolve(101);
          });
          ws.on('error', (e) => {
            if (!/Unexpected server response/.test(String(e))) reject(e);
          });
        });
      const base = `ws://127.0.0.1:${server.port}${EVENTS_PATH}`;
      expect(await status(base)).toBe(401);
      expect(await status(`${base}?token=wrong`)).toBe(401);
      expect(await status(`${base}?token=${TOKEN}`, { origin: 'http://evil.example' })).toBe(403);
      expect(await status(`${base}?token=${TOKEN}`, { headers: { host: `evil.example:${server.port}` } })).toBe(403);
      expect(await status(`${base}?token=${TOKEN}`, { origin: server.url })).toBe(101);
    });
  });

  describe('one-time open codes', () => {
    const open = (code: unknown, headers: Record<string, string> = { 'content-type': 'application/json', origin: server.url }) =>
      raw(server.port, { method: 'POST', path: OPEN_PATH, headers, body: JSON.stringify({ code }) });
    const codeOf = (url: string): string => new URLSearchParams(url.split('#')[1] ?? '').get(CODE_FRAGMENT) ?? '';

    it('a code is traded once for the per-run token; the address carries the code, not the token', async () => {
      const url = server.openUrl();
      expect(url).toMatch(new RegExp(`^${server.url}/#${CODE_FRAGMENT}=[\\w-]{20,}$`));
      expect(url).not.toContain(TOKEN);
      const first = await open(codeOf(url));
      expect(first.status).toBe(200);
      expect(first.json()).toEqual({ token: TOKEN });
      expect(first.headers['cache-control']).toBe('no-store');
      const again = await open(codeOf(url));
      expect(again.status).toBe(401);
      expect(again.json()).toMatchObject({ error: { code: 'unauthorized', message: expect.stringMatching(/una volta sola/) } });
    });

    it('unknown, malformed and cross-origin trades are refused, and spend nothing', async () => {
      const code = codeOf(server.openUrl());
      expect((await open('x'.repeat(32))).status).toBe(401);
      expect((await open(12)).status).toBe(401);
      expect((await open(code, { 'content-type': 'application/json', origin: 'http://evil.example' })).status).toBe(403);
      expect((await raw(server.port, { method: 'GET', path: OPEN_PATH })).status).toBe(405);
      expect((await raw(server.port, { method: 'POST', path: OPEN_PATH, headers: { origin: server.url }, body: 'x'.repeat(5000) })).status).toBe(413);
      // The refused attempts did not spend the real code.
      expect((await open(code)).status).toBe(200);
    });
  });

  describe('startServer options: open codes', () => {
    it('a code past its time opens nothing', async () => {
      let now = 1_000_000;
      const t = openTestApp('browser');
      const s = await startServer({ app: t.app, port: 0, token: 'ui-expiry', webhookToken: 'wh-expiry', now: () => now });
      try {
        const code = new URLSearchParams(s.openUrl(60_000).split('#')[1]).get(CODE_FRAGMENT) ?? '';
        now += 60_001;
        const r = await raw(s.port, { method: 'POST', path: OPEN_PATH, headers: { origin: s.url }, body: JSON.stringify({ code }) });
        expect(r.status).toBe(401);
      } finally {
        await s.close();
        t.dispose();
      }
    });
  });

  describe('Host and Origin', () => {
    it('a foreign Host header is 403 (DNS rebinding), localhost is fine', async () => {
      const evil = { host: `evil.example:${server.port}` };
      expect((await raw(server.port, { path: '/', headers: evil })).status).toBe(403);
      expect((await rpc('app.info', {}, { ...auth(TOKEN), ...evil })).status).toBe(403);
      expect((await raw(server.port, { method: 'POST', path: WEBHOOK_MENTIONS_PATH, headers: { ...auth(WEBHOOK_TOKEN), ...evil }, body: '{}' })).status).toBe(403);
      expect((await rpc('app.info', {}, { ...auth(TOKEN), host: `localhost:${server.port}` })).status).toBe(200);
      expect((await raw(server.port, { path: '/', headers: { host: `127.0.0.1:${server.port + 1}` } })).status).toBe(403);
    });

    it('a foreign Origin on rpc is 403, our own origin is fine', async () => {
      expect((await rpc('app.info', {}, { ...auth(TOKEN), origin: 'http://evil.example' })).status).toBe(403);
      expect((await rpc('app.info', {}, { ...auth(TOKEN), origin: 'null' })).status).toBe(403);
      expect((await rpc('app.info', {}, { ...auth(TOKEN), origin: `http://localhost:${server.port + 1}` })).status).toBe(403);
      expect((await rpc('app.info', {}, { ...auth(TOKEN), origin: server.url })).status).toBe(200);
    });
  });

  describe('bad bodies', () => {
    it('malformed JSON is 400 with a message, nothing stored', async () => {
      const res = await webhook('[{"source": "x", "text": "ciao"');
      expect(res.status).toBe(400);
      const body = res.json() as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid');
      expect(body.error.message).toMatch(/JSON non valido/);
      expect(await count()).toBe(0);

      const r2 = await raw(server.port, { method: 'POST', path: `${RPC_PREFIX}settings.update`, headers: auth(TOKEN), body: '{locale:' });
      expect(r2.status).toBe(400);
      expect((r2.json() as { error: { message: string } }).error.message).toMatch(/JSON non valido/);
    });

    it('a body that is not an object or array, or an empty array, is 400', async () => {
      expect((await webhook('"ciao"')).status).toBe(400);
      expect((await webhook('42')).status).toBe(400);
      expect((await webhook('[]')).status).toBe(400);
      expect((await webhook('')).status).toBe(400);
      expect(await count()).toBe(0);
    });

    it('an oversized webhook body is 413, declared or streamed, nothing stored', async () => {
      const big = Buffer.alloc(LIMITS.webhookBodyBytes + 1024, 0x20);
      const declared = await webhook(big);
      expect(declared.status).toBe(413);
      expect(declared.json()).toMatchObject({ error: { code: 'too_large' } });

      // Chunked: no Content-Length, so the server must count bytes as they arrive.
      const chunks = Array.from({ length: 12 }, () => Buffer.alloc(512 * 1024, 0x20));
      const streamed = await raw(server.port, {
        method: 'POST',
        path: WEBHOOK_MENTIONS_PATH,
        headers: { ...auth(WEBHOOK_TOKEN), 'transfer-encoding': 'chunked' },
        chunks,
      }).catch((e: Error) => ({ status: -1, text: e.message }));
      // Either we read the 413, or the server cut the upload short after answering it.
      expect([413, -1]).toContain(streamed.status);
      expect(await count()).toBe(0);
      // And the server keeps serving.
      expect((await rpc('app.info', {})).status).toBe(200);
    });

    it('an oversized rpc body is 413', async () => {
      const res = await rpc('settings.update', { locale: 'it', pad: 'x'.repeat(2 * 1024 * 1024) });
      expect(res.status).toBe(413);
    });

    it('a GET on rpc or webhook is 405; an unknown API path is 404', async () => {
      expect((await raw(server.port, { path: `${RPC_PREFIX}app.info`, headers: auth(TOKEN) })).status).toBe(405);
      expect((await raw(server.port, { path: WEBHOOK_MENTIONS_PATH, headers: auth(WEBHOOK_TOKEN) })).status).toBe(405);
      expect((await raw(server.port, { path: '/api/v1/nope', headers: auth(TOKEN) })).status).toBe(404);
    });
  });

  describe('webhook', () => {
    it('answers 202 with accepted, duplicates and rejected; re-sending stores nothing twice', async () => {
      const batch = [mention(1), mention(2), { source: 'Server test', external_id: 'bad' }, mention(3)];
      const first = await webhook(JSON.stringify(batch));
      expect(first.status).toBe(202);
      const r1 = first.json() as { accepted: number; duplicates: number; rejected: { index: number; reason: string }[]; ids: number[] };
      expect(r1.accepted).toBe(3);
      expect(r1.duplicates).toBe(0);
      expect(r1.rejected).toHaveLength(1);
      expect(r1.rejected[0]!.index).toBe(2);
      expect(r1.rejected[0]!.reason.length).toBeGreaterThan(0);
      expect(r1.ids).toHaveLength(3);
      expect(await count()).toBe(3);

      const again = await webhook(JSON.stringify(batch));
      expect(again.status).toBe(202);
      expect(again.json()).toMatchObject({ accepted: 0, duplicates: 3 });
      expect(await count()).toBe(3);
    });

    it('a single object is accepted too', async () => {
      const res = await webhook(JSON.stringify(mention(7)));
      expect(res.status).toBe(202);
      expect(res.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
    });

    it('a batch where every item is invalid is 400 with the reasons, nothing stored', async () => {
      const res = await webhook(JSON.stringify([{ text: 'senza fonte' }, { source: 'x' }]));
      expect(res.status).toBe(400);
      const body = res.json() as { error: { code: string; details: unknown[] }; rejected: unknown[] };
      expect(body.error.code).toBe('invalid');
      expect(body.error.details).toHaveLength(2);
      expect(body.rejected).toHaveLength(2);
      expect(await count()).toBe(0);
    });

    it('stores script and HTML in a mention as inert text', async () => {
      const text = '<script>alert("pwn")</script>Capsule <b>rotte</b>!';
      const res = await webhook(JSON.stringify(mention(9, { text })));
      expect(res.status).toBe(202);
      const id = (res.json() as { ids: number[] }).ids[0];
      const got = await rpc('mentions.get', { id });
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toMatch(/^application\/json/);
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      const stored = (got.json() as { mention: { text: string } }).mention.text;
      // Core keeps mentions as plain text: the words survive, markup and script do not.
      expect(stored).toContain('Capsule');
      expect(stored).toContain('rotte');
      expect(stored).not.toMatch(/<script|<b>|alert/);
    });

    it("a key made in Impostazioni opens both webhooks; rotated, its old token is refused at once; each use is the key's in the audit", async () => {
      const made = (await rpc('webhooks.create', { name: 'Zapier' })).json() as { key: { id: number }; token: string };
      const metrics = (body: unknown, token: string) =>
        raw(server.port, { method: 'POST', path: WEBHOOK_METRICS_PATH, headers: auth(token), body: JSON.stringify(body) });
      expect((await webhook(JSON.stringify(mention(11)), made.token)).status).toBe(202);
      expect((await webhook(JSON.stringify([mention(11), mention(12)]), made.token)).json()).toMatchObject({ accepted: 1, duplicates: 1 });
      const content = { key: 'nl-dicembre', channel: 'newsletter', title: 'Newsletter di dicembre' };
      const point = { content: 'nl-dicembre', metric: 'views', value: 10, time: '2026-12-01T09:00:00+01:00' };
      const m = await metrics({ content: [content], points: [point] }, made.token);
      expect(m.status, m.text).toBe(202);
      // The key fixed at start (VEDETTA_WEBHOOK_TOKEN) still works beside it.
      expect((await webhook(JSON.stringify(mention(13)))).status).toBe(202);

      const rotated = (await rpc('webhooks.rotate', { id: made.key.id })).json() as { token: string };
      expect((await webhook(JSON.stringify(mention(14)), made.token)).status).toBe(401);
      expect((await metrics({ points: [point] }, made.token)).status).toBe(401);
      expect((await webhook(JSON.stringify(mention(14)), rotated.token)).status).toBe(202);
      await rpc('webhooks.remove', { id: made.key.id });
      expect((await webhook(JSON.stringify(mention(15)), rotated.token)).status).toBe(401);
      expect(await count()).toBe(4);

      app.webhooks.flush();
      const log = (await rpc('audit.list', { filter: { action: 'webhook' }, limit: 50 })).json() as { items: { actor: string; action: string; detail: string }[] };
      const rows = log.items.map((r) => ({ actor: r.actor, action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
      expect(rows).toEqual(
        expect.arrayContaining([
          { actor: 'webhook Zapier', action: 'webhook.mentions', detail: expect.objectContaining({ richieste: 3, accettati: 3, duplicati: 1 }) },
          { actor: 'webhook Zapier', action: 'webhook.metrics', detail: expect.objectContaining({ richieste: 1 }) },
          { actor: 'webhook VEDETTA_WEBHOOK_TOKEN', action: 'webhook.mentions', detail: expect.objectContaining({ richieste: 1, accettati: 1 }) },
          { actor: 'webhook ?', action: 'webhook.mentions', detail: expect.objectContaining({ esito: 'rifiutato', richieste: 2 }) },
          { actor: 'webhook ?', action: 'webhook.metrics', detail: expect.objectContaining({ esito: 'rifiutato', richieste: 1 }) },
        ]),
      );
      // No token in the log, whole or in part beyond its last four characters.
      expect(JSON.stringify(log)).not.toContain(made.token.slice(6, 20));
      expect(JSON.stringify(log)).not.toContain(rotated.token.slice(6, 20));
    });

    it('sign-in failures are counted per address too: many names guessed from one peer are slowed', async () => {
      const signIn = (username: string) => rpc('auth.signIn', { username, password: 'una-password-sbagliata' });
      for (let i = 0; i < FREE_ADDRESS_FAILURES; i++) expect((await signIn(`nome-${i}`)).status).toBe(401);
      const slowed = await signIn('ancora-un-altro');
      expect(slowed.status).toBe(429);
      expect(slowed.json()).toMatchObject({ error: { key: 'auth.throttled' } });
    });

    it('tells core its URL, which app.info reports', async () => {
      expect(server.webhookUrl).toBe(`${server.url}${WEBHOOK_MENTIONS_PATH}`);
      const info = (await rpc('app.info', {})).json() as { webhookUrl: string };
      expect(info.webhookUrl).toBe(server.webhookUrl);
    });
  });

  describe('static files', () => {
    it('index.html carries a strict CSP and is never cached', async () => {
      for (const path of ['/', '/index.html']) {
        const res = await raw(server.port, { path });
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        const csp = String(res.headers['content-security-policy']);
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toContain('unsafe-inline');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['cache-control']).toBe('no-store');
      }
      const js = await raw(server.port, { path: '/assets/app.js' });
      expect(js.status).toBe(200);
      expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect((await raw(server.port, { path: '/nope.js' })).status).toBe(404);
    });

    it('refuses path traversal', async () => {
      for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00', '/assets/%2e%2e/%2e%2e/secret.txt']) {
        const res = await raw(server.port, { path });
        expect([400, 404], path).toContain(res.status);
        expect(res.text).not.toContain('TOP-SECRET');
      }
    });

    it('HEAD works and other methods are refused', async () => {
      expect((await raw(server.port, { method: 'HEAD', path: '/' })).status).toBe(200);
      expect((await raw(server.port, { method: 'POST', path: '/', body: 'x' })).status).toBe(405);
    });
  });

  describe('events', () => {
    /** An event socket opened with the per-run token; `says` is the session it then carries. */
    const socket = async (says?: string | null): Promise<{ ws: WebSocket; events: string[]; closed: Promise<number> }> => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}${EVENTS_PATH}?token=${TOKEN}`);
      await new Promise((r, j) => {
        ws.once('open', r);
        ws.once('error', j);
      });
      const events: string[] = [];
      const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
      if (says !== undefined) {
        const answer = new Promise((r) => ws.once('message', r));
        ws.send(JSON.stringify({ session: says }));
        if (says !== null) await Promise.race([answer, closed]);
      }
      ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as { event?: string };
        if (m.event) events.push(m.event);
      });
      return { ws, events, closed };
    };

    it('events go only to a socket that carries a signed-in session', async () => {
      const anonymous = await socket();
      const signedOut = await socket(null);
      const signedIn = await socket(session);
      expect((await webhook(JSON.stringify(mention(43)))).status).toBe(202);
      await expect.poll(() => signedIn.events).toContain('mentions.added');
      // The same server turn sent nothing to the others.
      expect(anonymous.events).toEqual([]);
      expect(signedOut.events).toEqual([]);
      for (const s of [anonymous, signedOut, signedIn]) s.ws.close();
    });

    it('a socket that says an unknown session is closed with 4401, and so is one whose session ends', async () => {
      const wrong = await socket('non-una-sessione');
      expect(await wrong.closed).toBe(WS_SESSION_ENDED);
      // Giulia signs in twice (two computers); the administrator ends all her sessions.
      await rpc('users.create', { username: 'giulia', displayName: 'Giulia', password: 'password-di-giulia', roles: ['manager'] });
      const signIn = async (): Promise<string> => ((await rpc('auth.signIn', { username: 'giulia', password: 'password-di-giulia' })).json() as { token: string }).token;
      const laptop = await socket(await signIn());
      const phone = await socket(await signIn());
      const admin = await socket(session);
      await rpc('users.signOutEverywhere', { id: ((await rpc('users.list', {})).json() as { id: number; username: string }[]).find((u) => u.username === 'giulia')!.id });
      expect(await laptop.closed).toBe(WS_SESSION_ENDED);
      expect(await phone.closed).toBe(WS_SESSION_ENDED);
      // The administrator's own socket goes on.
      expect((await webhook(JSON.stringify(mention(44)))).status).toBe(202);
      await expect.poll(() => admin.events).toContain('mentions.added');
      admin.ws.close();
    });

    it('pushes mentions.added to an authenticated WebSocket client', async () => {
      const { ws } = await socket(session);
      const got = new Promise<{ event: string; payload: { items: { externalId: string }[] } }>((resolve) => {
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data)) as { event: string; payload: { items: { externalId: string }[] } };
          if (msg.event === 'mentions.added') resolve(msg);
        });
      });
      expect((await webhook(JSON.stringify(mention(42)))).status).toBe(202);
      const msg = await got;
      expect(msg.payload.items.map((m) => m.externalId)).toContain('st-42');
      ws.close();
    });
  });
});

describe('startServer options', () => {
  it('refuses equal UI and webhook tokens', async () => {
    const t = openTestApp('browser');
    try {
      await expect(startServer({ app: t.app, port: 0, token: 'same', webhookToken: 'same' })).rejects.toThrow(/differ/);
    } finally {
      t.dispose();
    }
  });

  it('without a built renderer, / explains how to build it and the API still works', async () => {
    const t = openTestApp('browser');
    const s = await startServer({ app: t.app, port: 0, token: TOKEN, webhookToken: WEBHOOK_TOKEN, staticDir: join(t.dataDir, 'missing') });
    try {
      const res = await raw(s.port, { path: '/' });
      expect(res.status).toBe(404);
      expect(res.text).toContain('npm run build');
      expect((await raw(s.port, { method: 'POST', path: `${RPC_PREFIX}app.info`, headers: auth(TOKEN), body: '{}' })).status).toBe(200);
    } finally {
      await s.close();
      t.dispose();
    }
  });
});
