// The inbox's analysis filters (theme, sentiment, moment, order) as pure logic: the query
// they send, which live arrivals they let through, and when only the server can decide.
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, matchesFilters, sameFilters, serverDecides, toQuery } from '../../src/renderer/features/inbox/inbox-logic';
import type { Mention } from '../../src/shared/schemas';

const mention = (over: Partial<Mention>): Mention => ({
  id: 1,
  sourceId: 1,
  sourceName: 'X',
  sourceKind: 'webhook',
  externalId: null,
  url: null,
  title: null,
  text: 'Muffa nelle capsule',
  authorKey: null,
  lang: 'it',
  publishedAt: '2026-11-20T10:00:00.000Z',
  fetchedAt: '2026-11-20T10:00:00.000Z',
  threadId: null,
  parentId: null,
  likes: 0,
  comments: 0,
  shares: 0,
  score: 0,
  status: 'new',
  sentimentScore: -0.6,
  sentimentLabel: 'negative',
  sentimentTerms: [],
  sentimentModel: 'rules',
  sentimentModelLabel: null,
  sentimentCorrection: null,
  themes: [{ themeId: 7, relevance: 0.9, spans: [] }],
  ...over,
});

describe('inbox analysis filters', () => {
  it('send theme, sentiment and moment to mentions.list', () => {
    expect(toQuery({ ...EMPTY_FILTERS, themeId: 7, sentiment: 'negative', momentId: 3 })).toEqual({ themeIds: [7], sentiments: ['negative'], momentId: 3 });
    expect(toQuery(EMPTY_FILTERS)).toEqual({});
  });

  it('let through live arrivals of the chosen theme and sentiment only', () => {
    const f = { ...EMPTY_FILTERS, themeId: 7, sentiment: 'negative' as const };
    expect(matchesFilters(mention({}), f)).toBe(true);
    expect(matchesFilters(mention({ sentimentLabel: 'positive' }), f)).toBe(false);
    expect(matchesFilters(mention({ themes: [] }), f)).toBe(false);
    expect(matchesFilters(mention({ themes: undefined }), f)).toBe(false);
  });

  it('leave to the server what only it knows: moment links, relevance order, full text', () => {
    expect(serverDecides(EMPTY_FILTERS)).toBe(false);
    expect(serverDecides({ ...EMPTY_FILTERS, themeId: 7 })).toBe(false);
    expect(serverDecides({ ...EMPTY_FILTERS, momentId: 3 })).toBe(true);
    expect(serverDecides({ ...EMPTY_FILTERS, sort: 'relevance' })).toBe(true);
    expect(serverDecides({ ...EMPTY_FILTERS, text: 'muffa' })).toBe(true);
  });

  it('compare filters field by field (the moment title is only a label)', () => {
    expect(sameFilters(EMPTY_FILTERS, { text: '', sourceId: null, lang: null, sentiment: null, themeId: null, sort: 'time' })).toBe(true);
    expect(sameFilters({ ...EMPTY_FILTERS, momentId: 3, momentTitle: 'a' }, { ...EMPTY_FILTERS, momentId: 3, momentTitle: 'b' })).toBe(true);
    expect(sameFilters(EMPTY_FILTERS, { ...EMPTY_FILTERS, sort: 'relevance' })).toBe(false);
    expect(sameFilters(EMPTY_FILTERS, { ...EMPTY_FILTERS, sentiment: 'neutral' })).toBe(false);
  });
});
