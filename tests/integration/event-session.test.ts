// The event socket belongs to a session (issue #16, item 1), through the client the browser
// UI uses: no events before sign-in, events once a call carries the session, and the client
// hears at once when an administrator ends that session elsewhere.
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index';
import { createHttpClient, type FetchFn, type HttpClient, type WebSocketCtor } from '../../src/shared/transport/http-client';
import { adminSession, openTestApp, TEST_ADMIN } from './support/app';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function setup(wsMaxBuffered?: number): Promise<{ server: RunningServer; admin: string; client: (session: () => string | null, onSessionEnded?: () => void) => Promise<HttpClient> }> {
  const t = openTestApp('browser');
  const token = 'ui-token-event-session';
  const server = await startServer({ app: t.app, port: 0, token, webhookToken: 'wh-token-event-session', ...(wsMaxBuffered ? { wsMaxBuffered } : {}) });
  closers.push(() => t.dispose(), () => server.close());
  const admin = await adminSession(t.app);
  const client = async (session: () => string | null, onSessionEnded?: () => void): Promise<HttpClient> => {
    const c = createHttpClient({
      baseUrl: server.url,
      token,
      session,
      fetch: globalThis.fetch as unknown as FetchFn,
      WebSocket: WebSocket as unknown as WebSocketCtor,
      ...(onSessionEnded ? { onSessionEnded } : {}),
    });
    closers.push(() => c.close());
    await c.ready;
    return c;
  };
  return { server, admin, client };
}

const push = (server: RunningServer, id: string): Promise<Response> =>
  fetch(server.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer wh-token-event-session' },
    body: JSON.stringify({ source: 'Forum', external_id: id, text: `Menzione ${id}` }),
  });

describe('the event socket follows the session', () => {
  it('hears nothing before sign-in, and everything once a call has carried the session', async () => {
    const { server, client } = await setup();
    let session: string | null = null;
    const c = await client(() => session);
    const heard: string[] = [];
    c.on('mentions.added', ({ items }) => heard.push(...items.map((m) => m.externalId ?? '')));
    await push(server, 'prima');
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toEqual([]);
    session = (await c.call('auth.signIn', { username: TEST_ADMIN.username, password: TEST_ADMIN.password })).token;
    await c.call('settings.get', {});
    await new Promise((r) => setTimeout(r, 100));
    await push(server, 'dopo');
    await expect.poll(() => heard).toEqual(['dopo']);
  });

  it("is told at once when an administrator ends the person's sessions elsewhere", async () => {
    const { client, admin } = await setup();
    const adminClient = await client(() => admin);
    await adminClient.call('users.create', { username: 'giulia', displayName: 'Giulia', password: 'password-di-giulia', roles: ['manager'] });
    const grant = await adminClient.call('auth.signIn', { username: 'giulia', password: 'password-di-giulia' });
    let ended = 0;
    const giulia = await client(() => grant.token, () => ended++);
    await giulia.call('settings.get', {});
    const id = (await adminClient.call('users.list', {})).find((u) => u.username === 'giulia')!.id;
    await adminClient.call('users.signOutEverywhere', { id });
    await expect.poll(() => ended).toBe(1);
  });
});

describe('a stalled event socket', () => {
  it('is dropped once it falls its buffer limit behind; the others go on receiving everything', async () => {
    const { server, admin } = await setup(256 * 1024);
    const open = async (): Promise<{ ws: WebSocket; ids: Set<string>; closed: Promise<number> }> => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/events?token=ui-token-event-session`);
      await new Promise((r, j) => {
        ws.once('open', r);
        ws.once('error', j);
      });
      ws.send(JSON.stringify({ session: admin }));
      await new Promise((r) => ws.once('message', r));
      const ids = new Set<string>();
      ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as { event?: string; payload?: { items?: { externalId: string }[] } };
        if (m.event === 'mentions.added') for (const i of m.payload?.items ?? []) ids.add(i.externalId);
      });
      const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
      closers.push(() => ws.terminate());
      return { ws, ids, closed };
    };
    const fast = await open();
    const slow = await open();
    // The slow client stops reading: what the server sends it piles up on the server's side.
    (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const text = 'Caffè Aurora '.repeat(250);
    let sent = 0;
    for (let batch = 0; batch < 60; batch++) {
      const items = Array.from({ length: 100 }, (_, i) => ({ source: 'Forum', external_id: `s-${batch}-${i}`, text: `${text} ${batch}-${i}` }));
      const res = await fetch(server.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer wh-token-event-session' },
        body: JSON.stringify(items),
      });
      expect(res.status).toBe(202);
      sent += items.length;
    }
    // The reader kept up with every mention while the other stalled.
    await expect.poll(() => fast.ids.size, { timeout: 20_000 }).toBe(sent);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    // Dropped without a closing handshake (terminated), having missed what came after.
    expect(await slow.closed).toBe(1006);
    expect(slow.ids.size).toBeLessThan(sent);
  }, 60_000);
});
