// The inbox's audience filter as pure logic: the query it sends, and that only the server can
// decide whether a live arrival belongs to an audience.
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, sameFilters, serverDecides, toQuery } from '../../src/renderer/features/inbox/inbox-logic';

describe('inbox audience filter', () => {
  it('sends audienceIds and leaves membership to the server', () => {
    const f = { ...EMPTY_FILTERS, audienceId: 3 };
    expect(toQuery(f)).toEqual({ audienceIds: [3] });
    expect(serverDecides(f)).toBe(true);
    expect(serverDecides(EMPTY_FILTERS)).toBe(false);
    expect(sameFilters(f, EMPTY_FILTERS)).toBe(false);
    expect(sameFilters(f, { ...EMPTY_FILTERS, audienceId: 3 })).toBe(true);
  });
});
