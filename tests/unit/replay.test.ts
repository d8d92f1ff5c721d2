import { describe, expect, it } from 'vitest';
import { parseReplayStream, Replayer, type ReplayClock, type StreamItem } from '../../src/connectors/inbound/replay';
import type { ReplayState } from '../../src/shared/schemas';

/** A clock the test moves by hand; the interval fires on each advance that crosses it. */
function manualClock(start = 1_000_000) {
  let now = start;
  const timers = new Map<number, { fn: () => void; ms: number; next: number }>();
  let seq = 0;
  const clock: ReplayClock = {
    now: () => now,
    setInterval: (fn, ms) => {
      timers.set(++seq, { fn, ms, next: now + ms });
      return seq;
    },
    clearInterval: (h) => {
      timers.delete(h as number);
    },
  };
  return {
    clock,
    active: () => timers.size,
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.next <= end).sort((a, b) => a[1].next - b[1].next)[0];
        if (!due) break;
        now = due[1].next;
        due[1].next += due[1].ms;
        due[1].fn();
      }
      now = end;
    },
  };
}

const line = (i: number, at: string) => JSON.stringify({ source: 'demo', external_id: `r${i}`, text: `t${i}`, published_at: at });

describe('replay stream', () => {
  it('sorts by published_at and lists unreadable lines', () => {
    const s = parseReplayStream(
      [line(2, '2026-01-01T00:00:10Z'), 'non json', line(1, '2026-01-01T00:00:00Z'), '{"text":"x"}', '', '[1]'].join('\n'),
    );
    expect(s.items.map((i) => i.item.external_id ?? i.item.text)).toEqual(['r1', 'x', 'r2']); // x has no time: it follows the line before it (r1)
    expect(s.skipped.map((x) => x.line)).toEqual([2, 6]);
  });
});

