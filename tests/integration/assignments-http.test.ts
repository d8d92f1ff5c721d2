// Assignment and notifications through the real server (HTTP calls and the event socket), with
// the client the browser UI uses: the manager assigns a mention to legal; legal's client hears
// notifications.changed naming legal and reads one unread notification; the analyst's call is
// refused (403) and on record; "assegnati a me" is the caller's own, whatever the input says.
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/index';
import { ApiError } from '../../src/shared/contract';
import { createHttpClient, type FetchFn, type HttpClient, type WebSocketCtor } from '../../src/shared/transport/http-client';
import { adminSession, openTestApp } from './support/app';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('assignments over HTTP', () => {
  it('legal is told over the socket and reads the notification; an analyst is refused', async () => {
    const t = openTestApp('browser');
    const token = 'ui-token-assignments';
    const server = await startServer({ app: t.app, port: 0, token, webhookToken: 'wh-token-assignments' });
    closers.push(() => t.dispose(), () => server.close());
    const admin = { session: await adminSession(t.app) };
    const person = async (username: string, displayName: string, roles: string[]): Promise<{ id: number; session: string }> => {
      const u = (await t.app.dispatch('users.create', { username, displayName, password: `password-${username}`, roles }, admin)) as { id: number };
      return { id: u.id, session: ((await t.app.dispatch('auth.signIn', { username, password: `password-${username}` }, { session: null })) as { token: string }).token };
    };
    const giulia = await person('giulia', 'Giulia Rossi', ['manager']);
    const laura = await person('laura', 'Laura Bianchi', ['legal']);
    const aldo = await person('aldo', 'Aldo Conti', ['analyst']);
    const client = async (session: string): Promise<HttpClient> => {
      const c = createHttpClient({ baseUrl: server.url, token, session: () => session, fetch: globalThis.fetch as unknown as FetchFn, WebSocket: WebSocket as unknown as WebSocketCtor });
      closers.push(() => c.close());
      await c.ready;
      // A call carries the session: from then on the socket hears this person's events.
      await c.call('notifications.status', {});
      return c;
    };
    const res = await fetch(server.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wh-token-assignments' },
      body: JSON.stringify({ source: 'Forum', external_id: 'x1', text: 'Capsule rotte di nuovo' }),
    });
    const mentionId = ((await res.json()) as { ids: number[] }).ids[0]!;

    const g = await client(giulia.session);
    const l = await client(laura.session);
    const a = await client(aldo.session);
    const heard: number[][] = [];
    l.on('notifications.changed', ({ userIds }) => heard.push(userIds));
    await new Promise((r) => setTimeout(r, 100));

    const out = await g.call('assignments.set', { subject: 'mention', id: mentionId, userId: laura.id });
    expect(out.assignment?.assignee).toEqual({ id: laura.id, displayName: 'Laura Bianchi' });
    await expect.poll(() => heard).toEqual([[laura.id]]);
    const list = await l.call('notifications.list', {});
    expect(list.unread).toBe(1);
    expect(list.items[0]).toMatchObject({ kind: 'assigned', subject: { kind: 'mention', id: mentionId }, by: { displayName: 'Giulia Rossi' }, title: 'Capsule rotte di nuovo' });
    expect((await l.call('mentions.list', { query: { assignedTo: 'me' } })).items.map((m) => m.id)).toEqual([mentionId]);
    expect((await g.call('mentions.list', { query: { assignedTo: 'me' } })).total).toBe(0);
    // A person id in the input is not accepted: "me" is the session's.
    await expect(l.call('mentions.list', { query: { assignedTo: laura.id } as never })).rejects.toBeInstanceOf(ApiError);

    const refused = await a.call('assignments.set', { subject: 'mention', id: mentionId, userId: giulia.id }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('forbidden');
    expect((await a.call('assignments.get', { subject: 'mention', id: mentionId })).assignment?.assignee.displayName).toBe('Laura Bianchi');
    const rows = t.app.auditService.page({ action: 'assignments.set' }, undefined, 10).items.map((r) => [r.actor, r.subject, r.detail?.includes('rifiutato') ?? false]);
    expect(rows).toEqual(expect.arrayContaining([['giulia', `mention:${mentionId}`, false], ['aldo', null, true]]));
  });
});
