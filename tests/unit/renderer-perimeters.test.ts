// Pure renderer logic of perimeters: the tree, highlighted runs (never HTML), and the theme
// filter of the inbox.
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, matchesFilters, toQuery } from '../../src/renderer/features/inbox/inbox-logic';
import { buildTree, highlightSegments, spansOf } from '../../src/renderer/features/perimeters/perimeters-logic';
import type { Mention } from '../../src/shared/schemas';

const theme = (id: number, brandId: number, productId: number | null, name: string) => ({
  id, brandId, productId, name, query: 'x', swot: 'threat' as const, stance: 'in_perimeter' as const, weight: 1, createdAt: '', updatedAt: '', mentionCount: 0,
});

describe('perimeter tree', () => {
  it('groups themes under their brand, brand-level first, then products, by name', () => {
    const tree = buildTree({
      brands: [{ id: 2, name: 'Zeta', createdAt: '' }, { id: 1, name: 'Caffè Aurora', createdAt: '' }],
      products: [{ id: 10, brandId: 1, name: 'Aurora Fredda', createdAt: '' }, { id: 11, brandId: 1, name: 'Aurora Crema', createdAt: '' }],
      themes: [theme(1, 1, null, 'Prezzi'), theme(2, 1, 11, 'Muffa'), theme(3, 1, null, 'Boicottaggio'), theme(4, 2, null, 'Altro')],
      owned: [],
    });
    expect(tree.map((b) => b.brand.name)).toEqual(['Caffè Aurora', 'Zeta']);
    expect(tree[0]!.groups.map((g) => [g.product?.name ?? null, g.themes.map((t) => t.name)])).toEqual([
      [null, ['Boicottaggio', 'Prezzi']],
      ['Aurora Crema', ['Muffa']],
      ['Aurora Fredda', []],
    ]);
  });
});

describe('highlighting', () => {
  it('cuts text into marked and plain runs, clamping and merging untrusted spans', () => {
    const text = 'Muffa nelle capsule <b>Aurora</b>';
    expect(highlightSegments(text, [{ field: 'text', start: 0, end: 5 }, { field: 'text', start: 12, end: 19 }], 'text')).toEqual([
      { text: 'Muffa', mark: true },
      { text: ' nelle ', mark: false },
      { text: 'capsule', mark: true },
      { text: ' <b>Aurora</b>', mark: false },
    ]);
    // Overlapping, reversed, out of range and other-field spans.
    expect(highlightSegments('abcdef', [{ field: 'text', start: 3, end: 99 }, { field: 'text', start: 1, end: 4 }, { field: 'title', start: 0, end: 1 }, { field: 'text', start: 5, end: 2 }], 'text')).toEqual([
      { text: 'a', mark: false },
      { text: 'bcd', mark: true },
      { text: 'ef', mark: true },
    ]);
    expect(highlightSegments('', undefined, 'text')).toEqual([{ text: '', mark: false }]);
    expect(highlightSegments('abc', [], 'title')).toEqual([{ text: 'abc', mark: false }]);
  });

  it('collects the spans of all themes or of one', () => {
    const themes = [
      { themeId: 1, spans: [{ field: 'text' as const, start: 0, end: 1 }] },
      { themeId: 2, spans: [{ field: 'text' as const, start: 2, end: 3 }] },
    ];
    expect(spansOf(themes)).toHaveLength(2);
    expect(spansOf(themes, 2)).toEqual([{ field: 'text', start: 2, end: 3 }]);
  });
});

describe('theme filter', () => {
  const m = { id: 1, sourceId: 1, lang: 'it', text: 'x', title: null, themes: [{ themeId: 7, relevance: 0.5, spans: [] }] } as unknown as Mention;
  it('asks the store for the theme and matches live arrivals by their chips', () => {
    expect(toQuery({ ...EMPTY_FILTERS, themeId: 7 })).toEqual({ themeIds: [7] });
    expect(matchesFilters(m, { ...EMPTY_FILTERS, themeId: 7 })).toBe(true);
    expect(matchesFilters(m, { ...EMPTY_FILTERS, themeId: 8 })).toBe(false);
    expect(matchesFilters({ ...m, themes: undefined }, { ...EMPTY_FILTERS, themeId: 7 })).toBe(false);
  });
});
