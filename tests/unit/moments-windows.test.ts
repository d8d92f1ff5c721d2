// The packed windows of moment tracking (core/moments/windows.ts): the same answers as the Map
// of window objects they replace (kept below as the reference model, as it was), with their
// records and mention ids reused from pools rather than allocated.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, mayClassify, type KeyInfo } from '../../src/core/moments/detector';
import { KeyWindows, type FlatCountRows } from '../../src/core/moments/windows';
import { DEFAULT_MOMENT_SETTINGS } from '../../src/shared/moments';

const SPAN = 4;

/** A row of FlatCountRows as an object, rows sorted (the write order is not a result). */
function rows(flat: FlatCountRows): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 7) out.push(flat.slice(i, i + 7).join('|'));
  return out.sort();
}

describe('KeyWindows', () => {
  it('counts per key and window, keeps each window’s mention ids in arrival order', () => {
    const t = new KeyWindows(SPAN);
    t.add(t.open('b:1', 10, 0), 1, 1, 0, -0.5, 1, 101, true);
    t.add(t.open('b:1', 10, 0), 1, 0, 1, 0.75, 1, 102, true);
    t.add(t.open('t:muffa', 10, 0), 1, 1, 0, -0.5, 0, 101, true);
    const w = t.get('b:1', 10);
    expect([t.n(w), t.neg(w), t.pos(w), t.sent(w), t.brand(w)]).toEqual([2, 1, 1, 0.25, 2]);
    expect(t.ids(w, [])).toEqual([101, 102]);
    expect(t.get('b:1', 11)).toBe(-1);
    expect(t.n(t.get('b:1', 11))).toBe(0);
    expect(t.get('nessuna', 10)).toBe(-1);
    t.adjust(w, -1, 1, 1);
    expect([t.neg(w), t.pos(w), t.sent(w)]).toEqual([0, 2, 1.25]);
    expect([...t.keys()]).toEqual(['b:1', 't:muffa']);
  });

  it('a new window drops those more than `span` below the newest and the ids of all but the newest two', () => {
    const t = new KeyWindows(SPAN);
    for (let b = 0; b <= 6; b++) t.add(t.open('k', b, b), 1, 0, 0, 0, 0, 100 + b, false);
    // Newest 6: windows 2..6 kept, ids only in 5 and 6.
    expect([0, 1, 2, 3, 4, 5, 6].map((b) => t.get('k', b) >= 0)).toEqual([false, false, true, true, true, true, true]);
    expect([2, 3, 4, 5, 6].map((b) => t.ids(t.get('k', b), []))).toEqual([[], [], [], [105], [106]]);
    // A window opened late below the span stays, with its ids, until the key opens another one.
    t.add(t.open('k', 0, 7), 1, 0, 0, 0, 0, 200, false);
    expect(t.ids(t.get('k', 0), [])).toEqual([200]);
    // Counting in a window it has does not open one.
    t.add(t.open('k', 3, 8), 1, 0, 0, 0, 0, 201, false);
    expect(t.ids(t.get('k', 0), [])).toEqual([200]);
    t.add(t.open('k', 7, 9), 1, 0, 0, 0, 0, 300, false);
    expect(t.get('k', 0)).toBe(-1);
    expect(t.ids(t.get('k', 7), [])).toEqual([300]);
    t.add(t.open('k', 9, 10), 1, 0, 0, 0, 0, 400, false);
    expect([4, 5, 6, 7, 9].map((b) => t.get('k', b) >= 0)).toEqual([false, true, true, true, true]);
    expect([6, 7, 9].map((b) => t.ids(t.get('k', b), []))).toEqual([[], [], [400]]);
  });

  it('hands each pending row over once; a window freed before the write keeps its row; a rollback drops them', () => {
    const t = new KeyWindows(SPAN);
    t.add(t.open('t:a', 1, 0), 1, 1, 0, -1, 0, 1, true);
    t.add(t.open('t:a', 1, 0), 1, 0, 0, 0.5, 1, 2, true);
    t.add(t.open('t:b', 1, 0), 1, 0, 1, 1, 0, 3, true);
    // Not pending: counts read back from the store.
    t.add(t.open('t:c', 1, 0), 5, 0, 0, 0, 0, null, false);
    // t:a opens a window far ahead: its window 1 is freed with its row still to write.
    t.add(t.open('t:a', 20, 1), 1, 0, 0, 0, 0, 4, true);
    expect(t.get('t:a', 1)).toBe(-1);
    expect(rows(t.takePending())).toEqual(['1|t:a|2|1|0|-0.5|1', '1|t:b|1|0|1|1|0', '20|t:a|1|0|0|0|0']);
    expect(t.takePending()).toEqual([]);
    t.add(t.open('t:b', 1, 2), 1, 0, 0, 0, 0, 5, true);
    expect(rows(t.takePending())).toEqual(['1|t:b|1|0|0|0|0']);
    t.add(t.open('t:b', 1, 2), 1, 0, 0, 0, 0, 6, true);
    t.forgetIdle(2, 3, () => false);
    expect(t.has('t:b')).toBe(false);
    t.takePending(false);
    expect(t.takePending()).toEqual([]);
  });

  it('forgets idle keys from the front of the queue; kept ones go to its back', () => {
    const t = new KeyWindows(SPAN);
    t.open('t:uno', 1, 0);
    t.open('b:1', 1, 0);
    t.open('t:due', 1, 1);
    t.open('t:tre', 1, 5);
    // Opening a window moves a key to the back.
    t.open('t:uno', 2, 6);
    expect([...t.keys()]).toEqual(['b:1', 't:due', 't:tre', 't:uno']);
    t.forgetIdle(5, 7, (k) => !k.startsWith('t:'));
    expect([...t.keys()]).toEqual(['t:tre', 't:uno', 'b:1']);
    expect(t.size).toBe(3);
    expect(t.has('t:due')).toBe(false);
    // Slots, windows and ids are reused without leaking into the new owners.
    t.add(t.open('t:nuovo', 3, 8), 1, 0, 0, 0, 0, 42, false);
    expect(t.ids(t.get('t:nuovo', 3), [])).toEqual([42]);
    expect(t.n(t.get('t:nuovo', 3))).toBe(1);
    t.clear();
    expect([...t.keys()]).toEqual([]);
    expect(t.get('t:nuovo', 3)).toBe(-1);
  });

  it('answers as the Map of window objects it replaced, over random streams of opens, adds, forgets and writes', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('add' as const), key: fc.integer({ min: 0, max: 6 }), bucket: fc.integer({ min: 0, max: 30 }), neg: fc.integer({ min: 0, max: 1 }), pending: fc.boolean() }),
      fc.record({ t: fc.constant('forget' as const), idle: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ t: fc.constant('write' as const), ok: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const t = new KeyWindows(SPAN);
        const ref = new Reference(SPAN);
        let step = 0;
        let id = 0;
        for (const o of ops) {
          step++;
          if (o.t === 'add') {
            const key = o.key < 2 ? `b:${o.key}` : `t:${o.key}`;
            id++;
            t.add(t.open(key, o.bucket, step), 1, o.neg, 1 - o.neg, o.neg ? -1 : 0.5, o.key % 2, id, o.pending);
            ref.add(key, o.bucket, step, o.neg, o.key % 2, id, o.pending);
          } else if (o.t === 'forget') {
            t.forgetIdle(step - o.idle, step, (k) => k.startsWith('b:'));
            ref.forgetIdle(step - o.idle, step, (k) => k.startsWith('b:'));
          } else {
            expect(rows(t.takePending(o.ok))).toEqual(o.ok ? rows(ref.takePending()) : (ref.takePending(), []));
          }
          expect([...t.keys()]).toEqual([...ref.series.keys()]);
          for (const [key, s] of ref.series) {
            for (let b = 0; b <= 30; b++) {
              const a = s.get(b);
              const w = t.get(key, b);
              expect(w >= 0).toBe(a !== undefined);
              if (a) expect([t.n(w), t.neg(w), t.pos(w), t.sent(w), t.brand(w), t.ids(w, [])]).toEqual([a.n, a.neg, a.pos, a.sent, a.brand, a.ids]);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('mayClassify', () => {
  it('is false only for windows classify finds nothing in, whatever the baseline', () => {
    const kinds = ['theme', 'brand', 'thread', 'term'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 120 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n }), fc.double({ min: -1, max: 1, noNaN: true }))),
        fc.record({ mean: fc.double({ min: 0, max: 60, noNaN: true }), sd: fc.double({ min: 1, max: 20, noNaN: true }), negMean: fc.double({ min: 0, max: 30, noNaN: true }), negSd: fc.double({ min: 1, max: 10, noNaN: true }), observed: fc.integer({ min: 0, max: 12 }) }),
        fc.record({ minVolume: fc.integer({ min: 1, max: 10 }), minTermVolume: fc.integer({ min: 2, max: 20 }), minOpportunityVolume: fc.integer({ min: 1, max: 20 }), zThreshold: fc.double({ min: 0.5, max: 5, noNaN: true }) }),
        (kind, crisisOk, opportunityOk, [n, neg, brand, mood], base, patch) => {
          const info: KeyInfo = { kind, label: 'x', themeId: null, crisisOk, opportunityOk, priority: 1 };
          const st = { n, neg, sent: mood * n, brand };
          const s = { ...DEFAULT_MOMENT_SETTINGS, ...patch };
          if (!mayClassify(info, st, s)) expect(classify(info, st, base, s)).toBeNull();
        },
      ),
      { numRuns: 3_000 },
    );
    // And it does spare baselines: a mixed window on a term, a quiet theme.
    const S = DEFAULT_MOMENT_SETTINGS;
    const term: KeyInfo = { kind: 'term', label: 'spot', themeId: null, crisisOk: false, opportunityOk: true, priority: 1 };
    expect(mayClassify(term, { n: 40, neg: 15, sent: -3, brand: 2 }, S)).toBe(false);
    expect(mayClassify(term, { n: 40, neg: 2, sent: 10, brand: 2 }, S)).toBe(true);
    const sensitive: KeyInfo = { kind: 'theme', label: 'Muffa', themeId: 1, crisisOk: true, opportunityOk: false, priority: 4 };
    expect(mayClassify(sensitive, { n: 6, neg: 2, sent: -1, brand: 6 }, S)).toBe(false);
    expect(mayClassify(sensitive, { n: 6, neg: 5, sent: -4, brand: 6 }, S)).toBe(true);
  });
});

// ---- the reference: the service's windows before they were packed (a Map per key) ----

interface Win {
  n: number;
  neg: number;
  pos: number;
  sent: number;
  brand: number;
  ids: number[];
  pending: { bucket: number; key: string; n: number; neg: number; pos: number; sent: number; brand: number } | null;
}
class Windows extends Map<number, Win> {
  touched = 0;
}

class Reference {
  series = new Map<string, Windows>();
  private deltas: Win[] = [];
  constructor(private readonly span: number) {}

  add(key: string, bucket: number, step: number, neg: number, brand: number, id: number, pending: boolean): void {
    const a = this.aggOf(key, bucket, step);
    const pos = 1 - neg;
    const sent = neg ? -1 : 0.5;
    a.n++;
    a.neg += neg;
    a.pos += pos;
    a.sent += sent;
    a.brand += brand;
    a.ids.push(id);
    if (!pending) return;
    if (a.pending) {
      a.pending.n++;
      a.pending.neg += neg;
      a.pending.pos += pos;
      a.pending.sent += sent;
      a.pending.brand += brand;
    } else {
      a.pending = { bucket, key, n: 1, neg, pos, sent, brand };
      this.deltas.push(a);
    }
  }

  forgetIdle(before: number, step: number, keep: (k: string) => boolean): void {
    for (const [key, s] of this.series) {
      if (s.touched >= before) break;
      this.series.delete(key);
      if (keep(key)) {
        s.touched = step;
        this.series.set(key, s);
      }
    }
  }

  takePending(): FlatCountRows {
    const out: FlatCountRows = [];
    for (const w of this.deltas) {
      const p = w.pending;
      if (p) out.push(p.bucket, p.key, p.n, p.neg, p.pos, p.sent, p.brand);
      w.pending = null;
    }
    this.deltas = [];
    return out;
  }

  private aggOf(key: string, bucket: number, step: number): Win {
    let s = this.series.get(key);
    const fresh = (): Win => ({ n: 0, neg: 0, pos: 0, sent: 0, brand: 0, ids: [], pending: null });
    if (!s) {
      this.series.set(key, (s = new Windows()));
      s.touched = step;
      const a = fresh();
      s.set(bucket, a);
      return a;
    }
    let a = s.get(bucket);
    if (!a) {
      s.set(bucket, (a = fresh()));
      s.touched = step;
      this.series.delete(key);
      this.series.set(key, s);
      let latest = bucket;
      for (const w of s.keys()) if (w > latest) latest = w;
      for (const [w, x] of s) {
        if (w === bucket) continue;
        if (w < latest - this.span) s.delete(w);
        else if (w < latest - 1) x.ids = [];
      }
    }
    return a;
  }
}
