// Desktop notification of a person's own notifications, main-process side: notifyPersonal() on a
// real core app's event bus, with a stand-in for Electron's Notification class. The manager
// assigns a mention to the person signed in on this desktop: they see it once, in Italian;
// assignments to others and the ones marked read stay silent; a click reports the notification.
import { afterEach, describe, expect, it } from 'vitest';
import { notifyPersonal, personalText, type NotificationCtor } from '../../src/main/notify';
import type { Notification } from '../../src/shared/ops/notifications';
import { adminSession, openTestApp } from './support/app';

class FakeNotification {
  static shown: FakeNotification[] = [];
  clickListeners: (() => void)[] = [];
  constructor(readonly options: { title: string; body: string }) {}
  static isSupported(): boolean {
    return true;
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
  on(_event: 'click', l: () => void): this {
    this.clickListeners.push(l);
    return this;
  }
}

const disposers: (() => void)[] = [];
afterEach(() => {
  while (disposers.length) disposers.pop()!();
  FakeNotification.shown = [];
});

describe('desktop notification of an assignment', () => {
  it('tells the person signed in here, once, and a click opens the notification', async () => {
    const t = openTestApp('desktop');
    disposers.push(() => t.dispose());
    const admin = { session: await adminSession(t.app) };
    const person = async (username: string, displayName: string) => {
      const u = (await t.app.dispatch('users.create', { username, displayName, password: `password-${username}`, roles: ['manager'] }, admin)) as { id: number };
      return { id: u.id, session: ((await t.app.dispatch('auth.signIn', { username, password: `password-${username}` }, { session: null })) as { token: string }).token };
    };
    const giulia = await person('giulia', 'Giulia');
    const luca = await person('luca', 'Luca');
    const { ids } = t.app.ingestWebhook([
      { source: 'Forum', external_id: 'a', author: 'x', text: 'Capsule ammuffite, che schifo', published_at: new Date().toISOString() },
      { source: 'Forum', external_id: 'b', author: 'y', text: 'Secondo messaggio', published_at: new Date().toISOString() },
    ]);
    const clicked: Notification[] = [];
    let signedIn: number | null = luca.id;
    disposers.push(notifyPersonal({ app: t.app, Notification: FakeNotification as unknown as NotificationCtor, userId: () => signedIn, onClick: (n) => clicked.push(n) }));

    await t.app.dispatch('assignments.set', { subject: 'mention', id: ids[0]!, userId: luca.id }, { session: giulia.session });
    // Someone else's assignment: not this desktop's person.
    await t.app.dispatch('assignments.set', { subject: 'mention', id: ids[1]!, userId: giulia.id }, { session: luca.session });
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([{ title: 'Assegnato a te', body: '\u2068Giulia\u2069 ti ha assegnato una menzione: \u2068Capsule ammuffite, che schifo\u2069' }]);
    // Marking read announces a change too, but nothing new to show.
    await t.app.dispatch('notifications.markAllRead', {}, { session: luca.session });
    expect(FakeNotification.shown).toHaveLength(1);
    FakeNotification.shown[0]!.clickListeners[0]!();
    expect(clicked.map((n) => [n.kind, n.subject])).toEqual([['assigned', { kind: 'mention', id: ids[0] }]]);
    // Nobody signed in: silence.
    signedIn = null;
    await t.app.dispatch('assignments.set', { subject: 'mention', id: ids[1]!, userId: luca.id }, { session: giulia.session });
    expect(FakeNotification.shown).toHaveLength(1);
    expect(personalText(clicked[0]!, 'en')).toEqual({ title: 'Assigned to you', body: '\u2068Giulia\u2069 assigned you a mention: \u2068Capsule ammuffite, che schifo\u2069' });
  });
});
