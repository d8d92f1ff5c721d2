// Moments: the detector's pieces (baseline, classification, emergent terms), the migration on
// a store built by the real migrations, and detection through a real app on real SQLite:
// stream time not wall time, late items, a stream replayed ahead of the clock, settings,
// filters and the mentions of a moment.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, ewmaBaseline, fastCrisis, normalTail, poissonTail, shareRise, stillActive, type KeyInfo } from '../../src/core/moments/detector';
import { contentWords, emergentTerms, ThemeVocabulary } from '../../src/core/moments/terms';
import { fold } from '../../src/shared/text';
import { openApp } from '../../src/app/app';
import { migrate, migrations } from '../../src/core/store/migrations';
import { DEFAULT_MOMENT_SETTINGS, type MomentSummary } from '../../src/shared/moments';
import { ApiError } from '../../src/shared/contract';
import { onClose, tempDir, testApp, testPlatform } from './support/core';

const S = DEFAULT_MOMENT_SETTINGS;
const theme = (stance: 'in_perimeter' | 'sensitive'): KeyInfo => ({
  kind: 'theme',
  label: 't',
  themeId: 1,
  crisisOk: stance !== 'in_perimeter',
  opportunityOk: stance === 'in_perimeter',
  priority: 4,
});

describe('baseline and classification', () => {
  it('EWMA follows the level; the spread is floored at the Poisson level', () => {
    const flat = ewmaBaseline(() => ({ n: 10, neg: 2 }), 0, 11, 12);
    expect(flat.mean).toBeCloseTo(10);
    expect(flat.sd).toBeCloseTo(Math.sqrt(10)); // no variance, Poisson floor
    expect(flat.negSd).toBeCloseTo(Math.sqrt(2));
    const none = ewmaBaseline(() => undefined, 5, 4, 12);
    expect(none).toEqual({ mean: 0, sd: 1, negMean: 0, negSd: 1 });
    const noisy = ewmaBaseline((b) => ({ n: b % 2 ? 30 : 0, neg: 0 }), 0, 23, 12);
    expect(noisy.sd).toBeGreaterThan(Math.sqrt(noisy.mean));
  });

  it('a negative surge on a sensitive theme is a crisis; on an in-perimeter theme it is nothing', () => {
    const base = { mean: 2, sd: 1.5, negMean: 0.5, negSd: 1 };
    const st = { n: 12, neg: 10, sent: -6, brand: 12 };
    expect(classify(theme('sensitive'), st, base, S)?.kind).toBe('crisis');
    expect(classify(theme('in_perimeter'), st, base, S)).toBeNull();
  });

  it('an opportunity needs a rising, not negative volume above its own minimum', () => {
    const base = { mean: 3, sd: 1.8, negMean: 0.5, negSd: 1 };
    expect(classify(theme('in_perimeter'), { n: 30, neg: 2, sent: 12, brand: 30 }, base, S)?.kind).toBe('opportunity');
    expect(classify(theme('in_perimeter'), { n: 30, neg: 12, sent: -2, brand: 30 }, base, S)).toBeNull(); // too negative
    expect(classify(theme('in_perimeter'), { n: 10, neg: 0, sent: 5, brand: 10 }, base, S)).toBeNull(); // below 15
    expect(classify(theme('sensitive'), { n: 30, neg: 2, sent: 12, brand: 30 }, base, S)).toBeNull(); // not in perimeter
  });

  it('a busy key wobbling within its usual range is not a surge (z alone is not enough)', () => {
    const brand: KeyInfo = { kind: 'brand', label: 'b', themeId: null, crisisOk: true, opportunityOk: true, priority: 2 };
    const base = { mean: 40, sd: 4, negMean: 10, negSd: 2 };
    // z = 5 on the negatives, but not twice the usual level.
    expect(classify(brand, { n: 50, neg: 19, sent: -2, brand: 50 }, base, S)).toBeNull();
    expect(classify(brand, { n: 80, neg: 45, sent: -20, brand: 80 }, base, S)?.kind).toBe('crisis');
  });

  it('a moment stays open at half its opening bar (hysteresis)', () => {
    const base = { mean: 2, sd: 1.5, negMean: 0.5, negSd: 1 };
    expect(stillActive('crisis', { n: 5, neg: 3, sent: -2, brand: 5 }, base, S, false).active).toBe(true);
    expect(stillActive('crisis', { n: 2, neg: 1, sent: 0, brand: 2 }, base, S, false).active).toBe(false);
  });
});

