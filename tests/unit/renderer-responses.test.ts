// The Responses view's pure helpers: the word diff between versions (jsdiff), the SLA clock,
// the character count and the template placeholders.
import { describe, expect, it } from 'vitest';
import { charState, fillTemplate, formatDuration, insertAt, slaLeft, versionDiff } from '../../src/renderer/features/responses/responses-logic';

describe('responses view helpers', () => {
  it('diffs two versions word by word, as text parts that rebuild both versions', () => {
    const before = 'Ci dispiace, scrivici in privato.';
    const after = 'Grazie, scrivici in privato il lotto.';
    const parts = versionDiff(before, after);
    expect(parts.filter((p) => p.kind !== 'added').map((p) => p.text).join('')).toBe(before);
    expect(parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join('')).toBe(after);
    expect(parts.filter((p) => p.kind === 'removed').map((p) => p.text.trim())).toContain('Ci dispiace');
    expect(parts.filter((p) => p.kind === 'added').map((p) => p.text).join('')).toMatch(/Grazie[\s\S]*lotto/);
    // Markup in a text is just text: the view renders parts as text nodes.
    expect(versionDiff('a', '<img src=x onerror=alert(1)>').find((p) => p.kind === 'added')?.text).toBe('<img src=x onerror=alert(1)>');
  });

  it('counts an SLA down and past its due time', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(slaLeft(null, now)).toBeNull();
    expect(slaLeft('2026-11-23T10:15:00Z', now)).toBe(15 * 60_000);
    expect(slaLeft('2026-11-23T09:58:00Z', now)).toBe(-2 * 60_000);
    expect(formatDuration(15 * 60_000)).toBe('15 min');
    expect(formatDuration(-2 * 60_000)).toBe('2 min');
    expect(formatDuration(65 * 60_000)).toBe('1 h 05 min');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(26 * 3_600_000)).toBe('1 g 2 h');
  });

  it('counts characters as the platforms do (an emoji is one) and says how many are over', () => {
    expect(charState('Ciao ☕', 280)).toEqual({ count: 6, limit: 280, over: 0 });
    expect(charState('x'.repeat(281), 280)).toEqual({ count: 281, limit: 280, over: 1 });
    expect(charState('👍🏽', null)).toEqual({ count: 2, limit: null, over: 0 });
  });

  it('fills the placeholders it has values for and lists the ones left to complete', () => {
    expect(fillTemplate('Ciao {autore}, {brand} ti scrive: {link} {altro}', { autore: null, brand: 'Caffè Aurora', link: 'https://x.it/p/1' })).toEqual({
      text: 'Ciao {autore}, Caffè Aurora ti scrive: https://x.it/p/1 {altro}',
      missing: ['autore'],
    });
    expect(fillTemplate('{brand} {brand}', { brand: 'A' })).toEqual({ text: 'A A', missing: [] });
    // A value is inserted as text, never read as another placeholder.
    expect(fillTemplate('{brand}', { brand: '{link}', link: 'no' }).text).toBe('{link}');
  });

  it('inserts a template at the caret or over the selection', () => {
    expect(insertAt('Buongiorno. Saluti', 'Grazie!', 11, 11)).toEqual({ text: 'Buongiorno.Grazie! Saluti', caret: 18 });
    expect(insertAt('abc', 'X', 1, 2)).toEqual({ text: 'aXc', caret: 2 });
    expect(insertAt('', 'X', 5, 9)).toEqual({ text: 'X', caret: 1 });
  });
});
