// Refusals are on record without a flood bloating the log (issue #16, item 5): the first
// refusal of a kind (person, op, reason) is written at once, its repeats within the minute
// become one row saying how many and between when.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/shared/auth';
import { RefusalLog, REFUSAL_WINDOW_MS } from '../../src/core/api/refusals';
import { testApp } from './support/core';

const ANNA: Actor = { userId: 2, username: 'anna', displayName: 'Anna', roles: ['analyst'] };
const ANON: Actor = { userId: 0, username: 'anonimo', displayName: 'Anonimo', roles: [] };

function harness(): { log: RefusalLog; rows: unknown[][]; tick: (ms: number) => void } {
  let t = 1_000_000;
  const rows: unknown[][] = [];
  const log = new RefusalLog((actor, action, subject, detail) => rows.push([actor.username, action, subject, detail]), () => t);
  return { log, rows, tick: (ms) => (t += ms) };
}

describe('refusal log', () => {
  it('writes the first refusal of a kind at once and its repeats within the minute as one row', () => {
    const { log, rows, tick } = harness();
    const why = { esito: 'rifiutato', motivo: 'access.forbidden' };
    for (let i = 0; i < 1_000; i++) {
      log.refuse(ANNA, 'sources.add', why);
      tick(10);
    }
    expect(rows).toEqual([['anna', 'sources.add', null, why]]);
    log.flush();
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual(['anna', 'sources.add', null, { ...why, ripetizioni: 999, dal: new Date(1_000_000).toISOString(), al: new Date(1_000_000 + 999 * 10).toISOString() }]);
    // Nothing left to write.
    log.flush();
    expect(rows).toHaveLength(2);
  });

  it('keeps kinds apart: another op, reason or person is its own first row', () => {
    const { log, rows } = harness();
    log.refuse(ANNA, 'sources.add', { motivo: 'access.forbidden' });
    log.refuse(ANNA, 'sources.delete', { motivo: 'access.forbidden' });
    log.refuse(ANON, 'sources.add', { motivo: 'session.expired' });
    log.refuse(ANON, 'sources.add', { motivo: 'session.required' });
    log.refuse(ANNA, 'sources.add', { motivo: 'access.forbidden' });
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['anna', 'sources.add'],
      ['anna', 'sources.delete'],
      ['anonimo', 'sources.add'],
      ['anonimo', 'sources.add'],
    ]);
  });

  it('after the minute, the count is written and the same refusal is a first row again', () => {
    const { log, rows, tick } = harness();
    log.refuse(ANNA, 'sources.add', { motivo: 'access.forbidden' });
    log.refuse(ANNA, 'sources.add', { motivo: 'access.forbidden' });
    tick(REFUSAL_WINDOW_MS);
    log.refuse(ANNA, 'sources.add', { motivo: 'access.forbidden' });
    expect(rows.map((r) => (r[3] as { ripetizioni?: number }).ripetizioni ?? 0)).toEqual([0, 1, 0]);
  });

  it('through the app: a flood of refused calls is two rows, the second written at close', async () => {
    const { app, dataDir } = testApp();
    const admin = (await app.dispatch('auth.setup', { username: 'admin', displayName: 'Anna', password: 'una-password-lunga' }, { session: null })) as { token: string };
    await app.dispatch('users.create', { username: 'ale', displayName: 'Ale', password: 'una-password-lunga', roles: ['analyst'] }, { session: admin.token });
    const ale = (await app.dispatch('auth.signIn', { username: 'ale', password: 'una-password-lunga' }, { session: null })) as { token: string };
    for (let i = 0; i < 200; i++) await app.dispatch('settings.update', { locale: 'en' }, { session: ale.token }).catch(() => null);
    for (let i = 0; i < 50; i++) await app.dispatch('sources.list', {}, { session: 'scaduto' }).catch(() => null);
    app.close();
    const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
    const rows = db.prepare("SELECT actor, action, detail FROM audit_log WHERE detail LIKE '%rifiutato%' ORDER BY id").all() as { actor: string; action: string; detail: string }[];
    db.close();
    expect(rows.map((r) => [r.actor, r.action, (JSON.parse(r.detail) as { ripetizioni?: number }).ripetizioni ?? 0])).toEqual([
      ['ale', 'settings.update', 0],
      ['anonimo', 'sources.list', 0],
      ['ale', 'settings.update', 199],
      ['anonimo', 'sources.list', 49],
    ]);
  });
});
