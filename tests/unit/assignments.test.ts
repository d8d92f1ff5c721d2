// Assignment and in-app notifications (issue #16, "working together"), through the real
// dispatcher on a real SQLite file: who may assign, what the assignee is told, the audit row
// under the signed-in person, "assegnati a me" in the inbox, and each person's own bell.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/shared/ops/assignments';
import type { Notification } from '../../src/shared/ops/notifications';
import { expectApiError } from './support/core';
import { events, mention, team } from './support/team';

describe('assignments', () => {
  it('a manager assigns a mention to a colleague: the assignee is notified, the act audited under the manager, the inbox filters it', async () => {
    const { app, dataDir, giulia, luca } = await team();
    const { ids } = app.ingestWebhook([mention(1), mention(2), mention(3)]);
    const changed = events(app, 'notifications.changed');
    const assigned = events(app, 'assignments.changed');

    const out = (await app.dispatch('assignments.set', { subject: 'mention', id: ids[1]!, userId: luca.id }, giulia)) as { assignment: Assignment };
    expect(out.assignment).toMatchObject({ subject: { kind: 'mention', id: ids[1] }, assignee: { id: luca.id, displayName: 'Luca' }, by: { id: giulia.id, displayName: 'Giulia' } });
    expect(changed).toEqual([{ userIds: [luca.id] }]);
    expect(assigned).toEqual([{ subject: { kind: 'mention', id: ids[1] }, userId: luca.id }]);
    expect(await app.dispatch('assignments.get', { subject: 'mention', id: ids[1]! }, luca)).toEqual(out);

    // Luca's bell: one unread, worded from the mention; Giulia's is empty.
    const list = (await app.dispatch('notifications.list', {}, luca)) as { items: Notification[]; unread: number };
    expect(list.unread).toBe(1);
    expect(list.items).toEqual([
      { id: expect.any(Number), kind: 'assigned', subject: { kind: 'mention', id: ids[1] }, title: 'Messaggio numero 2 sulle capsule', by: { id: giulia.id, displayName: 'Giulia' }, at: expect.any(Number), read: false },
    ]);
    expect(await app.dispatch('notifications.status', {}, giulia)).toEqual({ unread: 0 });

    // "Assegnati a me": Luca's session finds his one mention, Giulia's none.
    const mine = (await app.dispatch('mentions.list', { query: { assignedTo: 'me' } }, luca)) as { items: { id: number }[]; total: number };
    expect(mine.items.map((m) => m.id)).toEqual([ids[1]]);
    expect(mine.total).toBe(1);
    expect(((await app.dispatch('mentions.list', { query: { assignedTo: 'me', text: 'capsule' } }, luca)) as { total: number }).total).toBe(1);
    expect(((await app.dispatch('mentions.list', { query: { assignedTo: 'me' }, sort: 'relevance' }, luca)) as { total: number }).total).toBe(1);
    expect(((await app.dispatch('mentions.list', { query: { assignedTo: 'me' } }, giulia)) as { total: number }).total).toBe(0);
    expect(((await app.dispatch('assignments.list', { subject: 'mention' }, luca)) as { items: Assignment[] }).items).toEqual([out.assignment]);

    // The same click again changes nothing, writes nothing, notifies nobody.
    await app.dispatch('assignments.set', { subject: 'mention', id: ids[1]!, userId: luca.id }, giulia);
    expect(changed).toHaveLength(1);
    // Taking it away.
    expect(await app.dispatch('assignments.set', { subject: 'mention', id: ids[1]!, userId: null }, giulia)).toEqual({ assignment: null });
    expect(((await app.dispatch('mentions.list', { query: { assignedTo: 'me' } }, luca)) as { total: number }).total).toBe(0);

    app.close();
    const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
    try {
      const rows = db.prepare(`SELECT actor, action, subject, detail FROM audit_log WHERE action LIKE 'assignments.%' ORDER BY id`).all();
      expect(rows).toEqual([
        { actor: 'giulia', action: 'assignments.set', subject: `mention:${ids[1]}`, detail: JSON.stringify({ a: 'Luca', prima: null }) },
        { actor: 'giulia', action: 'assignments.clear', subject: `mention:${ids[1]}`, detail: JSON.stringify({ prima: 'Luca' }) },
      ]);
    } finally {
      db.close();
    }
  });

  it('an analyst may not assign (refused, on record), and nobody assigns to an analyst, a disabled person or nothing', async () => {
    const { app, admin, giulia, luca, ale } = await team();
    const { ids } = app.ingestWebhook([mention(1)]);
    await expectApiError(app.dispatch('assignments.set', { subject: 'mention', id: ids[0]!, userId: giulia.id }, ale), 'forbidden');
    await expectApiError(app.dispatch('assignments.set', { subject: 'mention', id: ids[0]!, userId: ale.id }, giulia), 'invalid');
    await app.dispatch('users.update', { id: luca.id, disabled: true }, admin);
    await expectApiError(app.dispatch('assignments.set', { subject: 'mention', id: ids[0]!, userId: luca.id }, giulia), 'invalid');
    await expectApiError(app.dispatch('assignments.set', { subject: 'mention', id: 9999, userId: giulia.id }, giulia), 'not_found');
    await expectApiError(app.dispatch('assignments.set', { subject: 'moment', id: 1, userId: giulia.id }, giulia), 'not_found');
    await expectApiError(app.dispatch('assignments.set', { subject: 'mention', id: ids[0]!, userId: 4242 }, giulia), 'not_found');
    // The analyst still reads who is in charge and the people list (names only, no analyst, no disabled).
    expect(await app.dispatch('assignments.get', { subject: 'mention', id: ids[0]! }, ale)).toEqual({ assignment: null });
    expect(await app.dispatch('people.list', {}, ale)).toEqual([
      { id: 1, displayName: 'Anna' },
      { id: giulia.id, displayName: 'Giulia' },
    ]);
    const refused = app.auditService.page({ action: 'assignments.set' }, undefined, 10).items.filter((r) => r.actor === 'ale');
    expect(refused).toHaveLength(1);
  });

  it('assigning oneself notifies nobody; moments and responses are assigned the same way', async () => {
    const { app, dataDir, admin, giulia, luca } = await team();
    const { ids } = app.ingestWebhook([mention(1)]);
    const changed = events(app, 'notifications.changed');
    await app.dispatch('assignments.set', { subject: 'mention', id: ids[0]!, userId: giulia.id }, giulia);
    expect(changed).toEqual([]);

    // A moment, written as the detector would (its own tests cover how moments open).
    const db = new Database(join(dataDir, 'vedetta.db'));
    const momentId = Number(
      db.prepare(`INSERT INTO moments (kind, state, key, key_kind, title, opened_at, updated_at, peak_z, created_at) VALUES ('crisis', 'open', 't:muffa', 'term', 'Muffa nelle capsule', 1, 1, 5, 1)`).run().lastInsertRowid,
    );
    db.close();
    await app.dispatch('assignments.set', { subject: 'moment', id: momentId, userId: luca.id }, giulia);
    const channel = (await app.dispatch('publishing.channelCreate', { kind: 'manual', name: 'A mano' }, admin)) as { id: number };
    const draft = (await app.dispatch('responses.create', { targetKind: 'mention', targetId: ids[0]!, channelId: channel.id, text: 'Ci scusiamo.' }, giulia)) as { response: { id: number } };
    await app.dispatch('assignments.set', { subject: 'response', id: draft.response.id, userId: luca.id }, giulia);

    const list = (await app.dispatch('notifications.list', {}, luca)) as { items: Notification[]; unread: number };
    expect(list.items.map((n) => [n.subject.kind, n.title])).toEqual([
      ['response', expect.any(String)],
      ['moment', 'Muffa nelle capsule'],
    ]);
    const mine = (await app.dispatch('assignments.list', {}, luca)) as { items: Assignment[] };
    expect(mine.items.map((a) => a.subject.kind).sort()).toEqual(['moment', 'response']);
    expect(((await app.dispatch('assignments.list', { subject: 'moment' }, luca)) as { items: Assignment[] }).items.map((a) => a.subject.id)).toEqual([momentId]);
  });
});

