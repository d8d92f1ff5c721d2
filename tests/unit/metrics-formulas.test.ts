// Every Tier 2 formula, with the edge cases: zero views, missing baseline, single point.
import { describe, expect, it } from 'vitest';
import {
  compoundEngagement,
  dropOffCurve,
  interventionEffect,
  linearRegression,
  mean,
  normalCdf,
  normalizeTime,
  projectedBreach,
  regionalGaps,
  relativeWorsening,
  std,
  twoProportionZTest,
} from '../../src/core/metrics/formulas';
import { parseNumber } from '../../src/core/metrics/csv';
import { REGIONS, resolveRegion } from '../../src/shared/regions';

describe('compound engagement', () => {
  it('is (likes + comments + shares) / views', () => {
    expect(compoundEngagement(80, 15, 5, 1000)).toBeCloseTo(0.1);
  });
  it('is null with zero or missing views, never Infinity or NaN', () => {
    expect(compoundEngagement(10, 1, 1, 0)).toBeNull();
    expect(compoundEngagement(0, 0, 0, 0)).toBeNull();
    expect(compoundEngagement(10, 1, 1, null)).toBeNull();
  });
  it('is zero with views and no interactions', () => {
    expect(compoundEngagement(0, 0, 0, 50)).toBe(0);
  });
});