describe('fast path and the brand\'s share test', () => {
  it('Poisson tail and normal tail match known values', () => {
    expect(poissonTail(0, 3)).toBe(1);
    expect(poissonTail(2, 0)).toBe(0);
    expect(poissonTail(2, 1)).toBeCloseTo(1 - 2 / Math.E, 10);
    expect(poissonTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 10);
    // Tail far beyond the mean, where 1 − CDF would lose every digit.
    const first = (Math.exp(-0.01) * 0.01 ** 10) / 3_628_800;
    expect(poissonTail(10, 0.01) / first).toBeCloseTo(1 + 0.01 / 11, 4);
    expect(normalTail(0)).toBeCloseTo(0.5, 6);
    expect(normalTail(3)).toBeCloseTo(0.00135, 5);
    expect(normalTail(-1)).toBeCloseTo(0.8413, 4);
  });

  it('two negatives from two authors on a silent key are a surge; one author, or a key with a background, is not', () => {
    expect(fastCrisis(2, 2, 0, S)).toBeGreaterThanOrEqual(S.zThreshold);
    expect(fastCrisis(2, 1, 0, S)).toBeNull(); // one person posting twice
    expect(fastCrisis(2, 2, 1, S)).toBeNull(); // a negative per window is usual there
    expect(fastCrisis(4, 4, 1, S)).not.toBeNull();
    // A brand with ten complaints per window needs a dozen in two minutes.
    expect(fastCrisis(11, 11, 10, S)).toBeNull();
    expect(fastCrisis(12, 12, 10, S)).not.toBeNull();
    // A stricter threshold asks for more.
    expect(fastCrisis(2, 2, 0, { ...S, zThreshold: 4 })).toBeNull();
  });

  it('the brand test is on the rise of the negative share, whatever neutral talk dilutes it', () => {
    // The same complaints against the same usual level of complaints, with and without a
    // lot of neutral product talk counted as the brand: both ordinary, both a jump.
    const lean = { mean: 20, sd: 4.5, negMean: 6, negSd: 2.5 };
    const rich = { mean: 30, sd: 5.5, negMean: 6, negSd: 2.5 };
    expect(shareRise({ n: 21, neg: 7, sent: 0, brand: 21 }, lean, 12)).toBeLessThan(1);
    expect(shareRise({ n: 31, neg: 7, sent: 0, brand: 31 }, rich, 12)).toBeLessThan(1);
    expect(shareRise({ n: 60, neg: 45, sent: -20, brand: 60 }, lean, 12)).toBeGreaterThan(S.zThreshold);
    expect(shareRise({ n: 70, neg: 45, sent: -20, brand: 70 }, rich, 12)).toBeGreaterThan(S.zThreshold);
    const brand: KeyInfo = { kind: 'brand', label: 'b', themeId: null, crisisOk: true, opportunityOk: true, priority: 2 };
    // Over half negative but as usual for this brand: no crisis (a fixed "half" used to open one).
    const grumpy = { mean: 20, sd: 4.5, negMean: 11, negSd: 3.3 };
    expect(classify(brand, { n: 22, neg: 12, sent: -3, brand: 22 }, grumpy, S)).toBeNull();
  });
});

describe('emergent terms', () => {
  it('folds case and accents, drops stopwords, handles and URLs, keeps hashtags', () => {
    expect(fold('Perché CAFFÈ')).toBe('perche caffe');
    const w = contentWords("L'app è lentissima https://x.example/a @caffeaurora #SettimanaDelCaffè per tutti").filter(Boolean);
    expect(w).toEqual(['lentissima', '#settimanadelcaffe']);
  });

  it('leaves out what the perimeter already names (words, #tags, prefix* stems) and pairs adjacent content words', () => {
    const vocab = new ThemeVocabulary(['(muffa OR mould) AND capsul*', '#boicottaAurora OR "mai più aurora"', 'lang:it AND borealis']);
    expect(vocab.covers('muffa')).toBe(true);
    expect(vocab.covers('capsule')).toBe(true);
    expect(vocab.covers('#boicottaaurora')).toBe(true);
    expect(vocab.covers('lang')).toBe(false);
    const terms = emergentTerms(null, 'Richiamate le capsule invece di postare foto di tazzine! #boicottaAurora #richiamo', vocab);
    expect(terms).toContain('richiamate');
    expect(terms).toContain('postare foto');
    expect(terms).toContain('#richiamo');
    expect(terms).not.toContain('capsule');
    expect(terms).not.toContain('#boicottaaurora');
  });
});

