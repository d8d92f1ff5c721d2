// The Responses view's pure helpers: the word diff between versions (jsdiff) and the SLA clock.
import { describe, expect, it } from 'vitest';
import { formatDuration, slaLeft, versionDiff } from '../../src/renderer/features/responses/responses-logic';

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
});
