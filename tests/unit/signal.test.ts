// The typed port between features (core/api/signal.ts): listeners in wiring order, unwired
// on request, one failing listener never keeps the change from the others.
import { describe, expect, it } from 'vitest';
import { Signal } from '../../src/core/api/signal';

describe('Signal', () => {
  it('calls listeners in wiring order, stops calling an unwired one, survives a throwing one', () => {
    const s = new Signal<{ n: number }>();
    const seen: string[] = [];
    s.on(({ n }) => seen.push(`a${n}`));
    const off = s.on(({ n }) => seen.push(`b${n}`));
    s.on(() => {
      throw new Error('rotto');
    });
    s.on(({ n }) => seen.push(`c${n}`));
    s.emit({ n: 1 });
    off();
    s.emit({ n: 2 });
    expect(seen).toEqual(['a1', 'b1', 'c1', 'a2', 'c2']);
  });

  it('a listener that unwires itself while called does not skip the next one', () => {
    const s = new Signal<void>();
    const seen: string[] = [];
    const off = s.on(() => {
      seen.push('once');
      off();
    });
    s.on(() => seen.push('always'));
    s.emit();
    s.emit();
    expect(seen).toEqual(['once', 'always', 'always']);
  });
});
