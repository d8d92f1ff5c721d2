// Desktop notification of a change of risk area, main-process side: notifyRiskChanges() wired
// to a real core app with a primary audience; a crisis on the brand's own posts enters the
// strong area and is announced once, in Italian, with the explanation naming the audience.
import { afterEach, describe, expect, it } from 'vitest';
import { notifyRiskChanges, riskText, type NotificationCtor } from '../../src/main/notify';
import { openTestApp } from './support/app';

class FakeNotification {
  static shown: FakeNotification[] = [];
  clickListeners: (() => void)[] = [];
  constructor(readonly options: { title: string; body: string; urgency?: string }) {}
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

const START = Date.parse('2026-11-20T08:00:00Z');
const quiet = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ source: 'X/Twitter', external_id: `q${i}`, author: `u${i}`, text: `Un caffè al bar Aurora, tutto normale ${i}`, lang: 'it', published_at: new Date(START + i * 60_000).toISOString() }));
const burst = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    source: 'Instagram @caffeaurora',
    external_id: `b${from}-${i}`,
    author: `fan${i}`,
    text: 'Muffa nelle capsule Aurora, vergogna! Che schifo',
    lang: 'it',
    likes: 40,
    published_at: new Date(from + i * 5_000).toISOString(),
  }));

const waitFor = async (f: () => boolean, ms = 30_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('desktop notification of a change of risk area', () => {
  it('announces a crisis entering the strong area once, naming the audience; a click reports the moment', async () => {
    const t = openTestApp('desktop');
    disposers.push(() => t.dispose());
    const app = t.app;
    const brand = (await app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa nelle capsule', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
    await app.dispatch('audiences.create', { name: 'Clienti Aurora', type: 'primary', rules: { sources: ['Instagram @caffeaurora'] } });
    const clicked: number[] = [];
    disposers.push(notifyRiskChanges({ app, Notification: FakeNotification as unknown as NotificationCtor, onClick: (id) => clicked.push(id) }));
    app.ingestWebhook(quiet(60));
    app.ingestWebhook(burst(START + 60 * 60_000, 40));
    // The area is judged in the background after the burst's moment opens: on a loaded CI
    // machine (a run of parallel files) that once took over 30 s.
    await waitFor(() => FakeNotification.shown.length > 0, 50_000);
    const n = FakeNotification.shown[0]!;
    expect(n.options.title).toBe('Rischio forte');
    expect(n.options.body).toMatch(/^\u2068Muffa nelle capsule\u2069 — forte: \d+% delle menzioni dal pubblico primario «Clienti Aurora», [\d,]+\/min/);
    expect(n.options.urgency).toBe('critical');
    // More of the same: still strong, no second notification.
    app.ingestWebhook(burst(START + 64 * 60_000, 20));
    await new Promise((r) => setTimeout(r, 600));
    expect(FakeNotification.shown).toHaveLength(1);
    n.clickListeners[0]!();
    const list = (await app.dispatch('moments.list', { kind: 'crisis' })) as { items: { id: number }[] };
    expect(clicked).toEqual([list.items[0]!.id]);
    expect(app.audiences.riskArea(list.items[0]!.id)).toBe('strong');
  });

  it('speaks English when the UI does', () => {
    // Title and body both: the explanation was once the Italian line under an English title.
    const explain = {
      area: 'weak' as const,
      volume: 12,
      lead: { name: 'Clienti Aurora', type: 'primary' as const, share: 0.5, ofComments: false, velocity: 1.25, count: 6, significant: true, reason: 'tiny' as const, topAuthorShare: 0.2, engagement: 3 },
      types: [],
    };
    expect(riskText({ momentId: 1, title: 'Mould', from: 'strong', to: 'weak', explain }, 'en')).toEqual({
      title: 'Risk back to weak',
      body: '\u2068Mould\u2069 — weak: 50% of the mentions from the primary audience «Clienti Aurora», 1.3/min, only 6 mentions',
    });
    expect(riskText({ momentId: 1, title: 'Muffa', from: 'strong', to: 'weak', explain }, 'it')).toEqual({
      title: 'Rischio tornato debole',
      body: '\u2068Muffa\u2069 — debole: 50% delle menzioni dal pubblico primario «Clienti Aurora», 1,3/min, solo 6 menzioni',
    });
  });
});
