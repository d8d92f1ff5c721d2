// Desktop notification of a crisis, main-process side: notifyCrises() wired to a real core
// app, with a stand-in for Electron's Notification class (Electron cannot run here).
import { afterEach, describe, expect, it } from 'vitest';
import { crisisText, notifyCrises, type NotificationCtor } from '../../src/main/notify';
import { openTestApp } from './support/app';

class FakeNotification {
  static shown: FakeNotification[] = [];
  static supported = true;
  clickListeners: (() => void)[] = [];
  constructor(readonly options: { title: string; body: string; urgency?: string }) {}
  static isSupported(): boolean {
    return FakeNotification.supported;
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
  FakeNotification.supported = true;
});

const START = Date.parse('2026-11-20T08:00:00Z');
const quiet = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ source: 'X/Twitter', external_id: `q${i}`, text: `Un caffè al bar Aurora, tutto normale ${i}`, lang: 'it', published_at: new Date(START + i * 60_000).toISOString() }));
const burst = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    source: 'Instagram @caffeaurora',
    external_id: `b${from}-${i}`,
    text: 'Muffa nelle capsule Aurora, vergogna! Che schifo',
    lang: 'it',
    published_at: new Date(from + i * 8_000).toISOString(),
  }));

async function setup() {
  const t = openTestApp('desktop');
  disposers.push(() => t.dispose());
  const brand = (await t.app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
  await t.app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa nelle capsule', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
  const clicked: number[] = [];
  const stop = notifyCrises({ app: t.app, Notification: FakeNotification as unknown as NotificationCtor, onClick: (m) => clicked.push(m.id) });
  disposers.push(stop);
  return { app: t.app, clicked };
}

describe('desktop notification of a crisis', () => {
  it('shows one critical notification when a crisis opens, in Italian, and a click reports the moment', async () => {
    const { app, clicked } = await setup();
    app.ingestWebhook(quiet(60));
    expect(FakeNotification.shown).toHaveLength(0);
    app.ingestWebhook(burst(START + 60 * 60_000, 12));
    await new Promise((r) => setTimeout(r, 0));
    expect(FakeNotification.shown).toHaveLength(1);
    const n = FakeNotification.shown[0]!;
    // The title is our own words; the moment's title (outside words) is in the body, isolated.
    expect(n.options.title).toBe('Crisi aperta');
    expect(n.options.body).toMatch(/^\u2068Muffa nelle capsule\u2069: \d+ menzioni, \d+ negative, sopra la normalità/);
    expect(n.options.urgency).toBe('critical');
    // More of the same crisis updates it: no second notification.
    app.ingestWebhook(burst(START + 62 * 60_000, 12));
    await new Promise((r) => setTimeout(r, 0));
    expect(FakeNotification.shown).toHaveLength(1);
    n.clickListeners[0]!();
    const list = (await app.dispatch('moments.list', { kind: 'crisis' })) as { items: { id: number }[] };
    expect(clicked).toEqual([list.items[0]!.id]);
  });

  it('stays silent where the system has no notifications, and for rebuilt moments', async () => {
    const { app } = await setup();
    FakeNotification.supported = false;
    app.ingestWebhook(quiet(60));
    app.ingestWebhook(burst(START + 60 * 60_000, 12));
    await new Promise((r) => setTimeout(r, 0));
    expect(FakeNotification.shown).toHaveLength(0);
    FakeNotification.supported = true;
    // A rebuild finds the same crisis again but does not announce it.
    await app.dispatch('moments.rebuild', {});
    await new Promise((r) => setTimeout(r, 300));
    expect(FakeNotification.shown).toHaveLength(0);
    expect(((await app.dispatch('moments.list', {})) as { total: number }).total).toBe(1);
  });

  it('speaks English when the UI does', () => {
    const m = { id: 1, kind: 'crisis' as const, state: 'open' as const, title: 'Mould', keyKind: 'theme' as const, themeId: 1, openedAt: '', updatedAt: '', closedAt: null, volume: 12, negative: 10, sentiment: -0.5, peakZ: 5, spark: [], acknowledgedBy: null, baselineMinutes: 60, baselineFull: true };
    expect(crisisText(m, 'en')).toEqual({ title: 'Crisis opened', body: '\u2068Mould\u2069: 12 mentions, 10 negative, above the usual level. Open Vedetta to see them.' });
    expect(crisisText({ ...m, baselineMinutes: 12, baselineFull: false }, 'it').body).toBe('\u2068Mould\u2069: 12 menzioni, 10 negative, sopra la normalità. Base di riferimento di 12 min. Apri Vedetta per vederle.');
    // A right-to-left override in the title stays out of our words.
    expect(crisisText({ ...m, title: 'Muffa \u202Eetnerruc' }, 'it').body).toMatch(/^\u2068Muffa etnerruc\u2069: /);
  });
});