describe('notifications', () => {
  it('each person reads and marks only their own; marking read announces the change to that person', async () => {
    const { app, giulia, luca } = await team();
    const { ids } = app.ingestWebhook([mention(1), mention(2)]);
    for (const id of ids) await app.dispatch('assignments.set', { subject: 'mention', id, userId: luca.id }, giulia);
    const { items } = (await app.dispatch('notifications.list', { limit: 1 }, luca)) as { items: Notification[] };
    expect(items).toHaveLength(1);
    expect(items[0]!.subject.id).toBe(ids[1]);
    const changed = events(app, 'notifications.changed');
    // Someone else's notification is not theirs to read: not found.
    await expectApiError(app.dispatch('notifications.markRead', { id: items[0]!.id }, giulia), 'not_found');
    expect(await app.dispatch('notifications.markRead', { id: items[0]!.id }, luca)).toEqual({ unread: 1 });
    expect(await app.dispatch('notifications.markRead', { id: items[0]!.id }, luca)).toEqual({ unread: 1 });
    expect(changed).toEqual([{ userIds: [luca.id] }]);
    expect(await app.dispatch('notifications.markAllRead', {}, luca)).toEqual({ unread: 0 });
    expect(((await app.dispatch('notifications.list', {}, luca)) as { items: Notification[] }).items.every((n) => n.read)).toBe(true);
    await expectApiError(app.dispatch('notifications.list', {}, { session: null }), 'unauthorized');
  });

  it('notify(): other modules tell people; never the actor, nobody twice, nothing about a subject that does not exist', async () => {
    const { app, giulia, luca } = await team();
    const { ids } = app.ingestWebhook([mention(1)]);
    const changed = events(app, 'notifications.changed');
    expect(app.notifications.notify({ to: [luca.id, luca.id, giulia.id, 0], kind: 'noted', subject: { kind: 'mention', id: ids[0]! }, by: { userId: giulia.id } })).toHaveLength(1);
    expect(app.notifications.notify({ to: [giulia.id], kind: 'noted', subject: { kind: 'mention', id: ids[0]! }, by: { userId: giulia.id } })).toEqual([]);
    expect(app.notifications.notify({ to: [luca.id], kind: 'noted', subject: { kind: 'moment', id: 77 }, by: { userId: giulia.id } })).toEqual([]);
    expect(changed).toEqual([{ userIds: [luca.id] }]);
    const [n] = ((await app.dispatch('notifications.list', {}, luca)) as { items: Notification[] }).items;
    expect(n).toMatchObject({ kind: 'noted', by: { displayName: 'Giulia' }, read: false });
    // What a desktop has not announced yet: newer than the last id it saw, unread.
    expect(app.notifications.unreadAfter(luca.id, 0).map((x) => x.id)).toEqual([n!.id]);
    expect(app.notifications.unreadAfter(luca.id, n!.id)).toEqual([]);
  });
});