describe('migration', () => {
  it('adds the moment tables to a store built by the earlier real migrations, keeping its mentions', () => {
    const file = join(tempDir(), 'v.db');
    const db = new Database(file);
    onClose(() => db.close());
    const version = migrations.find((m) => m.name === 'moments')!.version;
    migrate(db, migrations.filter((m) => m.version < version));
    db.prepare("INSERT INTO sources (kind, name, created_at) VALUES ('webhook', 's', 1)").run();
    const applied = migrate(db);
    // Later migrations (added after moments) run too.
    expect(applied).toEqual(migrations.filter((m) => m.version >= version).map((m) => m.version));
    for (const t of ['moment_counts', 'moments', 'moment_keys', 'moment_mentions']) {
      expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(t)).toBeTruthy();
    }
    expect(db.prepare('SELECT COUNT(*) AS n FROM sources').get()).toEqual({ n: 1 });
  });
});

// ---- through a real app ----
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
const burst = (from: number, n: number, prefix = 'b', spacing = 10_000): Item[] =>
  Array.from({ length: n }, (_, i) => ({
    source: 'Instagram @caffeaurora',
    external_id: `${prefix}${i}`,
    text: 'Muffa nelle capsule Aurora, vergogna! Che schifo',
    lang: 'it',
    published_at: new Date(from + i * spacing).toISOString(),
  }));

