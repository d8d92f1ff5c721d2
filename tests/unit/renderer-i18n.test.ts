// The i18n layer: both catalogs complete, plurals through Intl.PluralRules, it-IT formats
// in Europe/Rome.
import { describe, expect, it } from 'vitest';
import { createFormatters, translate } from '../../src/renderer/i18n/core';
import { en } from '../../src/renderer/i18n/en';
import { it as itCatalog } from '../../src/renderer/i18n/it';
import { riskLine, type RiskExplain } from '../../src/shared/audiences';
import { sayRisk } from '../../src/shared/risk-text';

const tr = (locale: 'it' | 'en', key: string, params?: Record<string, string | number>) =>
  translate(locale === 'it' ? itCatalog : en, itCatalog, locale, key, params);

describe('catalogs', () => {
  it('English has exactly the Italian keys, and the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(itCatalog).sort());
    const placeholders = (msg: unknown) =>
      [...JSON.stringify(msg).matchAll(/\{(\w+)\}/g)].map((x) => x[1]).filter((v, i, a) => a.indexOf(v) === i).sort();
    for (const key of Object.keys(itCatalog) as (keyof typeof itCatalog)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(itCatalog[key]));
    }
  });
});

describe('a moment\'s risk line', () => {
  const explain: RiskExplain = {
    area: 'strong',
    volume: 1500,
    lead: { name: 'Clienti Aurora', type: 'primary', share: 0.62, ofComments: true, velocity: 40, count: 930, significant: true, reason: 'reach', topAuthorShare: 0.1, engagement: 12.5 },
    types: ['primary', 'generic'],
  };
  it('is said through the UI catalogs in the UI language, with the same texts core and the desktop use', () => {
    const line = (locale: 'it' | 'en') => riskLine(explain, (key, params) => tr(locale, key, params), locale);
    expect(line('en')).toBe('strong: 62% of the comments from the primary audience «Clienti Aurora», 40/min; it speaks to several audiences (primary, generic), 12.5 interactions per mention');
    expect(line('it')).toBe('forte: 62% dei commenti dal pubblico primario «Clienti Aurora», 40/min; parla a più pubblici (primario, generico), 12,5 interazioni a menzione');
    for (const locale of ['it', 'en'] as const) expect(line(locale)).toBe(riskLine(explain, sayRisk(locale), locale));
    expect(tr('en', 'risk.toastStrong', { title: 'Muffa' })).toBe('Strong risk: Muffa');
  });
});

describe('translate', () => {
  it('picks plural forms and formats numbers in the locale', () => {
    expect(tr('it', 'inbox.newPill', { count: 1 })).toBe('1 nuova');
    expect(tr('it', 'inbox.newPill', { count: 5 })).toBe('5 nuove');
    expect(tr('it', 'inbox.total', { count: 0 })).toBe('Nessuna menzione');
    expect(tr('it', 'inbox.total', { count: 12345 })).toBe('12.345 menzioni');
    expect(tr('en', 'inbox.total', { count: 12345 })).toBe('12,345 mentions');
    expect(tr('en', 'inbox.total', { count: 1 })).toBe('1 mention');
  });

  it('interpolates strings and returns the key when a message is missing', () => {
    expect(tr('it', 'demo.progress', { emitted: 10, total: 2000 })).toBe('10 di 2000');
    expect(tr('it', 'no.such.key')).toBe('no.such.key');
  });
});

describe('formatters', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  const fmtIt = createFormatters('it', 'adesso');

  it('writes relative times the Italian way', () => {
    expect(fmtIt.relative(new Date(now - 10_000).toISOString(), now)).toBe('adesso');
    expect(fmtIt.relative(new Date(now - 3 * 60_000).toISOString(), now)).toBe('3 min fa');
    expect(fmtIt.relative(new Date(now - 2 * 3_600_000).toISOString(), now)).toBe('2 h fa');
    expect(fmtIt.relative(new Date(now - 86_400_000).toISOString(), now)).toBe('ieri');
    expect(fmtIt.relative('2025-01-10T12:00:00Z', now)).toBe('10 gen');
    expect(fmtIt.relative('2023-01-10T12:00:00Z', now)).toBe('10 gen 2023');
  });

  it('says when a post was published, never "in 20 min" for a future stamp', () => {
    expect(fmtIt.relative(new Date(now + 20 * 60_000).toISOString(), now)).toBe('tra 20 min');
    expect(fmtIt.since(new Date(now + 20 * 60_000).toISOString(), now)).toBe('adesso');
    expect(fmtIt.since(new Date(now - 3 * 60_000).toISOString(), now)).toBe('3 min fa');
  });

  it('shows dates in Europe/Rome whatever the machine zone', () => {
    // 23:30 UTC on 31 Dec is already New Year in Rome.
    expect(fmtIt.dateTime('2024-12-31T23:30:00Z')).toContain('1 gen 2025');
    expect(fmtIt.dateTime('2024-12-31T23:30:00Z')).toContain('00:30');
    expect(fmtIt.dateTime('not a date')).toBe('not a date');
  });

  it('names languages and sizes', () => {
    expect(fmtIt.language('it')).toBe('Italiano');
    expect(fmtIt.language('und')).toBe('—');
    expect(fmtIt.bytes(1536)).toBe('1,5 KB');
    expect(createFormatters('en', 'now').language('it')).toBe('Italian');
  });
});
