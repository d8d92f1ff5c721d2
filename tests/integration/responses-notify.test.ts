// Desktop notification to the next reviewer, main-process side: notifyReviewers() on a real
// core app's event bus, with a stand-in for Electron's Notification class.
import { afterEach, describe, expect, it } from 'vitest';
import { notifyReviewers, reviewText, type NotificationCtor } from '../../src/main/notify';
import { openTestApp } from './support/app';

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

describe('desktop notification to the next reviewer', () => {
  it('tells the role whose turn it is, in Italian, and a click reports the response', () => {
    const t = openTestApp('desktop');
    disposers.push(() => t.dispose());
    const clicked: number[] = [];
    let roles: string[] | null = ['legal'];
    disposers.push(notifyReviewers({ app: t.app, Notification: FakeNotification as unknown as NotificationCtor, roles: () => roles, onClick: (id) => clicked.push(id) }));
    t.app.events.emit('responses.changed', { id: 4, next: { role: 'owner', kind: 'owner', title: 'Muffa nelle capsule?', dueAt: null } });
    expect(FakeNotification.shown).toHaveLength(0);
    t.app.events.emit('responses.changed', { id: 4, next: { role: 'legal', kind: 'legal', title: 'Muffa nelle capsule?', dueAt: null } });
    t.app.events.emit('responses.changed', { id: 4, next: null });
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([{ title: 'Risposta da approvare: revisione legale', body: '\u2068Muffa nelle capsule?\u2069 — apri Vedetta per decidere.' }]);
    FakeNotification.shown[0]!.clickListeners[0]!();
    expect(clicked).toEqual([4]);
    roles = null;
    t.app.events.emit('responses.changed', { id: 5, next: { role: 'owner', kind: 'owner', title: 'X', dueAt: null } });
    expect(FakeNotification.shown).toHaveLength(2);
    expect(reviewText({ kind: 'owner', title: 'X' }, 'en').title).toBe('Response to approve: owner approval');
  });
});
