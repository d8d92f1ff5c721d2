// Kinds never merge: a crisis during an opportunity is a second moment, even when both share
// the brand's own post, its hashtag and the brand key; and the brand's and its products' names
// (and hashtags made of them) are never emergent terms. Generated streams through the real
// ingest path into a real SQLite store.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ThemeVocabulary, emergentTerms } from '../../src/core/moments/terms';
import type { MomentSummary } from '../../src/shared/moments';
import { onClose, testApp } from './support/core';
import { importContent } from '../support/import-content';

const START = Date.parse('2026-11-20T08:00:00Z');
const MIN = 60_000;
type Item = Record<string, unknown>;
type App = ReturnType<typeof testApp>['app'];

const at = (ms: number): string => new Date(ms).toISOString();

/** An hour and a half of ordinary chatter, one mention a minute by different people. */
function chatter(from: number, minutes: number): Item[] {
  const texts = [
    'Pausa caffè al bar con gli amici',
    'Il barista di Aurora stamattina era gentile',
    'Preso un cappuccino prima del lavoro',
    'Qualcuno ha provato la nuova macchinetta?',
  ];
  return Array.from({ length: minutes }, (_, i) => ({
    source: 'Reddit r/italy',
    external_id: `q${i}`,
    author: `q${i % 17}`,
    text: texts[i % texts.length],
    lang: 'it',
    published_at: at(from + i * MIN + 7_000),
  }));
}

/** A positive trend on the brand's own post: four a minute, each by someone else. */
function trend(from: number, minutes: number): Item[] {
  return Array.from({ length: minutes * 4 }, (_, i) => ({
    source: 'Instagram @caffeaurora',
    thread_id: 'ig-post-1',
    external_id: `o${i}`,
    author: `fan${i}`,
    text: 'Bellissima la degustazione della settimana del caffè, buonissimo e fantastico! Grazie Caffè Aurora #caffeaurora #auroracrema',
    lang: 'it',
    published_at: at(from + i * 15_000),
  }));
}

/** A pile-on on the same post, with the same hashtag: six a minute, each by someone else. */
function pileOn(from: number, minutes: number): Item[] {
  return Array.from({ length: minutes * 6 }, (_, i) => ({
    source: 'Instagram @caffeaurora',
    thread_id: 'ig-post-1',
    external_id: `c${i}`,
    author: `angry${i}`,
    text: 'Vergogna Caffè Aurora, capsule con la muffa, schifo! Boicottiamo #caffeaurora #richiamo',
    lang: 'it',
    published_at: at(from + i * 10_000 + 3_000),
  }));
}

