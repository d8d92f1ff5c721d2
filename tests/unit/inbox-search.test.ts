// The inbox search in the query language, on a real SQLite store: the index narrows, the
// matcher decides, the spans say what to highlight, a bad query is an answer with its column.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/store/db';
import { MentionsRepo } from '../../src/core/store/mentions-repo';
import { SourcesRepo } from '../../src/core/store/sources-repo';
import { IngestPipeline } from '../../src/core/ingest/pipeline';
import { EventBus } from '../../src/core/api/events';
import { parseQuery } from '../../src/core/analysis/query';
import { ftsPlan } from '../../src/core/analysis/query/fts';
import { InboxSearch, SEARCH_SCAN_MAX, searchAst } from '../../src/core/search/inbox-search';
import { isPlainSearch } from '../../src/shared/search';
import { onClose, tempDir } from './support/core';

const TEXTS = [
  'Capsule Aurora arrivate rotte, terza volta',
  'Il nuovo gusto al pistacchio è ottimo #aurora',
  'Qualcuno sa se le capsule sono compostabili?',
  'Caffè bruciato, capsule pessime',
  'Servizio clienti gentile, capsule sostituite',
];

function storeWith(texts: readonly string[]) {
  const db = openDatabase(join(tempDir(), 'v.db'));
  onClose(() => db.close());
  const mentions = new MentionsRepo(db);
  const pipeline = new IngestPipeline({ db, mentions, sources: new SourcesRepo(db), events: new EventBus(), now: () => Date.UTC(2026, 0, 1), secret: () => 's'.repeat(64) });
  pipeline.ingest(
    texts.map((text, i) => ({ source: 'test', external_id: `e${i}`, lang: 'it', published_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), text })),
    'import',
  );
  return new InboxSearch(mentions);
}

const texts = (s: InboxSearch, text: string) => s.list({ text }, undefined, 100, 'time', null).items.map((m) => m.text);

describe('the index expression of a query', () => {
  it('is exact for words, prefixes, phrases, AND/OR and excluded words', () => {
    expect(ftsPlan(parseQuery('capsule AND (rotte OR rott*)'))).toEqual({ expr: '("capsule") AND (("rotte") OR ("rott"*))', exact: true });
    expect(ftsPlan(parseQuery('capsule -rotte'))).toEqual({ expr: '("capsule") NOT ("rotte")', exact: true });
    expect(ftsPlan(parseQuery('"servizio clienti"'))).toEqual({ expr: '"servizio clienti"', exact: true });
  });
  it('narrows without deciding for tags, NEAR and fields, and gives up on a lone NOT', () => {
    expect(ftsPlan(parseQuery('#aurora'))?.exact).toBe(false);
    expect(ftsPlan(parseQuery('capsule NEAR/3 rotte'))?.exact).toBe(false);
    expect(ftsPlan(parseQuery('capsule lang:it'))).toEqual({ expr: '("capsule")', exact: false });
    expect(ftsPlan(parseQuery('NOT capsule'))).toBeNull();
  });
  it('reads plain typing with the last word as a prefix, and only plain typing', () => {
    expect(isPlainSearch('capsule ro')).toBe(true);
    expect(isPlainSearch('e-commerce capsule')).toBe(true);
    expect(isPlainSearch('capsule -rotte')).toBe(false);
    expect(isPlainSearch('capsule OR caffè')).toBe(false);
    expect(searchAst('capsule ro')).toEqual({ type: 'and', children: [{ type: 'term', value: 'capsule', prefix: false }, { type: 'term', value: 'ro', prefix: true }] });
    expect(searchAst('ro OR capsule')).toMatchObject({ type: 'or' });
  });
});

describe('the inbox search', () => {
  it('finds with AND/OR/NOT, phrases and wildcards, newest first, accents ignored', () => {
    const s = storeWith(TEXTS);
    expect(texts(s, 'capsule ro')).toEqual([TEXTS[0]]);
    expect(texts(s, 'capsule NOT (rotte OR pessime)')).toEqual([TEXTS[4], TEXTS[2]]);
    expect(texts(s, 'caffe OR pistacchio')).toEqual([TEXTS[3], TEXTS[1]]);
    expect(texts(s, '"servizio clienti"')).toEqual([TEXTS[4]]);
    expect(texts(s, 'compost*')).toEqual([TEXTS[2]]);
    expect(texts(s, '#aurora')).toEqual([TEXTS[1]]);
    expect(texts(s, 'NOT capsule')).toEqual([TEXTS[1]]);
  });

  it('returns the matched words of each row', () => {
    const s = storeWith(TEXTS);
    const page = s.list({ text: 'capsule AND rott*' }, undefined, 100, 'time', null);
    expect(page.total).toBe(1);
    const spans = page.hits?.[0]?.spans ?? [];
    expect(spans.map((x) => TEXTS[0]!.slice(x.start, x.end))).toEqual(['Capsule', 'rotte']);
  });

  it('answers a bad query with its column, not an empty list', () => {
    const s = storeWith(TEXTS);
    const page = s.list({ text: 'capsule AND (rotte' }, undefined, 100, 'time', null);
    expect(page.items).toEqual([]);
    expect(page.queryError?.key).toBe('query.unclosedParen');
    expect(page.queryError?.column).toBe(13);
  });

  it('pages a tested search with a cursor and counts it', () => {
    const many = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? `capsule numero ${i} #aurora` : `capsule numero ${i}`));
    const s = storeWith(many);
    const first = s.list({ text: 'capsule #aurora' }, undefined, 4, 'time', null);
    expect(first.total).toBe(10);
    expect(first.capped).toBe(false);
    expect(first.items).toHaveLength(4);
    const second = s.list({ text: 'capsule #aurora' }, first.next!, 100, 'time', null);
    expect([...first.items, ...second.items].map((m) => m.text)).toEqual(many.filter((_, i) => i % 3 === 0).reverse());
    expect(second.next).toBeNull();
    expect(SEARCH_SCAN_MAX).toBeGreaterThan(30);
  });
});

describe('the war room’s hour', () => {
  it('counts the last hour in 5-minute windows by sentiment; a mention a little ahead counts in the last one', async () => {
    const { warSnapshot } = await import('../../src/core/search/war-room');
    const db = openDatabase(join(tempDir(), 'w.db'));
    onClose(() => db.close());
    const mentions = new MentionsRepo(db);
    const now = Date.UTC(2026, 0, 1, 12, 2, 30);
    const at = (min: number) => new Date(now - min * 60_000).toISOString();
    new IngestPipeline({ db, mentions, sources: new SourcesRepo(db), events: new EventBus(), now: () => now, secret: () => 's'.repeat(64) }).ingest(
      [
        { source: 't', external_id: 'a', text: 'Capsule rotte, vergogna, pessime', published_at: at(1) },
        { source: 't', external_id: 'b', text: 'ciao', published_at: at(12) },
        { source: 't', external_id: 'c', text: 'ciao', published_at: at(-3) },
        { source: 't', external_id: 'd', text: 'ciao', published_at: at(90) },
      ],
      'import',
    );
    const s = warSnapshot(mentions, now);
    const totals = s.buckets.map((b) => b.positive + b.neutral + b.negative + b.unscored);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(3);
    expect(totals[11]).toBe(2);
    expect(s.latest).toHaveLength(4);
  });
});
