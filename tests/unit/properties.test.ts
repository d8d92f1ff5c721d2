// Property tests (fast-check) of the parts that read outside input: the text normalizer and
// the mention mapping, the JSONL and CSV importers, the feed parser. Hostile or random input
// never throws out of them (a feed may only throw its own FeedError), and well-formed input
// round-trips exactly. The query parser has its own properties in query-language.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeMention } from '../../src/core/ingest/normalize';
import { toPlainText } from '../../src/core/ingest/text';
import { parseCsv, parseJsonl } from '../../src/core/ingest/formats';
import { parseFeed } from '../../src/connectors/inbound/feeds/parse';
import { FeedError } from '../../src/connectors/inbound/feeds/errors';
import type { InboundMention } from '../../src/shared/schemas';

/** Strings with what outside text really carries: markup, entities, controls, bidi, emoji. */
const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom('<b>', '</p>', '<script>alert(1)</script>', '&amp;', '&#0;', '&#x202E;', '\u202E', '\u2066', '\u0000', '\r\n', '\t', ' ', 'caffè', '🙁', '<![CDATA[x]]>', '<!-- c -->', 'Aurora', ',', '"', ';'),
      { maxLength: 40 },
    )
    .map((parts) => parts.join('')),
);

const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;

describe('normalizer and mention mapping', () => {
  it('plain text: no controls, no bidi controls, trimmed; never throws', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = toPlainText(s);
        expect(CONTROLS.test(out)).toBe(false);
        expect(out).toBe(out.trim());
      }),
      { numRuns: 400 },
    );
  });

  it('a mention from anything: a link only when http(s) without credentials', () => {
    const ctx = { now: Date.UTC(2026, 11, 6), secret: 'k' };
    fc.assert(
      fc.property(hostile, hostile, fc.option(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), hostile, fc.constantFrom('javascript:alert(1)', 'https://u:p@x.example/a', 'data:,x'))), (text, author, url) => {
        const m = normalizeMention({ source: 'Prova', text, author, ...(url !== null ? { url } : {}) } as InboundMention, ctx);
        expect(CONTROLS.test(m.text)).toBe(false);
        if (m.url !== null) {
          const u = new URL(m.url);
          expect(['http:', 'https:']).toContain(u.protocol);
          expect(u.username + u.password).toBe('');
        }
        expect(m.dedupKey).toMatch(/^[0-9a-f]{64}$/);
      }),
      { numRuns: 300 },
    );
  });
});

const fieldText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== '' && !/[;\t|]/.test(s) && s === s.trim());
const record = fc.record({ source: fieldText, text: fieldText, external_id: fc.option(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { nil: undefined }) });

describe('JSONL importer', () => {
  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const r = parseJsonl(s);
        if (r.error) expect(r.records).toEqual([]);
        for (const x of r.rejected) expect(x.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips records, with blank lines and CRLF between them, and names the bad lines', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(record.map((r) => ({ r })), fc.constant({ bad: '{"text": ' })), { minLength: 1, maxLength: 30 }), fc.constantFrom('\n', '\r\n'), (rows, eol) => {
        const lines: string[] = [];
        const expected: unknown[] = [];
        const badLines: number[] = [];
        for (const row of rows) {
          if ('r' in row) {
            lines.push(JSON.stringify(row.r));
            expected.push(JSON.parse(JSON.stringify(row.r)));
          } else {
            lines.push(row.bad);
            badLines.push(lines.length);
          }
          if (lines.length % 4 === 0) lines.push('');
        }
        const r = parseJsonl(lines.join(eol));
        expect(r.error).toBeNull();
        expect(r.records.map((x) => x.value)).toEqual(expected);
        expect(r.rejected.map((x) => x.line)).toEqual(badLines);
      }),
      { numRuns: 200 },
    );
  });
});

/** RFC 4180 writing: every field quoted, quotes doubled. */
const csvLine = (cells: string[]): string => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');

describe('CSV importer', () => {
  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const r = parseCsv(`source,text\n${s}`, 'prova.csv');
        if (r.error) expect(r.records).toEqual([]);
        parseCsv(s, 'prova.csv');
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips quoted fields with commas, quotes and line breaks', () => {
    const cell = fc.oneof(fieldText, fc.constantFrom('a, b', 'detto "ciao"', 'due\nrighe', 'caffè “buono”'));
    fc.assert(
      fc.property(fc.array(fc.record({ source: cell, text: cell }), { minLength: 1, maxLength: 20 }), fc.constantFrom('\n', '\r\n'), (rows, eol) => {
        const file = [csvLine(['source', 'text']), ...rows.map((r) => csvLine([r.source, r.text]))].join(eol) + eol;
        const parsed = parseCsv(file, 'prova.csv');
        expect(parsed.error).toBeNull();
        expect(parsed.rejected).toEqual([]);
        expect(parsed.records.map((x) => x.value)).toEqual(rows.map((r) => ({ source: r.source, text: r.text })));
      }),
      { numRuns: 200 },
    );
  });
});

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Characters XML 1.0 cannot carry at all: a feed with them is not XML, so they are left out here. */
const xmlSafe = (s: string): string => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/g, '');

describe('feed parser', () => {
  it('reads every item of an RSS feed whose texts are hostile, or throws only FeedError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ title: hostile, description: hostile }), { minLength: 1, maxLength: 12 }), async (items) => {
        const xml =
          '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Prova</title><link>https://example.com/</link>' +
          items.map((it, i) => `<item><guid>g${i}</guid><link>https://example.com/${i}</link><title>${xmlEscape(xmlSafe(it.title))}</title><description>${xmlEscape(xmlSafe(it.description))}</description></item>`).join('') +
          '</channel></rss>';
        const feed = await parseFeed(new TextEncoder().encode(xml), { url: 'https://example.com/feed' }).catch((e: unknown) => e);
        if (feed instanceof FeedError) return;
        if (feed instanceof Error) throw feed;
        const f = feed as Awaited<ReturnType<typeof parseFeed>>;
        expect(f.itemCount).toBe(items.length);
        expect(f.items.length).toBeLessThanOrEqual(items.length);
        // The feed maps; ingest normalizes: what is stored carries no control character.
        for (const m of f.items) expect(CONTROLS.test(normalizeMention(m, { now: 0, secret: 'k' }).text)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('any bytes at all: a feed or a FeedError, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), hostile, async (bytes, s) => {
        for (const body of [bytes, new TextEncoder().encode(`<rss><channel><item><title>${s}</title></item></channel></rss>`)]) {
          const out = await parseFeed(body, { url: 'https://example.com/feed' }).catch((e: unknown) => e);
          if (out instanceof Error && !(out instanceof FeedError)) throw out;
        }
      }),
      { numRuns: 200 },
    );
  });
});
