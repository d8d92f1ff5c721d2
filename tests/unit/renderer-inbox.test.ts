// Pure inbox logic behind the live list: order, merging arrivals and pages, the held
// "N nuove" buffer, filter matching, selection moves and the virtual window.
import { describe, expect, it } from 'vitest';
import type { Mention } from '../../src/shared/schemas';
import { fold } from '../../src/shared/text';
import {
  addPending,
  appendPage,
  compareInbox,
  EMPTY_PENDING,
  insertionIndex,
  matchesFilters,
  mergeArrivals,
  moveSelection,
  previewLine,
  replaceItem,
  threadTree,
  toQuery,
  visibleRange,
} from '../../src/renderer/features/inbox/inbox-logic';

const BASE = Date.parse('2025-03-01T12:00:00.000Z');

function m(id: number, secondsAgo: number, extra: Partial<Mention> = {}): Mention {
  const at = new Date(BASE - secondsAgo * 1000).toISOString();
  return {
    id,
    sourceId: 1,
    sourceName: 'Forum',
    sourceKind: 'webhook',
    externalId: `x${id}`,
    url: null,
    title: null,
    text: `testo ${id}`,
    authorKey: 'a1b2c3d4e5',
    lang: 'it',
    publishedAt: at,
    fetchedAt: at,
    threadId: null,
    sentimentScore: null,
    sentimentLabel: null,
    sentimentTerms: [],
    sentimentModel: 'rules',
    sentimentModelLabel: null,
    sentimentCorrection: null,
    parentId: null,
    likes: 0,
    comments: 0,
    shares: 0,
    score: 0,
    status: 'new',
    ...extra,
  };
}

const ids = (xs: readonly Mention[]) => xs.map((x) => x.id);

describe('inbox order', () => {
  it('puts the newest first and breaks ties by higher id, like the keyset cursor', () => {
    const xs = [m(1, 10), m(2, 5), m(3, 10), m(4, 0)].sort(compareInbox);
    expect(ids(xs)).toEqual([4, 2, 3, 1]);
  });

  it('finds where an arrival goes by binary search', () => {
    const xs = [m(5, 0), m(4, 10), m(3, 20)];
    expect(insertionIndex(xs, m(9, -5))).toBe(0);
    expect(insertionIndex(xs, m(9, 15))).toBe(2);
    expect(insertionIndex(xs, m(9, 99))).toBe(3);
  });
});

describe('mergeArrivals', () => {
  it('inserts live arrivals in order without duplicates', () => {
    const list = [m(10, 0), m(9, 60), m(8, 120)];
    const r = mergeArrivals(list, [m(12, 30), m(11, -10), m(9, 60)], false);
    expect(ids(r.items)).toEqual([11, 10, 12, 9, 8]);
    expect(r.inserted).toBe(3);
    expect(list).toHaveLength(3); // the input is not mutated
  });

  it('defers arrivals older than the loaded tail while more pages exist', () => {
    const list = [m(10, 0), m(9, 60)];
    const r = mergeArrivals(list, [m(20, 1000), m(21, 30)], true);
    expect(ids(r.items)).toEqual([10, 21, 9]);
    expect(r.deferred).toBe(1);
    // With no more pages the old one belongs at the end.
    expect(ids(mergeArrivals(list, [m(20, 1000)], false).items)).toEqual([10, 9, 20]);
  });

  it('replaces an existing copy with the arrival (e.g. a status change raced a page)', () => {
    const list = [m(2, 0), m(1, 10)];
    const r = mergeArrivals(list, [m(1, 10, { status: 'read' })], false);
    expect(ids(r.items)).toEqual([2, 1]);
    expect(r.items[1]!.status).toBe('read');
  });

  it('merges into 100,000 rows quickly enough to do on every event', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => m(100_000 - i, i));
    const arrivals = Array.from({ length: 300 }, (_, i) => m(200_000 + i, -i));
    const r = mergeArrivals(big, arrivals, true);
    expect(r.items).toHaveLength(100_300);
    expect(r.items[0]!.id).toBe(200_299);
    expect(r.items[300]!.id).toBe(100_000);
  });
});

describe('appendPage', () => {
  it('appends a keyset page and skips rows that already arrived live', () => {
    const list = [m(5, 0), m(4, 10)];
    expect(ids(appendPage(list, [m(4, 10), m(3, 20), m(2, 30)]))).toEqual([5, 4, 3, 2]);
    expect(appendPage(list, [])).toBe(list);
  });
});

describe('replaceItem', () => {
  it('swaps one row by id and leaves the rest', () => {
    const list = [m(2, 0), m(1, 10)];
    const out = replaceItem(list, m(1, 10, { status: 'archived' }));
    expect(out[1]!.status).toBe('archived');
    expect(out[0]).toBe(list[0]);
    expect(replaceItem(list, m(7, 0))).toBe(list);
  });
});

