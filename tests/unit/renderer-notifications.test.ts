// The bell's and «Assegnati a me»'s plain logic: the line each notification is worded with (in
// both catalogues), the badge, and the inbox filter that the server resolves for the session.
import { describe, expect, it } from 'vitest';
import { badge, lineKey } from '../../src/renderer/features/notifications/notifications-logic';
import { EMPTY_FILTERS, matchesFilters, sameFilters, serverDecides, toQuery } from '../../src/renderer/features/inbox/inbox-logic';
import { translate } from '../../src/renderer/i18n/core';
import { it as itCatalog } from '../../src/renderer/i18n/it';
import { en } from '../../src/renderer/i18n/en';
import type { Mention } from '../../src/shared/schemas';

describe('notification words', () => {
  it('say who did what to which kind of subject, in Italian and English', () => {
    const key = lineKey({ kind: 'assigned', subject: { kind: 'mention', id: 3 } });
    expect(translate(itCatalog, itCatalog, 'it', key, { who: 'Giulia' })).toBe('Giulia ti ha assegnato una menzione');
    expect(translate(en, itCatalog, 'en', key, { who: 'Giulia' })).toBe('Giulia assigned you a mention');
    expect(translate(itCatalog, itCatalog, 'it', lineKey({ kind: 'assigned', subject: { kind: 'moment', id: 1 } }), { who: 'Luca' })).toBe('Luca ti ha assegnato un momento');
    expect(translate(itCatalog, itCatalog, 'it', lineKey({ kind: 'noted', subject: { kind: 'response', id: 1 } }), { who: 'Luca' })).toBe('Luca ti ha citato in una nota su una risposta');
    expect(translate(itCatalog, itCatalog, 'it', 'bell.unread', { count: 1 })).toBe('1 notifica non letta');
    expect([badge(0), badge(7), badge(120)]).toEqual(['0', '7', '99+']);
  });
});

describe('«Assegnati a me» in the inbox', () => {
  it('asks the server for the session’s own, and no live arrival matches it', () => {
    const mine = { ...EMPTY_FILTERS, assignedToMe: true };
    expect(toQuery(mine)).toEqual({ assignedTo: 'me' });
    expect(toQuery(EMPTY_FILTERS)).toEqual({});
    expect(serverDecides(mine)).toBe(true);
    expect(sameFilters(mine, EMPTY_FILTERS)).toBe(false);
    expect(sameFilters({ ...EMPTY_FILTERS, assignedToMe: false }, EMPTY_FILTERS)).toBe(true);
    const arrival = { id: 1, text: 'nuova', title: null, sourceId: 1, lang: 'it', sentimentLabel: 'neutral', themes: [] } as unknown as Mention;
    expect(matchesFilters(arrival, EMPTY_FILTERS)).toBe(true);
    expect(matchesFilters(arrival, mine)).toBe(false);
  });
});
