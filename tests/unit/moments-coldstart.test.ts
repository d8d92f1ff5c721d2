// Cold start (issue 14, item 1): no warm-up. A baseline leans on its prior while the stream is
// young and on observed windows once it has them; crises are judged from the first minute, a
// moment opened on a young baseline says how young it was, and no setting silences detection.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/app';
import { classify, ewmaBaseline, negFloor, shareRise, withPrior, type KeyInfo } from '../../src/core/moments/detector';
import { DEFAULT_MOMENT_SETTINGS, type MomentSummary } from '../../src/shared/moments';
import { onClose, tempDir, testApp, testPlatform } from './support/core';
import { createDemoPerimeter, demoStream, feedInSlices } from './support/demo-moments';

const S = DEFAULT_MOMENT_SETTINGS;
const L = S.baselineBuckets;
// The first mention of the demo's pile-on (10:31:11).
const PILE_ON = Date.parse('2026-11-20T10:31:11.593Z');
const brand: KeyInfo = { kind: 'brand', label: 'b', themeId: null, crisisOk: true, opportunityOk: true, priority: 2 };

const streamFrom = (hhmmss: string): ReturnType<typeof demoStream> => demoStream().filter((x) => Date.parse(x.published_at) >= Date.parse(`2026-11-20T${hhmmss}Z`));

async function moments(app: ReturnType<typeof testApp>['app']): Promise<MomentSummary[]> {
  return ((await app.dispatch('moments.list', { limit: 100 })) as { items: MomentSummary[] }).items;
}

describe('the baseline with a prior', () => {
  it('leans on the negatives\' prior on a cold start, on the observed windows once the span is observed, on a mix in between', () => {
    const obs = ewmaBaseline(() => ({ n: 2, neg: 0 }), 0, 11, L);
    const floor = negFloor(S);
    const cold = withPrior(obs, 0, L, floor);
    expect(cold.negMean).toBeCloseTo(1 / 12); // one negative an hour, per 5-minute window
    expect(cold.observed).toBe(0);
    expect(withPrior(obs, 6, L, floor).negMean).toBeCloseTo(1 / 24);
    const full = withPrior(obs, L, L, floor);
    expect(full.negMean).toBe(0);
    expect(full.observed).toBe(L);
    // The volume has no prior (a trend waits for a full baseline), and the spread keeps its Poisson floor.
    expect(cold.mean).toBeCloseTo(2);
    expect(cold.negSd).toBeGreaterThanOrEqual(1);
    // A prior never lowers what was observed: it only completes a young baseline.
    expect(withPrior({ mean: 20, sd: 5, negMean: 3, negSd: 2 }, 2, L, floor).negMean).toBe(3);
  });

  it("a brand seen for the first time is taken as fairly negative until its own mentions say otherwise", () => {
    const cold = { mean: 0, sd: 1, negMean: 0, negSd: 1, observed: 0 };
    // Half negative is ordinary enough for a brand nobody has measured yet...
    expect(classify(brand, { n: 12, neg: 6, sent: -2, brand: 12 }, cold, S)).toBeNull();
    // ...a pile-on is not.
    expect(classify(brand, { n: 40, neg: 34, sent: -25, brand: 40 }, cold, S)?.kind).toBe('crisis');
    // Once an hour of a calm brand is observed (100 mentions a window, 10 % negative), its own share rules.
    const known = { mean: 100, sd: 10, negMean: 10, negSd: 3.2, observed: L };
    expect(shareRise({ n: 100, neg: 30, sent: 0, brand: 100 }, known, L)).toBeGreaterThan(S.zThreshold);
    expect(shareRise({ n: 100, neg: 30, sent: 0, brand: 100 }, cold, L)).toBeLessThan(S.zThreshold);
  });
});

describe('cold start on the demo stream', () => {
  it('a workspace that starts listening a quarter of an hour before the pile-on opens the crisis within a minute, and says its baseline was 15 minutes', async () => {
    const { app } = testApp();
    await createDemoPerimeter(app);
    feedInSlices(app, streamFrom('10:16:00'), 10_000);
    const crises = (await moments(app)).filter((m) => m.kind === 'crisis');
    expect(crises.map((m) => m.title)).toEqual(['Boicottaggio e proteste']);
    const c = crises[0]!;
    expect(Date.parse(c.openedAt) - PILE_ON).toBeGreaterThanOrEqual(0);
    expect(Date.parse(c.openedAt) - PILE_ON).toBeLessThan(60_000);
    expect(c).toMatchObject({ baselineFull: false, baselineMinutes: 15 });
  }, 120_000);

  it('a workspace that starts listening as the pile-on starts still opens it within a minute', async () => {
    const { app } = testApp();
    await createDemoPerimeter(app);
    feedInSlices(app, streamFrom('10:31:00'), 10_000);
    const c = (await moments(app)).find((m) => m.kind === 'crisis');
    expect(c?.title).toBe('Boicottaggio e proteste');
    expect(Date.parse(c!.openedAt) - PILE_ON).toBeLessThan(60_000);
    expect(c).toMatchObject({ baselineFull: false, baselineMinutes: 0 });
  }, 120_000);

  it('with an hour of stream behind it the baseline is full, and the age survives a restart', async () => {
    const dataDir = tempDir();
    const app = openApp({ platform: testPlatform(dataDir), mode: 'browser' });
    await createDemoPerimeter(app as ReturnType<typeof testApp>['app']);
    feedInSlices(app as ReturnType<typeof testApp>['app'], streamFrom('10:16:00').filter((x) => Date.parse(x.published_at) < Date.parse('2026-11-20T10:40:00Z')), 10_000);
    const before = (await moments(app as ReturnType<typeof testApp>['app'])).find((m) => m.kind === 'crisis');
    app.close();
    const again = openApp({ platform: testPlatform(dataDir), mode: 'browser' });
    onClose(() => again.close());
    const after = (await moments(again as ReturnType<typeof testApp>['app'])).find((m) => m.kind === 'crisis');
    expect(after).toMatchObject({ baselineMinutes: before!.baselineMinutes, baselineFull: false });
    // The full demo day: by 10:31 two and a half hours are behind the baseline.
    const { app: day } = testApp();
    await createDemoPerimeter(day);
    feedInSlices(day, demoStream(), 10_000);
    expect((await moments(day)).every((m) => m.baselineFull && m.baselineMinutes === S.bucketMinutes * L)).toBe(true);
  }, 120_000);

  it('no setting silences detection: a stored warm-up from an older version is ignored, and the settings no longer take one', async () => {
    const dataDir = tempDir();
    const first = openApp({ platform: testPlatform(dataDir), mode: 'browser' });
    first.close();
    const raw = new Database(join(dataDir, 'vedetta.db'));
    raw.prepare("INSERT INTO settings (key, value) VALUES ('moments.settings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(JSON.stringify({ ...S, warmupMinutes: 1_440 }));
    raw.close();
    const app = openApp({ platform: testPlatform(dataDir), mode: 'browser' }) as ReturnType<typeof testApp>['app'];
    onClose(() => app.close());
    expect(await app.dispatch('moments.settings', {})).toEqual(S);
    await expect(app.dispatch('moments.settingsUpdate', { warmupMinutes: 30 })).rejects.toMatchObject({ code: 'invalid' });
    await createDemoPerimeter(app);
    feedInSlices(app, streamFrom('10:30:00'), 10_000);
    expect((await moments(app)).some((m) => m.kind === 'crisis' && Date.parse(m.openedAt) - PILE_ON < 60_000)).toBe(true);
  }, 120_000);
});
