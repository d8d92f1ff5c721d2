// A workspace with its administrator and three colleagues signed in (a manager, legal and an
// analyst), for the stories of people working the same inbox; and the webhook's mentions.
import type { CoreApp } from '../../../src/app/app';
import type { EventName } from '../../../src/shared/contract';
import { testApp } from './core';

export type Caller = { session: string };
export type Person = Caller & { id: number };

export async function team(): Promise<{ app: CoreApp; dataDir: string; admin: Caller; giulia: Person; luca: Person; ale: Person }> {
  const { app, dataDir } = testApp();
  const grant = (await app.dispatch('auth.setup', { username: 'admin', displayName: 'Anna', password: 'una-password-lunga' }, { session: null })) as { token: string };
  const admin = { session: grant.token };
  const person = async (username: string, displayName: string, roles: string[]) => {
    const u = (await app.dispatch('users.create', { username, displayName, password: `password-${username}`, roles }, admin)) as { id: number };
    const s = (await app.dispatch('auth.signIn', { username, password: `password-${username}` }, { session: null })) as { token: string };
    return { id: u.id, session: s.token };
  };
  return { app, dataDir, admin, giulia: await person('giulia', 'Giulia', ['manager']), luca: await person('luca', 'Luca', ['legal']), ale: await person('ale', 'Ale', ['analyst']) };
}

/** The i-th of a few webhook mentions, a second apart. */
export function mention(i: number) {
  return { source: 'Webhook test', external_id: `m${i}`, author: `autore${i}`, text: `Messaggio numero ${i} sulle capsule`, published_at: new Date(Date.UTC(2026, 0, 1, 12, 0, i)).toISOString() };
}

/** The payloads of one event the app sends from now on. */
export function events(app: CoreApp, name: EventName): unknown[] {
  const seen: unknown[] = [];
  app.events.subscribe((e, p) => {
    if (e === name) seen.push(p);
  });
  return seen;
}
