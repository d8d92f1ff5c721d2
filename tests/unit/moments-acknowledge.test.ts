// Taking a crisis in charge (issue 14, item 6): moments.acknowledge records who and when,
// audited, assigns the moment, is refused to analysts in Italian by the dispatcher, is pushed to
// every client, and stays with its moment through a rebuild that renumbers the moments.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, migrations } from '../../src/core/store/migrations';
import type { Role } from '../../src/shared/auth';
import type { MomentSummary } from '../../src/shared/moments';
import { onClose, tempDir, testApp } from './support/core';

describe('migration 014 moment_acks', () => {
  it('adds the table to a store built by the earlier real migrations, keeping what was there', () => {
    const file = join(tempDir(), 'v.db');
    const db = new Database(file);
    onClose(() => db.close());
    const version = migrations.find((m) => m.name === 'moment_acks')!.version;
    expect(version).toBe(14);
    migrate(db, migrations.filter((m) => m.version < version));
    db.prepare("INSERT INTO moment_checklists (moment_id, anchor, items, updated_at) VALUES (1, 'a', '{}', 1)").run();
    expect(migrate(db)).toEqual(migrations.filter((m) => m.version >= version).map((m) => m.version));
    const cols = (db.prepare('PRAGMA table_info(moment_acks)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(['moment_id', 'anchor', 'user_id', 'username', 'display_name', 'acknowledged_at']);
    expect(db.prepare('SELECT COUNT(*) AS n FROM moment_checklists').get()).toEqual({ n: 1 });
  });
});

const START = Date.parse('2026-11-20T08:00:00Z');
const MIN = 60_000;
type Item = Record<string, unknown>;
const quiet = (from: number, minutes: number, prefix = 'q'): Item[] =>
  Array.from({ length: minutes }, (_, i) => ({
    source: 'Reddit r/italy',
    external_id: `${prefix}${i}`,
    text: i % 2 ? 'Il barista di Aurora è gentile' : 'Pausa caffè con gli amici',
    lang: 'it',
    published_at: new Date(from + i * MIN).toISOString(),
  }));
const burst = (from: number, n: number, prefix: string, text: string): Item[] =>
  Array.from({ length: n }, (_, i) => ({
    source: 'X/Twitter',
    external_id: `${prefix}${i}`,
    author: `${prefix}-autore-${i}`,
    text,
    lang: 'it',
    published_at: new Date(from + i * 10_000).toISOString(),
  }));

async function setup() {
  const { app, dataDir } = testApp({ now: () => Date.parse('2026-11-20T12:00:00Z') });
  const brand = (await app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
  await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
  await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Boicottaggio', query: 'boicott*', swot: 'threat', stance: 'sensitive' });
  await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Bar', query: 'barista', swot: 'strength', stance: 'in_perimeter' });
  const people: [string, string, Role[]][] = [
    ['marco', 'Marco Rossi', ['manager']],
    ['anna', 'Anna Bianchi', ['analyst']],
    ['lia', 'Lia Verdi', ['legal']],
  ];
  const sessions: Record<string, string> = {};
  for (const [username, displayName, roles] of people) {
    await app.auth.createUser({ username, displayName, password: `password-di-${username}-1`, roles });
    sessions[username] = ((await app.dispatch('auth.signIn', { username, password: `password-di-${username}-1` }, { session: null })) as { token: string }).token;
  }
  const as = <T>(who: string, op: string, input: unknown): Promise<T> => app.dispatch(op, input, { session: sessions[who] ?? null }) as Promise<T>;
  return { app, dataDir, as };
}

const crises = async (app: { dispatch(op: string, input: unknown): Promise<unknown> }): Promise<MomentSummary[]> =>
  ((await app.dispatch('moments.list', { kind: 'crisis' })) as { items: MomentSummary[] }).items;

describe('moments.acknowledge', () => {
  it('a manager takes the crisis in charge: who and when on the summary, one audit row, an event; analysts get 403 in Italian', async () => {
    const { app, dataDir, as } = await setup();
    app.ingestWebhook(quiet(START, 60));
    app.ingestWebhook(burst(START + 60 * MIN, 10, 'm', 'Muffa nelle capsule Aurora, vergogna! Che schifo'));
    const [crisis] = await crises(app);
    expect(crisis).toMatchObject({ kind: 'crisis', state: 'open', acknowledgedBy: null });

    // The analyst sees it but may not take it in charge; the moment is unchanged.
    const refused = as('anna', 'moments.acknowledge', { id: crisis!.id });
    // In words a person reads: no internal op name in the message.
    await expect(refused).rejects.toMatchObject({ code: 'forbidden', key: 'access.forbidden', message: 'Il tuo ruolo non consente questa azione: chiedi a un amministratore.' });
    expect((await crises(app))[0]!.acknowledgedBy).toBeNull();
    await expect(as('nessuno', 'moments.acknowledge', { id: crisis!.id })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(as('marco', 'moments.acknowledge', { id: 9999 })).rejects.toMatchObject({ code: 'not_found' });

    const events: MomentSummary[] = [];
    app.events.subscribe((e, p) => {
      if (e === 'moments.acknowledged') events.push((p as { moment: MomentSummary }).moment);
    });
    const done = await as<MomentSummary>('marco', 'moments.acknowledge', { id: crisis!.id });
    expect(done.acknowledgedBy).toEqual({ name: 'Marco Rossi', at: '2026-11-20T12:00:00.000Z' });
    expect(events.map((m) => [m.id, m.acknowledgedBy?.name])).toEqual([[crisis!.id, 'Marco Rossi']]);
    const detail = (await as<{ moment: MomentSummary }>('anna', 'moments.get', { id: crisis!.id })).moment;
    expect(detail.acknowledgedBy?.name).toBe('Marco Rossi');

    // A second acknowledgement (legal may too) keeps the first: no second audit row, no event.
    const again = await as<MomentSummary>('lia', 'moments.acknowledge', { id: crisis!.id });
    expect(again.acknowledgedBy?.name).toBe('Marco Rossi');
    expect(events).toHaveLength(1);

    const audit = await as<{ items: { actor: string; action: string; subject: string | null; detail: string }[] }>('anna', 'audit.list', { filter: { action: 'moment.acknowledge' } });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actor: 'marco', action: 'moment.acknowledge', subject: `moment:${crisis!.id}` });
    expect(JSON.parse(audit.items[0]!.detail)).toMatchObject({ momentId: crisis!.id, kind: 'crisis' });
    expect(app.auditService.verify()).toMatchObject({ ok: true });

    const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
    onClose(() => db.close());
    expect(db.prepare('SELECT moment_id, username, display_name FROM moment_acks').all()).toEqual([{ moment_id: crisis!.id, username: 'marco', display_name: 'Marco Rossi' }]);
  });

  it('stays with its moment through a rebuild that renumbers the moments; a new crisis is not acknowledged', async () => {
    const { app, as } = await setup();
    app.ingestWebhook(quiet(START, 60));
    app.ingestWebhook(burst(START + 60 * MIN, 10, 'm', 'Muffa nelle capsule Aurora, vergogna! Che schifo'));
    const [muffa] = await crises(app);
    await as('marco', 'moments.acknowledge', { id: muffa!.id });
    // A late batch opens another crisis earlier in stream time: live it takes the next number,
    // a rebuild (in published order) puts it first and renumbers the acknowledged one.
    app.ingestWebhook(burst(START + 40 * MIN, 10, 'b', 'Boicottiamo Aurora, vergogna! Che schifo'));
    const before = await crises(app);
    expect(before).toHaveLength(2);
    const late = before.find((m) => m.id !== muffa!.id)!;
    expect(late.acknowledgedBy).toBeNull();
    expect(late.id).toBeGreaterThan(muffa!.id);

    const rebuilt = new Promise<void>((resolve) => {
      const off = app.events.subscribe((e, p) => {
        if (e === 'moments.changed' && (p as { rebuilt: boolean }).rebuilt) {
          off();
          resolve();
        }
      });
    });
    await app.dispatch('moments.settingsUpdate', { zThreshold: 3.1 });
    await rebuilt;
    const after = await crises(app);
    expect(after).toHaveLength(2);
    const muffaAfter = after.find((m) => m.title === muffa!.title)!;
    const lateAfter = after.find((m) => m.title === late.title)!;
    expect(muffaAfter.id).not.toBe(muffa!.id);
    expect(muffaAfter.acknowledgedBy?.name).toBe('Marco Rossi');
    expect(lateAfter.acknowledgedBy).toBeNull();
    // The late one can still be taken in charge, under its new number.
    expect((await as<MomentSummary>('lia', 'moments.acknowledge', { id: lateAfter.id })).acknowledgedBy?.name).toBe('Lia Verdi');
  });
});