describe('mean, std and the baseline', () => {
  it('mean of nothing is null; std needs two values', () => {
    expect(mean([])).toBeNull();
    expect(mean([4])).toBe(4);
    expect(std([4])).toBeNull();
    expect(std([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138, 3);
  });
  it('relative worsening: a 20% CTR drop against the mean of the baseline', () => {
    expect(relativeWorsening(0.04, [0.05, 0.05, 0.05], true)).toBeCloseTo(0.2);
    // Lower is better for bounce: a rise is a worsening.
    expect(relativeWorsening(0.36, [0.3, 0.3], false)).toBeCloseTo(0.2);
    // An improvement is negative.
    expect(relativeWorsening(0.06, [0.05, 0.05], true)).toBeCloseTo(-0.2);
  });
  it('missing baseline (none or a single point) gives null: no alert without history', () => {
    expect(relativeWorsening(0.01, [], true)).toBeNull();
    expect(relativeWorsening(0.01, [0.05], true)).toBeNull();
    expect(relativeWorsening(0.01, [0, 0], true)).toBeNull();
  });
});

describe('trend', () => {
  it('fits a line by least squares', () => {
    const l = linearRegression([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]);
    expect(l?.slope).toBeCloseTo(2);
    expect(l?.intercept).toBeCloseTo(1);
  });
  it('a single point, or points at one instant, have no trend', () => {
    expect(linearRegression([{ x: 5, y: 1 }])).toBeNull();
    expect(linearRegression([{ x: 5, y: 1 }, { x: 5, y: 2 }])).toBeNull();
    expect(projectedBreach([{ x: 0, y: 0.2 }], 0.3, 'above', 60_000)).toBeNull();
  });
  it('projects a breach ahead of time, and not once already past the threshold', () => {
    const min = 60_000;
    const rising = [0.2, 0.22, 0.24, 0.26].map((y, i) => ({ x: i * 10 * min, y }));
    const p = projectedBreach(rising, 0.3, 'above', 60 * min);
    expect(p?.breach).toBe(true);
    expect(p?.projected).toBeCloseTo(0.38);
    expect(projectedBreach(rising, 0.3, 'above', 5 * min)?.breach).toBe(false);
    const past = [...rising, { x: 40 * min, y: 0.31 }];
    expect(projectedBreach(past, 0.3, 'above', 60 * min)?.breach).toBe(false);
  });
});

describe('two-proportion z-test', () => {
  it('matches a textbook example', () => {
    // 200/1000 vs 150/1000: z ≈ 2.94, p ≈ 0.0033.
    const r = twoProportionZTest(200, 1000, 150, 1000);
    expect(r?.z).toBeCloseTo(2.94, 2);
    expect(r?.pValue).toBeCloseTo(0.0033, 3);
  });
  it('equal rates: z = 0 and p = 1', () => {
    const r = twoProportionZTest(50, 1000, 50, 1000);
    expect(r?.z).toBeCloseTo(0);
    expect(r?.pValue).toBeCloseTo(1);
  });
  it('is null with an empty group, impossible counts or no variance', () => {
    expect(twoProportionZTest(0, 0, 5, 100)).toBeNull();
    expect(twoProportionZTest(120, 100, 5, 100)).toBeNull();
    expect(twoProportionZTest(0, 100, 0, 100)).toBeNull();
    expect(twoProportionZTest(100, 100, 100, 100)).toBeNull();
  });
  it('normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(normalCdf(-1.96)).toBeCloseTo(0.025, 3);
  });
});

describe('regional gaps', () => {
  it('flags regions more than 10% away from the mean', () => {
    const g = regionalGaps([{ code: '03', value: 0.05 }, { code: '12', value: 0.05 }, { code: '15', value: 0.035 }], 0.1);
    expect(g.mean).toBeCloseTo(0.045);
    expect(g.values.find((v) => v.code === '15')?.flagged).toBe(true);
    expect(g.values.find((v) => v.code === '15')?.gap).toBeCloseTo(-0.2222, 3);
    expect(g.values.find((v) => v.code === '03')?.flagged).toBe(true);
  });
  it('a single region has no gap; no regions, no mean', () => {
    expect(regionalGaps([{ code: '03', value: 0.05 }], 0.1).values[0]?.flagged).toBe(false);
    expect(regionalGaps([], 0.1).mean).toBeNull();
  });
  it('knows the 20 regions by ISTAT code and by name', () => {
    expect(REGIONS).toHaveLength(20);
    expect(new Set(REGIONS.map((r) => r.code)).size).toBe(20);
    expect(resolveRegion('3')?.name).toBe('Lombardia');
    expect(resolveRegion('Lombardy')?.code).toBe('03');
    expect(resolveRegion("Valle d'Aosta")?.code).toBe('02');
    expect(resolveRegion('Sicily')?.area).toBe('islands');
    expect(resolveRegion('Atlantide')).toBeUndefined();
  });
});

describe('drop-off curve', () => {
  it('turns cumulative drop-off rates into retention', () => {
    const c = dropOffCurve({ 30: 0.25, 60: 0.4, 90: 0.55 });
    expect(c.map((p) => p.second)).toEqual([0, 30, 60, 90]);
    [1, 0.75, 0.6, 0.45].forEach((r, i) => expect(c[i]?.retained).toBeCloseTo(r));
  });
  it('a single point gives a two-point curve; missing rates are skipped', () => {
    expect(dropOffCurve({ 30: 0.1 })).toEqual([{ second: 0, retained: 1 }, { second: 30, retained: 0.9 }]);
    expect(dropOffCurve({})).toEqual([{ second: 0, retained: 1 }]);
  });
});

describe('intervention effect', () => {
  const h = 3600_000;
  const pts = [0.04, 0.04, 0.02, 0.02, 0.05, 0.05, 0.06].map((value, i) => ({ at: i * h, value }));
  it('compares same-length windows before and after', () => {
    const e = interventionEffect(pts, 4 * h, 7 * h, true);
    expect(e.windowMs).toBe(3 * h);
    expect(e.beforeCount).toBe(3);
    expect(e.afterCount).toBe(3);
    expect(e.before).toBeCloseTo(0.08 / 3);
    expect(e.after).toBeCloseTo(0.16 / 3);
    expect(e.change).toBeCloseTo(1);
    expect(e.improved).toBe(true);
  });
  it('right after the intervention there is nothing to compare yet', () => {
    const e = interventionEffect(pts, 4 * h, 4 * h, true);
    expect(e.afterCount).toBe(0);
    expect(e.change).toBeNull();
    expect(e.improved).toBeNull();
  });
  it('lower is better for bounce: a fall is an improvement', () => {
    const b = [0.4, 0.4, 0.3, 0.3].map((value, i) => ({ at: i * h, value }));
    expect(interventionEffect(b, 2 * h, 4 * h, false).improved).toBe(true);
  });
});

describe('time normalisation', () => {
  it('keeps the written offset as the source zone', () => {
    expect(normalizeTime('2026-11-23T09:30:00+01:00')).toEqual({ at: Date.UTC(2026, 10, 23, 8, 30), tz: '+01:00' });
    expect(normalizeTime('2026-11-23T08:30:00Z')).toEqual({ at: Date.UTC(2026, 10, 23, 8, 30), tz: 'UTC' });
  });
  it('reads a local time in its IANA zone, across DST', () => {
    expect(normalizeTime('2026-07-01 10:00', 'Europe/Rome')).toEqual({ at: Date.UTC(2026, 6, 1, 8), tz: 'Europe/Rome' });
    expect(normalizeTime('2026-12-01 10:00', 'Europe/Rome')).toEqual({ at: Date.UTC(2026, 11, 1, 9), tz: 'Europe/Rome' });
    expect(normalizeTime('2026-11-23T10:00', 'America/New_York')).toEqual({ at: Date.UTC(2026, 10, 23, 15), tz: 'America/New_York' });
  });
  it('refuses a local time without a zone, an unknown zone and garbage, saying why', () => {
    expect(normalizeTime('2026-11-23 10:00')).toMatchObject({ error: expect.stringMatching(/fuso orario/) });
    expect(normalizeTime('2026-11-23 10:00', 'Europe/Atlantide')).toMatchObject({ error: expect.stringMatching(/sconosciuto/) });
    expect(normalizeTime('ieri sera')).toMatchObject({ error: expect.stringMatching(/ISO 8601/) });
  });
});

describe('numbers from exports', () => {
  it('reads Italian and English numbers and percentages', () => {
    expect(parseNumber('3,4%')).toBeCloseTo(0.034);
    expect(parseNumber('1.234,5')).toBe(1234.5);
    expect(parseNumber('1,234.5')).toBe(1234.5);
    expect(parseNumber('1.200', true)).toBe(1200);
    expect(parseNumber('1.200')).toBe(1.2);
    expect(parseNumber('0.12')).toBe(0.12);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('abc')).toMatchObject({ error: expect.any(String) });
  });
});
