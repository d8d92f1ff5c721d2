// The renderer's sentiment helpers and the inbox's sentiment filter (no DOM).
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, matchesFilters, toQuery } from '../../src/renderer/features/inbox/inbox-logic';
import { CORRECTION_KEYS, driversFor, driversLine, engineLabel, formatScore, formatWeight, labelForKey } from '../../src/renderer/features/sentiment/sentiment';
import type { Mention } from '../../src/shared/schemas';

const terms = [
  { term: 'buono', weight: 1.5 },
  { term: 'Che vergogna', weight: -4 },
  { term: 'non risponde', weight: -3 },
];

function mention(label: Mention['sentimentLabel']): Mention {
  return {
    id: 1, sourceId: 1, sourceName: 's', sourceKind: 'webhook', externalId: null, url: null, title: null, text: 'x',
    authorKey: null, lang: 'it', publishedAt: '2026-01-01T00:00:00.000Z', fetchedAt: '2026-01-01T00:00:00.000Z',
    threadId: null, parentId: null, likes: 0, comments: 0, shares: 0, score: 0, status: 'new',
    sentimentScore: label === null ? null : label === 'negative' ? -0.8 : label === 'positive' ? 0.8 : 0,
    sentimentLabel: label, sentimentTerms: [], sentimentModel: label === null ? null : 'rules', sentimentModelLabel: label, sentimentCorrection: null,
  };
}

describe('sentiment display', () => {
  it('formats weights and scores with a sign, a typographic minus and the locale', () => {
    expect(formatWeight(-4, 'it')).toBe('−4');
    expect(formatWeight(1.48, 'it')).toBe('+1,5');
    expect(formatWeight(1.48, 'en')).toBe('+1.5');
    expect(formatScore(-0.9412, 'it')).toBe('−0,94');
    expect(formatScore(0, 'en')).toBe('0.00');
  });

  it('puts the drivers that explain the label first', () => {
    expect(driversFor('negative', terms).map((d) => d.term)).toEqual(['Che vergogna', 'non risponde', 'buono']);
    expect(driversFor('positive', terms).map((d) => d.term)).toEqual(['buono', 'Che vergogna', 'non risponde']);
    expect(driversFor('negative', terms, 1)).toHaveLength(1);
    expect(driversLine('negative', terms, 'it')).toBe('Che vergogna −4, non risponde −3, buono +1,5');
  });
});

describe('inbox sentiment filter', () => {
  it('becomes the contract query and matches live arrivals', () => {
    expect(toQuery({ ...EMPTY_FILTERS, sentiment: 'negative' })).toEqual({ sentiments: ['negative'] });
    expect(toQuery(EMPTY_FILTERS)).toEqual({});
    const f = { ...EMPTY_FILTERS, sentiment: 'negative' as const };
    expect(matchesFilters(mention('negative'), f)).toBe(true);
    expect(matchesFilters(mention('positive'), f)).toBe(false);
    expect(matchesFilters(mention(null), f)).toBe(false);
    expect(matchesFilters(mention(null), EMPTY_FILTERS)).toBe(true);
  });
});

describe('correcting sentiment from the keyboard', () => {
  it('+ (or = without Shift), 0 and - set positive, neutral and negative; other keys do nothing', () => {
    expect(['+', '=', '0', '-'].map(labelForKey)).toEqual(['positive', 'positive', 'neutral', 'negative']);
    expect(['e', 'u', 'j', '1', '_', 'Enter'].map(labelForKey)).toEqual([null, null, null, null, null, null]);
    // The keys the tooltips name are the keys that work.
    for (const [label, key] of Object.entries(CORRECTION_KEYS)) expect(labelForKey(key)).toBe(label);
  });

  it('the drivers explain the engine\'s label, also on a corrected mention', () => {
    const m = mention('negative');
    expect(engineLabel(m)).toBe('negative');
    const corrected = { ...m, sentimentLabel: 'positive' as const, sentimentCorrection: { by: 'Anna Rossi', at: '2026-01-01T10:00:00.000Z' } };
    expect(engineLabel(corrected)).toBe('negative');
  });
});