async function perimeter(app: App): Promise<{ opportunityTheme: number; crisisTheme: number }> {
  const brand = (await app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
  await app.dispatch('perimeters.productCreate', { brandId: brand.id, name: 'Aurora Crema' });
  // The brand's own Instagram account: its posts' threads are tracked.
  await app.dispatch('perimeters.ownedAdd', { brandId: brand.id, type: 'source', value: 'Instagram @caffeaurora' });
  const opp = (await app.dispatch('perimeters.themeCreate', {
    brandId: brand.id,
    name: 'Settimana del caffè',
    query: 'degustazione OR "settimana del caffè"',
    swot: 'opportunity',
    stance: 'in_perimeter',
  })) as { id: number };
  const crisis = (await app.dispatch('perimeters.themeCreate', {
    brandId: brand.id,
    name: 'Boicottaggio',
    query: 'boicott* OR vergogna',
    swot: 'threat',
    stance: 'sensitive',
  })) as { id: number };
  return { opportunityTheme: opp.id, crisisTheme: crisis.id };
}

const list = async (app: App): Promise<MomentSummary[]> => ((await app.dispatch('moments.list', { limit: 100 })) as { items: MomentSummary[] }).items;

/** Feeds items in 10-s slices of stream time, as a replay delivers them. */
function feed(app: App, items: Item[]): void {
  const sorted = [...items].sort((a, b) => Date.parse(a.published_at as string) - Date.parse(b.published_at as string));
  let i = 0;
  while (i < sorted.length) {
    const end = Math.floor(Date.parse(sorted[i]!.published_at as string) / 10_000) * 10_000 + 10_000;
    let j = i;
    while (j < sorted.length && Date.parse(sorted[j]!.published_at as string) < end) j++;
    app.ingestWebhook(sorted.slice(i, j));
    i = j;
  }
}

function termKeys(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
  onClose(() => db.close());
  return db.prepare<[], { key: string }>("SELECT DISTINCT key FROM moment_counts WHERE key LIKE 't:%'").all().map((r) => r.key);
}

describe('kinds never merge', () => {
  const OPP_AT = START + 80 * MIN;
  const CRISIS_AT = START + 90 * MIN;
  const stream = (): Item[] => [...chatter(START, 120), ...trend(OPP_AT, 25), ...pileOn(CRISIS_AT, 8)];

  it('a crisis during an opportunity, on the same post with the same hashtag, is a second moment; the opportunity is not swallowed', async () => {
    const { app } = testApp();
    const { opportunityTheme, crisisTheme } = await perimeter(app);
    feed(app, stream());
    const items = await list(app);
    const opps = items.filter((m) => m.kind === 'opportunity');
    const crises = items.filter((m) => m.kind === 'crisis');
    expect(opps).toHaveLength(1);
    expect(crises).toHaveLength(1);
    const o = opps[0]!;
    const c = crises[0]!;
    expect(o.id).not.toBe(c.id);
    // Each opens on its own episode, named after its own theme.
    expect(Date.parse(o.openedAt)).toBeGreaterThanOrEqual(OPP_AT);
    expect(Date.parse(o.openedAt)).toBeLessThan(CRISIS_AT);
    expect(o.themeId).toBe(opportunityTheme);
    expect(Date.parse(c.openedAt)).toBeGreaterThanOrEqual(CRISIS_AT);
    expect(Date.parse(c.openedAt)).toBeLessThan(CRISIS_AT + MIN);
    expect(c.themeId).toBe(crisisTheme);
    // The opportunity keeps gathering its own mentions through the crisis: all 100 of the
    // trend, none of the pile-on; the crisis has the pile-on and nothing positive.
    expect(o.volume).toBeGreaterThanOrEqual(90);
    expect(o.negative).toBe(0);
    expect(c.negative).toBeGreaterThanOrEqual(40);
    const cm = (await app.dispatch('mentions.list', { query: { momentId: c.id }, limit: 200 })) as { items: { text: string }[] };
    expect(cm.items.every((m) => /vergogna/i.test(m.text))).toBe(true);
    const om = (await app.dispatch('mentions.list', { query: { momentId: o.id }, limit: 200 })) as { items: { text: string }[] };
    expect(om.items.every((m) => /degustazione/i.test(m.text))).toBe(true);
    // The shared keys (the post, the brand) are in both moments, one per kind.
    const od = (await app.dispatch('moments.get', { id: o.id })) as { keys: { kind: string; label: string }[] };
    const cd = (await app.dispatch('moments.get', { id: c.id })) as { keys: { kind: string; label: string }[] };
    const thread = (d: { keys: { kind: string }[] }): boolean => d.keys.some((k) => k.kind === 'thread');
    expect(thread(od) && thread(cd)).toBe(true);
  });

  it('an opportunity on the post during a crisis on it opens too (the order does not matter)', async () => {
    const { app } = testApp();
    await perimeter(app);
    feed(app, [...chatter(START, 120), ...pileOn(START + 80 * MIN, 8), ...trend(START + 84 * MIN, 25)]);
    const items = await list(app);
    expect(items.map((m) => m.kind).sort()).toEqual(['crisis', 'opportunity']);
    const o = items.find((m) => m.kind === 'opportunity')!;
    expect(Date.parse(o.openedAt)).toBeGreaterThanOrEqual(START + 84 * MIN);
    expect(o.negative).toBe(0);
  });

  it("the neutral echo of a crisis (people following the pile-on on the same post) opens no opportunity", async () => {
    const { app } = testApp();
    await perimeter(app);
    const follow = Array.from({ length: 40 }, (_, i) => ({
      source: 'Instagram @caffeaurora',
      thread_id: 'ig-post-1',
      external_id: `f${i}`,
      author: `curioso${i}`,
      text: i % 2 ? 'Seguo la discussione da qui' : 'Commento per seguire la discussione',
      lang: 'it',
      published_at: at(START + 81 * MIN + i * 7_500),
    }));
    feed(app, [...chatter(START, 120), ...pileOn(START + 80 * MIN, 8), ...follow]);
    const items = await list(app);
    expect(items.map((m) => m.kind)).toEqual(['crisis']);
    // The followers' comments on the crisis' post are part of it (not positive).
    expect(items[0]!.volume).toBeGreaterThan(48);
  });

  it('a rebuild and an import of the same stream find the same two moments', async () => {
    const { app } = testApp();
    await perimeter(app);
    feed(app, stream());
    const episodes = (l: MomentSummary[]): string[] => l.map((m) => `${m.kind} ${m.title} ${m.openedAt}`).sort();
    const live = episodes(await list(app));
    await app.dispatch('moments.rebuild', {});
    await expect.poll(async () => episodes(await list(app)), { timeout: 20_000 }).toEqual(live);
    const other = testApp().app;
    await perimeter(other);
    await importContent(other, 'stream.jsonl', stream().map((i) => JSON.stringify(i)).join('\n'), 'jsonl');
    expect(episodes(await list(other))).toEqual(live);
    expect(live.map((e) => e.split(' ')[0])).toEqual(['crisis', 'opportunity']);
  });
});

describe('the brand is never an emergent term', () => {
  it('brand and product names, their words and hashtags made of them are covered; other hashtags are not', () => {
    const vocab = new ThemeVocabulary(['degustazione'], ['Caffè Aurora', 'Aurora Crema']);
    for (const w of ['aurora', 'caffe', 'crema', '#caffeaurora', '#auroracrema', '#aurora', '#caffe_aurora', '#auroracaffe']) expect(vocab.covers(w), w).toBe(true);
    for (const w of ['#boicottaaurora', '#richiamo', '#auroraday', 'muffa']) expect(vocab.covers(w), w).toBe(false);
    const terms = emergentTerms(null, 'Caffè Aurora: muffa nelle capsule Aurora Crema #caffeaurora #AuroraCrema #richiamo', vocab);
    expect(terms).toEqual(expect.arrayContaining(['muffa', 'capsule', '#richiamo']));
    expect(terms.filter((t) => /aurora|crema|caffe/.test(t))).toEqual([]);
  });

  it('no term key of a stream names the brand, its product or their hashtags', async () => {
    const { app, dataDir } = testApp();
    await perimeter(app);
    feed(app, [...chatter(START, 120), ...trend(START + 80 * MIN, 25), ...pileOn(START + 90 * MIN, 8)]);
    const keys = termKeys(dataDir);
    // Terms are tracked (the stream's other words and hashtags)…
    expect(keys).toContain('t:#richiamo');
    expect(keys).toContain('t:muffa');
    // …but never the brand's name, the product's, a pair with them or a hashtag made of them.
    expect(keys.filter((k) => /aurora|crema|caffe/.test(k))).toEqual([]);
  });
});