describe('Replayer', () => {
  it('emits with the original gaps divided by speed, keeping the recorded published times, and reports state', async () => {
    const { clock, advance, active } = manualClock();
    const t0 = clock.now();
    const items = parseReplayStream(
      [line(0, '2026-01-01T00:00:00Z'), line(1, '2026-01-01T00:00:01Z'), line(2, '2026-01-01T00:00:10Z'), line(3, '2026-01-01T00:01:40Z')].join('\n'),
    ).items;
    const batches: StreamItem[][] = [];
    const states: ReplayState[] = [];
    const r = new Replayer({ name: 'demo', speed: 10, items, sink: (b) => batches.push(b), onState: (s) => states.push(s), clock, tickMs: 100 });
    const done = r.start();
    // The first item goes out at once, with its recorded time.
    expect(batches).toEqual([[expect.objectContaining({ external_id: 'r0', published_at: '2026-01-01T00:00:00.000Z' })]]);
    advance(100); // stream time +1 s: item 1 is due
    expect(batches.flat().map((i) => i.external_id)).toEqual(['r0', 'r1']);
    expect(batches[1]![0]!.published_at).toBe('2026-01-01T00:00:01.000Z');
    advance(800);
    expect(batches.flat()).toHaveLength(2);
    advance(100); // +10 s of stream time
    expect(batches.flat()).toHaveLength(3);
    expect(r.state()).toEqual({ running: true, name: 'demo', speed: 10, emitted: 3, total: 4 });
    advance(9_000); // +100 s
    await done;
    // The speed paces delivery only: the published times are the file's.
    expect(batches.flat().map((i) => i.published_at)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:10.000Z', '2026-01-01T00:01:40.000Z']);
    expect(clock.now() - t0).toBe(10_000);
    expect(r.shiftMs).toBe(0);
    expect(states.at(-1)).toEqual({ running: false, name: 'demo', speed: 10, emitted: 4, total: 4 });
    expect(active()).toBe(0);
  });

  it('flushes many items per tick (1,000 items/s stays a few batches), capped per batch', () => {
    const { clock, advance } = manualClock();
    const items = Array.from({ length: 5_000 }, (_, i) => ({ at: i, item: { n: i } as StreamItem }));
    const sizes: number[] = [];
    const r = new Replayer({ name: 'x', speed: 1, items, sink: (b) => sizes.push(b.length), clock, maxBatch: 2_000 });
    void r.start();
    advance(1_000);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1_001);
    expect(sizes.length).toBeLessThanOrEqual(11);
    advance(10_000);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2_000);
  });

  it('stops on request, and a failing sink does not stop the replay', async () => {
    const { clock, advance, active } = manualClock();
    const items = Array.from({ length: 10 }, (_, i) => ({ at: i * 1000, item: { n: i } as StreamItem }));
    const errors: unknown[] = [];
    let calls = 0;
    const r = new Replayer({
      name: 'x', speed: 1, items, clock, onError: (e) => errors.push(e),
      sink: () => {
        calls++;
        if (calls === 2) throw new Error('disk full');
      },
    });
    const done = r.start();
    advance(3_000);
    expect(errors).toHaveLength(1);
    expect(r.state().emitted).toBe(4);
    r.stop();
    await done;
    expect(r.state()).toMatchObject({ running: false, emitted: 4, total: 10 });
    expect(active()).toBe(0);
    advance(100_000);
    expect(r.state().emitted).toBe(4);
  });

  it('changing speed mid-way neither jumps nor repeats', () => {
    const { clock, advance } = manualClock();
    const items = Array.from({ length: 100 }, (_, i) => ({ at: i * 1000, item: { n: i } as StreamItem }));
    const seen: number[] = [];
    const r = new Replayer({ name: 'x', speed: 1, items, clock, sink: (b) => seen.push(...b.map((i) => i.n as number)) });
    void r.start();
    advance(5_000);
    r.setSpeed(10);
    advance(1_000);
    expect(seen).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('an empty stream finishes at once', async () => {
    const r = new Replayer({ name: 'x', speed: 1, items: [], sink: () => {}, clock: manualClock().clock });
    await r.start();
    expect(r.state()).toMatchObject({ running: false, emitted: 0, total: 0 });
  });
});

describe('replay with shifted times', () => {
  it("'startNow' (the demo) shifts published_at by one constant so the first item is now, never squeezed by the speed", async () => {
    const t = (m: number) => new Date(Date.parse('2026-11-20T08:00:00Z') + m * 60_000).toISOString();
    const stream = parseReplayStream([0, 1, 60].map((m, i) => JSON.stringify({ source: 'demo', external_id: `k${i}`, text: 'x', published_at: t(m) })).join('\n'));
    let now = 1_000_000;
    let tick: (() => void) | null = null;
    const out: { published_at?: unknown }[] = [];
    const r = new Replayer({
      name: 'k',
      speed: 3_600,
      items: stream.items,
      times: 'startNow',
      sink: (b) => out.push(...b),
      clock: { now: () => now, setInterval: (f) => ((tick = f), 1), clearInterval: () => {} },
    });
    void r.start();
    now += 1_000; // one wall second at 3,600× = one stream hour: everything is due
    tick!();
    expect(out.map((i) => Date.parse(String(i.published_at)) - 1_000_000)).toEqual([0, 60_000, 3_600_000]);
  });
});

describe('replay --shift-to-now', () => {
  const t = (m: number) => new Date(Date.parse('2026-11-20T08:00:00Z') + m * 60_000 + 7_000).toISOString();
  const stream = () => parseReplayStream([0, 1, 60].map((m, i) => JSON.stringify({ source: 'r', external_id: `s${i}`, text: 'x', published_at: t(m) })).join('\n'));

  it("'endNow' dates the last item at the replay's end, keeps the gaps, and moves by whole windows (never into the future)", () => {
    const { clock, advance } = manualClock(Date.parse('2026-12-06T10:02:31Z'));
    const start = clock.now();
    const out: StreamItem[] = [];
    const window = 5 * 60_000;
    const r = new Replayer({ name: 's', speed: 60, items: stream().items, times: 'endNow', shiftStepMs: window, sink: (b) => out.push(...b), clock });
    void r.start();
    advance(60_000); // the recording's hour at 60×: everything is due
    const at = out.map((i) => Date.parse(String(i.published_at)));
    const end = start + 60_000;
    // Gaps as recorded.
    expect([at[1]! - at[0]!, at[2]! - at[1]!]).toEqual([60_000, 59 * 60_000]);
    // The last item lands at most one window before the end, never after it.
    expect(at[2]!).toBeLessThanOrEqual(end);
    expect(end - at[2]!).toBeLessThan(window);
    // A whole number of windows: every item stays in the same position within its window.
    expect(r.shiftMs % window).toBe(0);
    expect(at[0]! - Date.parse(t(0))).toBe(r.shiftMs);
  });

  it('at 1× every item is dated when it arrives (to the window step)', () => {
    const { clock, advance } = manualClock(Date.parse('2026-12-06T10:00:00Z'));
    const out: { item: StreamItem; wall: number }[] = [];
    const r = new Replayer({ name: 's', speed: 1, items: stream().items, times: 'endNow', shiftStepMs: 1, tickMs: 1_000, sink: (b) => out.push(...b.map((item) => ({ item, wall: clock.now() }))), clock });
    void r.start();
    advance(3_600_000);
    for (const o of out) expect(Math.abs(Date.parse(String(o.item.published_at)) - o.wall)).toBeLessThanOrEqual(1_000);
  });

  it('never splits the items of one published time across batches, even past the batch cap', () => {
    const { clock, advance } = manualClock();
    const items = Array.from({ length: 30 }, (_, i) => ({ at: Math.floor(i / 10) * 1_000, item: { n: i } as StreamItem }));
    const batches: number[][] = [];
    const r = new Replayer({ name: 'x', speed: 1_000, items, clock, maxBatch: 4, sink: (b) => batches.push(b.map((i) => i.n as number)) });
    void r.start();
    advance(1_000);
    for (const b of batches) expect(new Set(b.map((n) => Math.floor(n / 10))).size).toBe(1);
    expect(batches.flat()).toHaveLength(30);
  });

  it('below 1× the first item is dated when it arrives, so none is ever ahead of the clock', () => {
    const { clock, advance } = manualClock(Date.parse('2026-12-06T10:00:00Z'));
    const out: { item: StreamItem; wall: number }[] = [];
    const r = new Replayer({ name: 's', speed: 0.5, items: stream().items, times: 'endNow', shiftStepMs: 1, tickMs: 1_000, sink: (b) => out.push(...b.map((item) => ({ item, wall: clock.now() }))), clock });
    void r.start();
    advance(2 * 3_600_000 + 1_000);
    expect(out).toHaveLength(3);
    for (const o of out) expect(Date.parse(String(o.item.published_at))).toBeLessThanOrEqual(o.wall);
  });

  it("a pace raised mid-run (the demo's speed menu) holds each item back until its date", () => {
    const { clock, advance } = manualClock(Date.parse('2026-12-06T10:00:00Z'));
    const items = Array.from({ length: 61 }, (_, i) => ({ at: Date.parse('2026-11-20T08:00:00Z') + i * 60_000, item: { n: i } as StreamItem }));
    const out: { item: StreamItem; wall: number }[] = [];
    const r = new Replayer({ name: 's', speed: 60, items, times: 'endNow', shiftStepMs: 1, tickMs: 100, sink: (b) => out.push(...b.map((item) => ({ item, wall: clock.now() }))), clock });
    void r.start();
    advance(10_000);
    r.setSpeed(600);
    advance(60_000);
    expect(out).toHaveLength(61);
    for (const o of out) expect(Date.parse(String(o.item.published_at))).toBeLessThanOrEqual(o.wall);
    // The gaps stay as recorded whatever the pace.
    expect(Date.parse(String(out[60]!.item.published_at)) - Date.parse(String(out[0]!.item.published_at))).toBe(3_600_000);
  });
});
