// The inbox's selection and tag picker logic (features/bulk/bulk-logic.ts, features/tags/tag-logic.ts):
// ranges in the list's order, the selection as it stands on the list, the page box, undo
// calls built from what the server replaced, and what a typed word finds or creates.
import { describe, expect, it } from 'vitest';
import { onList, pageState, pushDone, toggled, UNDO_DEPTH, withItems, withRange, type BulkCall, type DoneAction } from '../../src/renderer/features/bulk/bulk-logic';
import { pickerOptions } from '../../src/renderer/features/tags/tag-logic';
import { EMPTY_FILTERS, matchesFilters, sameFilters, serverDecides, toQuery } from '../../src/renderer/features/inbox/inbox-logic';

const ORDER = [50, 40, 30, 20, 10];

describe('selection', () => {
  it('toggles one, takes a shift range from the anchor either way, and acts only on rows still listed', () => {
    let sel = toggled(new Set(), 40);
    expect([...sel]).toEqual([40]);
    sel = withRange(sel, ORDER, 40, 10);
    expect(onList(sel, ORDER)).toEqual([40, 30, 20, 10]);
    expect(onList(withRange(new Set(), ORDER, 20, 50), ORDER)).toEqual([50, 40, 30, 20]);
    // No anchor (or one gone from the list): the row alone toggles.
    expect([...withRange(new Set(), ORDER, null, 30)]).toEqual([30]);
    expect([...withRange(new Set([30]), ORDER, 999, 30)]).toEqual([]);
    expect(onList(new Set([999, 20]), ORDER)).toEqual([20]);
    expect(pageState(new Set(), ORDER)).toBe('none');
    expect(pageState(new Set([20, 999]), ORDER)).toBe('some');
    expect(pageState(new Set(ORDER), ORDER)).toBe('all');
  });

  it('an undo is the same call with the replaced values; the stack keeps the last actions only', () => {
    const forward: BulkCall = { op: 'mentions.bulkTag', tagId: 3, items: [{ id: 1, tagged: true }, { id: 2, tagged: true }] };
    expect(withItems(forward, [{ id: 2, tagged: false }])).toEqual({ op: 'mentions.bulkTag', tagId: 3, items: [{ id: 2, tagged: false }] });
    let stack: DoneAction[] = [];
    for (let i = 0; i < UNDO_DEPTH + 5; i++) stack = pushDone(stack, { forward, backward: null, what: `a${i}` });
    expect(stack).toHaveLength(UNDO_DEPTH);
    expect(stack.at(-1)?.what).toBe(`a${UNDO_DEPTH + 4}`);
  });
});

describe('tag picker', () => {
  const tags = [
    { id: 1, name: 'Stampa', count: 4 },
    { id: 2, name: 'Da richiamare', count: 2 },
    { id: 3, name: 'Città', count: 0 },
  ];
  it('finds by any part of the name, accents and case ignored, names starting with the word first; offers to create a new name', () => {
    expect(pickerOptions(tags, 'ri', true).map((o) => (o.kind === 'tag' ? o.tag.name : `+${o.name}`))).toEqual(['Da richiamare', '+ri']);
    expect(pickerOptions(tags, 'CITTA', true)).toEqual([{ kind: 'tag', tag: tags[2] }]);
    expect(pickerOptions(tags, '  Reclami ', true)).toEqual([{ kind: 'create', name: 'Reclami' }]);
    expect(pickerOptions(tags, 'Reclami', false)).toEqual([]);
    expect(pickerOptions(tags, 'x'.repeat(41), true)).toEqual([]);
    expect(pickerOptions(tags, '', true).map((o) => (o.kind === 'tag' ? o.tag.id : 0))).toEqual([3, 2, 1]);
  });
});

describe('the tag filter in the inbox', () => {
  it('goes to the server, never matches a live arrival, and is part of the filters compared', () => {
    const f = { ...EMPTY_FILTERS, tagIds: [4, 7] };
    expect(toQuery(f)).toEqual({ tagIds: [4, 7] });
    expect(toQuery(EMPTY_FILTERS)).toEqual({});
    expect(serverDecides(f)).toBe(true);
    expect(sameFilters(f, EMPTY_FILTERS)).toBe(false);
    expect(sameFilters({ ...EMPTY_FILTERS, tagIds: [] }, { ...EMPTY_FILTERS, tagIds: undefined })).toBe(true);
    expect(matchesFilters({ sourceId: 1, lang: 'it', text: 'x', title: null, sentimentLabel: null, themes: [] } as never, f)).toBe(false);
  });
});