async function withPerimeter(app: ReturnType<typeof testApp>['app']): Promise<{ themeId: number }> {
  const brand = (await app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
  const t = (await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' })) as { id: number };
  await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Bar', query: 'barista', swot: 'strength', stance: 'in_perimeter' });
  return { themeId: t.id };
}
const list = async (app: ReturnType<typeof testApp>['app'], input: Record<string, unknown> = {}) =>
  (await app.dispatch('moments.list', input)) as { items: MomentSummary[]; total: number };

describe('detection in a real store', () => {
  it('uses published time, not the wall clock: a burst stamped an hour later opens at its own time', async () => {
    const { app } = testApp({ now: () => Date.parse('2030-01-01T00:00:00Z') });
    const { themeId } = await withPerimeter(app);
    app.ingestWebhook(quiet(START, 60));
    app.ingestWebhook(burst(START + 60 * MIN, 10));
    const { items } = await list(app);
    expect(items).toHaveLength(1);
    const m = items[0]!;
    expect(m.kind).toBe('crisis');
    expect(m.themeId).toBe(themeId);
    expect(Date.parse(m.openedAt)).toBeGreaterThanOrEqual(START + 60 * MIN);
    expect(Date.parse(m.openedAt)).toBeLessThan(START + 62 * MIN);
    // Filters.
    expect((await list(app, { kind: 'opportunity' })).total).toBe(0);
    expect((await list(app, { kind: 'crisis', state: 'open' })).total).toBe(1);
    expect((await list(app, { themeId })).total).toBe(1);
    expect((await list(app, { themeId: themeId + 100 })).total).toBe(0);
    // Its mentions, through mentions.list.
    const page = (await app.dispatch('mentions.list', { query: { momentId: m.id }, limit: 100 })) as { total: number; items: { text: string }[] };
    expect(page.total).toBe(m.volume);
    expect(page.items.every((x) => /muffa/i.test(x.text))).toBe(true);
    const none = (await app.dispatch('mentions.list', { query: { momentId: 9999 } })) as { total: number };
    expect(none.total).toBe(0);
    // The quiet tail closes it after closeAfterMinutes of stream time.
    app.ingestWebhook(quiet(START + 62 * MIN, 40, 'tail'));
    expect((await list(app)).items[0]!.state).toBe('closed');
  });

  it('late items land in their own window: a burst stamped 40 minutes ago opens a moment at its own time', async () => {
    const { app } = testApp();
    await withPerimeter(app);
    // After the warm-up hour: the burst at minute 70 arrives when the stream is at minute 110.
    app.ingestWebhook(quiet(START, 110));
    app.ingestWebhook(burst(START + 70 * MIN, 10, 'late'));
    const { items } = await list(app);
    expect(items).toHaveLength(1);
    expect(Date.parse(items[0]!.openedAt)).toBeLessThan(START + 72 * MIN);
    // The current window (minute 110) is untouched by them.
    const d = (await app.dispatch('moments.get', { id: items[0]!.id })) as { timeline: { start: string; volume: number }[] };
    const atBurst = d.timeline.find((b) => Date.parse(b.start) === START + 70 * MIN);
    expect(atBurst?.volume).toBeGreaterThanOrEqual(10);
  });

  it('a stream replayed ahead of the clock does not mute a live one that follows', async () => {
    const { app } = testApp();
    await withPerimeter(app);
    const ahead = START + 10 * 3_600_000;
    app.ingestWebhook(quiet(ahead, 60, 'ahead'));
    // Now the live stream, hours "earlier" than the replay's last item.
    app.ingestWebhook(quiet(START, 60, 'live'));
    app.ingestWebhook(burst(START + 60 * MIN, 10, 'liveb'));
    const crises = (await list(app, { kind: 'crisis' })).items;
    expect(crises).toHaveLength(1);
    expect(Date.parse(crises[0]!.openedAt)).toBeLessThan(START + 62 * MIN);
  });

  it('fast path: two negative mentions by two people on a silent sensitive theme open a crisis at the second one; one person twice does not', async () => {
    const { app } = testApp();
    const { themeId } = await withPerimeter(app);
    app.ingestWebhook(quiet(START, 60));
    const at = START + 60 * MIN;
    const pile = (id: string, author: string, t: number): Item => ({
      source: 'X/Twitter',
      external_id: id,
      author,
      text: 'Muffa nelle capsule, che schifo! Vergogna',
      lang: 'it',
      published_at: new Date(t).toISOString(),
    });
    // The same person twice: nothing.
    app.ingestWebhook([pile('s1', 'anna', at), pile('s2', 'anna', at + 20_000)]);
    expect((await list(app)).total).toBe(0);
    // Someone else 20 s later: a crisis on the theme, opened at that mention.
    app.ingestWebhook([pile('s3', 'bruno', at + 40_000)]);
    const { items } = await list(app);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'crisis', themeId, openedAt: new Date(at + 40_000).toISOString() });
  });

  it('fast path: a sensitive theme with a steady background of complaints needs more than two', async () => {
    const { app } = testApp();
    await withPerimeter(app);
    // One negative on the theme every five minutes, by different people, all morning.
    const background: Item[] = Array.from({ length: 12 }, (_, i) => ({
      source: 'X/Twitter',
      external_id: `bg${i}`,
      author: `p${i}`,
      text: 'Muffa nelle capsule, che schifo',
      lang: 'it',
      published_at: new Date(START + i * 5 * MIN + 30_000).toISOString(),
    }));
    app.ingestWebhook([...quiet(START, 60), ...background]);
    const two = [0, 1].map((i) => ({ source: 'X/Twitter', external_id: `two${i}`, author: `t${i}`, text: 'Muffa nelle capsule, vergogna', lang: 'it', published_at: new Date(START + 61 * MIN + i * 20_000).toISOString() }));
    app.ingestWebhook(two);
    expect((await list(app)).total).toBe(0);
  });

  it('settings are validated with Italian messages, stored, and survive a restart; a change recomputes', async () => {
    const dataDir = tempDir();
    const app = openApp({ platform: testPlatform(dataDir), mode: 'browser' });
    await expect(app.dispatch('moments.settingsUpdate', { zThreshold: 0.5 })).rejects.toMatchObject({ code: 'invalid' });
    try {
      await app.dispatch('moments.settingsUpdate', { bucketMinutes: 0 });
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).detailLines('it').join(' ')).toMatch(/almeno 1 minuto/);
    }
    const next = (await app.dispatch('moments.settingsUpdate', { zThreshold: 4, minVolume: 7 })) as typeof S;
    expect(next).toMatchObject({ zThreshold: 4, minVolume: 7, bucketMinutes: 5 });
    app.close();
    const again = openApp({ platform: testPlatform(dataDir), mode: 'browser' });
    onClose(() => again.close());
    expect(await again.dispatch('moments.settings', {})).toMatchObject({ zThreshold: 4, minVolume: 7 });
    await expect(again.dispatch('moments.get', { id: 42 })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/Momento 42 non trovato/) });
  });

  it('mentions stored before moments existed are read once at start', async () => {
    const dataDir = tempDir();
    const first = openApp({ platform: testPlatform(dataDir), mode: 'browser' });
    await withPerimeter(first as ReturnType<typeof testApp>['app']);
    first.ingestWebhook(quiet(START, 60));
    first.ingestWebhook(burst(START + 60 * MIN, 10));
    first.close();
    // Simulate a store from before moments: counts and moments gone.
    const raw = new Database(join(dataDir, 'vedetta.db'));
    raw.exec('DELETE FROM moment_mentions; DELETE FROM moment_keys; DELETE FROM moments; DELETE FROM moment_counts;');
    raw.close();
    const app = openApp({ platform: testPlatform(dataDir), mode: 'browser' });
    onClose(() => app.close());
    await expect.poll(async () => (await list(app as ReturnType<typeof testApp>['app'])).total, { timeout: 10_000 }).toBe(1);
  });
});