describe('pending buffer behind the pill', () => {
  it('counts held arrivals once each', () => {
    let p = addPending(EMPTY_PENDING, [m(1, 0), m(2, 0)], 10);
    p = addPending(p, [m(2, 0), m(3, 0)], 10);
    expect(p.count).toBe(3);
    expect(ids(p.items)).toEqual([1, 2, 3]);
    expect(p.overflow).toBe(false);
  });

  it('past the cap keeps counting but stops holding rows (reveal re-queries)', () => {
    let p = addPending(EMPTY_PENDING, [m(1, 0), m(2, 0)], 3);
    p = addPending(p, [m(3, 0), m(4, 0)], 3);
    expect(p).toEqual({ items: [], count: 4, overflow: true });
    p = addPending(p, [m(5, 0)], 3);
    expect(p.count).toBe(5);
    expect(p.overflow).toBe(true);
  });
});

describe('filters', () => {
  const it1 = m(1, 0, { text: 'Perché le capsule Aurora costano così tanto?', sourceId: 3, lang: 'it' });
  const en1 = m(2, 0, { text: 'Aurora cold brew is great', sourceId: 4, lang: 'en' });

  it('builds the contract query from the UI filters', () => {
    expect(toQuery({ text: '  ', sourceId: null, lang: null, sentiment: null, themeId: null, sort: 'time' })).toEqual({});
    expect(toQuery({ text: ' aurora ', sourceId: 3, lang: 'en', sentiment: null, themeId: null, sort: 'time' })).toEqual({ text: 'aurora', sourceIds: [3], langs: ['en'] });
  });

  it('matches source and language exactly', () => {
    expect(matchesFilters(it1, { text: '', sourceId: 3, lang: null, sentiment: null, themeId: null, sort: 'time' })).toBe(true);
    expect(matchesFilters(en1, { text: '', sourceId: 3, lang: null, sentiment: null, themeId: null, sort: 'time' })).toBe(false);
    expect(matchesFilters(en1, { text: '', sourceId: null, lang: 'en', sentiment: null, themeId: null, sort: 'time' })).toBe(true);
    expect(matchesFilters(it1, { text: '', sourceId: null, lang: 'en', sentiment: null, themeId: null, sort: 'time' })).toBe(false);
  });

  it('approximates full-text search with accents and case folded, words as prefixes', () => {
    expect(fold('Perché Così')).toBe('perche cosi');
    expect(matchesFilters(it1, { text: 'perche', sourceId: null, lang: null, sentiment: null, themeId: null, sort: 'time' })).toBe(true);
    expect(matchesFilters(it1, { text: 'CAPS aurora', sourceId: null, lang: null, sentiment: null, themeId: null, sort: 'time' })).toBe(true);
    expect(matchesFilters(it1, { text: 'aurora brew', sourceId: null, lang: null, sentiment: null, themeId: null, sort: 'time' })).toBe(false);
  });
});

describe('selection by id', () => {
  const list = [m(30, 0), m(20, 10), m(10, 20)];

  it('starts at the first row in view, then moves by one and stops at the ends', () => {
    expect(moveSelection(list, null, 1, 1)).toBe(20);
    expect(moveSelection(list, 30, 1, 0)).toBe(20);
    expect(moveSelection(list, 10, 1, 0)).toBe(10);
    expect(moveSelection(list, 30, -1, 0)).toBe(30);
    expect(moveSelection([], 30, 1, 0)).toBeNull();
  });

  it('survives rows inserted above: the same mention stays selected', () => {
    const merged = mergeArrivals(list, [m(40, -5), m(41, -6)], false).items;
    expect(moveSelection(merged, 20, 1, 0)).toBe(10);
  });
});

describe('visibleRange', () => {
  it('renders only the rows in view plus overscan', () => {
    expect(visibleRange(0, 640, 64, 100_000, 2, 10)).toEqual({ start: 0, end: 20 });
    expect(visibleRange(64 * 50_000, 640, 64, 100_000, 2, 10)).toEqual({ start: 49_998, end: 50_020 });
    expect(visibleRange(64 * 99_995, 640, 64, 100_000, 2, 10)).toEqual({ start: 99_993, end: 100_000 });
    expect(visibleRange(0, 640, 64, 0)).toEqual({ start: 0, end: 0 });
  });
});

describe('detail helpers', () => {
  it('previews the title, else the first non-empty line', () => {
    expect(previewLine({ title: ' Titolo ', text: 'x' })).toBe('Titolo');
    expect(previewLine({ title: null, text: '\n\n  prima riga \nseconda' })).toBe('prima riga');
  });

  it('indents replies under their parent, oldest first, and keeps orphans', () => {
    const root = m(1, 300, { externalId: 'p', threadId: 't' });
    const reply = m(2, 200, { externalId: 'c1', parentId: 'p', threadId: 't' });
    const nested = m(3, 100, { externalId: 'c2', parentId: 'c1', threadId: 't' });
    const orphan = m(4, 50, { externalId: 'c3', parentId: 'missing', threadId: 't' });
    const tree = threadTree([nested, orphan, reply, root]);
    expect(tree.map((n) => [n.mention.id, n.depth])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 0],
    ]);
  });

  it('does not loop on a cycle of parent links', () => {
    const a = m(1, 20, { externalId: 'a', parentId: 'b' });
    const b = m(2, 10, { externalId: 'b', parentId: 'a' });
    expect(threadTree([a, b]).map((n) => n.mention.id).sort()).toEqual([1, 2]);
  });
});
