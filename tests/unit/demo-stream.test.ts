// The bundled demo stream is valid input for every importer and holds the two episodes
// later analysis must find (windows documented in resources/demo/README.md).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InboundMentionSchema } from '../../src/shared/schemas';

const lines = readFileSync(resolve(import.meta.dirname, '../../resources/demo/stream.jsonl'), 'utf8').trim().split('\n');
const items = lines.map((l) => InboundMentionSchema.parse(JSON.parse(l)));
const START = Date.parse('2026-11-20T08:00:00Z');
const minute = (iso: string | undefined): number => Math.floor((Date.parse(iso ?? '') - START) / 60_000);

describe('demo stream', () => {
  it('has several thousand valid items with unique ids per source, in time order', () => {
    expect(items.length).toBeGreaterThan(4000);
    const keys = new Set(items.map((i) => `${i.source}\u0000${i.external_id}`));
    expect(keys.size).toBe(items.length);
    const times = items.map((i) => Date.parse(i.published_at ?? ''));
    expect(times.every((t, k) => k === 0 || t >= (times[k - 1] ?? 0))).toBe(true);
    expect(new Set(items.map((i) => i.lang))).toEqual(new Set(['it', 'en']));
  });

  it('has a crisis burst well above the background rate, and a later opportunity', () => {
    const perMinute = new Map<number, number>();
    for (const i of items) perMinute.set(minute(i.published_at), (perMinute.get(minute(i.published_at)) ?? 0) + 1);
    const background = [...Array(120).keys()].map((m) => perMinute.get(m) ?? 0).sort((a, b) => a - b);
    const median = background[60] ?? 1;
    const crisisPeak = Math.max(...[...Array(30).keys()].map((k) => perMinute.get(160 + k) ?? 0));
    expect(crisisPeak).toBeGreaterThanOrEqual(4 * median);
    const crisis = items.filter((i) => minute(i.published_at) >= 150 && minute(i.published_at) < 210);
    expect(crisis.filter((i) => /#boicottaAurora|Vergogna|muffa/i.test(i.text)).length).toBeGreaterThan(500);
    const opportunity = items.filter((i) => minute(i.published_at) >= 270 && minute(i.published_at) < 315);
    expect(opportunity.filter((i) => /#SettimanaDelCaffè|Aurora Fredda/i.test(i.text)).length).toBeGreaterThan(200);
  });
});
