// The scenario library itself (tests/eval/moments/): streams are reproducible, every episode a
// scenario names exists in its stream, and the judge reads merges and false alarms as the eval
// reports them. The scenarios' detection is judged by the eval and the integration test.
import { describe, expect, it } from 'vitest';
import { build, covers, jsonl, judge, liveBatches, type FoundMoment } from '../eval/moments/harness';
import { SCENARIOS } from '../eval/moments/scenarios';
import { brandHandle } from '../eval/moments/workspace';

const moment = (kind: FoundMoment['kind'], episodes: Record<string, number>, openedAt = 0): FoundMoment => ({
  id: 1,
  kind,
  title: 't',
  keyKind: 'theme',
  openedAt,
  closedAt: null,
  volume: 0,
  negative: 0,
  episodes: new Map(Object.entries(episodes)),
});

describe('moments scenario library', () => {
  it('has at least ten scenarios, each the same stream on every run, with the episodes it names', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
    for (const sc of SCENARIOS) {
      const a = build(sc);
      expect(jsonl(build(sc).items), sc.id).toBe(jsonl(a.items));
      for (const e of sc.expected) expect(a.episodes.has(e.episode), `${sc.id}: ${e.episode}`).toBe(true);
      for (const q of sc.quiet) expect(a.episodes.has(q.episode), `${sc.id}: ${q.episode}`).toBe(true);
      // Everything inside the scenario's span, each mention once.
      expect(a.items.every((i) => i.at >= sc.start && i.at < sc.end), sc.id).toBe(true);
      expect(new Set(a.items.map((i) => i.body.external_id)).size).toBe(a.items.length);
    }
  });

  it('posts a live stream in 10-second slices of delivery time, in order', () => {
    const built = build(SCENARIOS.find((s) => s.id === 'late-batch')!);
    const batches = liveBatches(built.items);
    expect(batches.flat()).toHaveLength(built.items.length);
    for (const b of batches) expect(Math.floor(b[0]!.deliverAt / 10_000)).toBe(Math.floor(b[b.length - 1]!.deliverAt / 10_000));
    // The late source's backlog arrives in one slice, long after it was published.
    expect(Math.max(...batches.map((b) => b.length))).toBeGreaterThan(100);
  });

  it('owned accounts are named after the brand (and declared in the perimeter by setupWorkspace)', () => {
    expect(brandHandle('Trattoria Da Nives')).toBe('@trattoriadanives');
    expect(brandHandle('Caffè Aurora')).toBe('@caffeaurora');
  });

  it('judges merges across kinds, wrong merges and false alarms', () => {
    const sc = SCENARIOS.find((s) => s.id === 'crisis-during-opportunity')!;
    const built = build(sc);
    const hygiene = sc.expected.find((e) => e.episode === 'hygiene')!;
    const merged = moment('crisis', { hygiene: 40, trend: 30 }, hygiene.from + 5_000);
    expect(covers(merged, 'trend')).toBe(true);
    const v = judge(built, { moments: [merged, moment('crisis', { '': 12 })], mentions: 0, flagged: new Map() });
    expect(v.crossKind).toEqual([merged]);
    expect(v.falseAlarms).toHaveLength(1);
    // The opportunity was not opened as an opportunity: not found.
    expect(v.expected.find((e) => e.expected.episode === 'trend')!.moment).toBeNull();
    expect(v.expected.find((e) => e.expected.episode === 'hygiene')!.delayMs).toBe(5_000);
    // A little of an episode inside a big moment is not that episode.
    expect(covers(moment('crisis', { hygiene: 100, trend: 4 }), 'trend')).toBe(false);
  });
});
