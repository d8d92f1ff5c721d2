// Every real-world feed of ../shared/fixtures/feeds (feedparser's and Miniflux's test data)
// served from a local HTTP server and read by the real client: each must yield items or a
// clear typed error, never an unhandled exception.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_ERROR_KINDS, pollFeed, type PollResult } from '../../src/connectors/inbound/feeds';
import { requireFixtures } from '../support/fixtures';

// Every test here reads the fixtures, so the file fails to load without them.
const FEEDS = requireFixtures('feeds');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

/**
 * feedparser's `http_*` cases say in their leading comment which Content-Type the server
 * sends ("Header: Content-type: text/xml; charset=…"). The comment may be in UTF-16/32:
 * dropping NUL bytes makes it readable either way.
 */
function headerOf(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 4096).toString('latin1').replace(/\0/g, '');
  const m = /^Header:\s*Content-type:[ \t]*(.*)$/im.exec(head);
  return m?.[1]?.trim();
}

const files = [
  ...walk(join(FEEDS, 'feedparser')).filter((f) => /\/(wellformed|encoding|illformed)\//.test(f)),
  ...walk(join(FEEDS, 'miniflux')).filter((f) => !f.endsWith('LICENSE')),
];

let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').slice(1));
    const path = resolve(FEEDS, rel);
    if (!path.startsWith(FEEDS + '/') || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(path);
    const headers: Record<string, string> = { 'Content-Length': String(body.length) };
    const type = headerOf(body);
    if (type !== undefined) headers['Content-Type'] = type;
    else if (path.endsWith('.html')) headers['Content-Type'] = 'text/html';
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  if (server) await new Promise<void>((r) => server.close(() => r()));
});

const results = new Map<string, PollResult>();

async function poll(rel: string): Promise<PollResult> {
  const cached = results.get(rel);
  if (cached) return cached;
  const r = await pollFeed(base + rel.split('/').map(encodeURIComponent).join('/'), {
    timeoutMs: 10_000,
    source: 'Fixture',
  });
  results.set(rel, r);
  return r;
}

function ok(r: PollResult) {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.status === 'error' ? `${r.error.kind}: ${r.error.message}` : r.status}`);
  return r.feed;
}

describe('feed fixtures served over HTTP', () => {
  it(`every fixture yields items or a clear typed error (${files.length} files)`, async () => {
    const rels = files.map((f) => relative(FEEDS, f));
    const queue = [...rels];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let rel = queue.shift(); rel !== undefined; rel = queue.shift()) await poll(rel);
      }),
    );

    const summary = {
      files: rels.length,
      withItems: 0,
      items: 0,
      itemsRejected: 0,
      parsedNoItems: 0,
      errors: {} as Record<string, number>,
    };
    const byGroup: Record<string, { ok: number; items: number; errors: Record<string, number> }> = {};
    const errorsList: string[] = [];
    for (const rel of rels) {
      const r = results.get(rel)!;
      const group = rel.split('/').slice(0, 2).join('/');
      const g = (byGroup[group] ??= { ok: 0, items: 0, errors: {} });
      if (r.status === 'ok') {
        g.ok++;
        g.items += r.feed.items.length;
        summary.items += r.feed.items.length;
        summary.itemsRejected += r.feed.rejected.length;
        if (r.feed.items.length > 0) summary.withItems++;
        else summary.parsedNoItems++;
      } else if (r.status === 'error') {
        expect(FEED_ERROR_KINDS).toContain(r.error.kind);
        expect(r.error.message.length).toBeGreaterThan(5);
        summary.errors[r.error.kind] = (summary.errors[r.error.kind] ?? 0) + 1;
        g.errors[r.error.kind] = (g.errors[r.error.kind] ?? 0) + 1;
        errorsList.push(`${rel}: [${r.error.kind}] ${r.error.message}`);
      } else {
        throw new Error(`${rel}: unexpected ${r.status}`);
      }
    }
    console.log('[feeds-fixtures] summary', JSON.stringify(summary));
    console.log('[feeds-fixtures] by folder', JSON.stringify(byGroup, null, 1));
    console.log('[feeds-fixtures] errors:\n  ' + errorsList.join('\n  '));

    // Our own client must never be the problem: no timeouts or network errors on a local server.
    expect(summary.errors.network ?? 0).toBe(0);
    expect(summary.errors.timeout ?? 0).toBe(0);
    // Well-formed feeds must parse, except those declaring DTD entities: refused by policy
    // (no feed needs them; they are how XML bombs and XXE work).
    for (const rel of rels.filter((r) => r.startsWith('feedparser/wellformed/'))) {
      const r = results.get(rel)!;
      const declaresEntities = /<!ENTITY/.test(readFileSync(join(FEEDS, rel), 'latin1'));
      const expected = declaresEntities ? 'dtd_refused' : 'ok';
      expect(r.status === 'error' ? `${rel}: ${r.error.kind}` : 'ok').toBe(declaresEntities ? `${rel}: ${expected}` : 'ok');
    }
    // Ill-formed ones that fail say why, with the line when the parser knows it.
    for (const rel of rels.filter((r) => r.startsWith('feedparser/illformed/'))) {
      const r = results.get(rel)!;
      if (r.status === 'error' && r.error.kind === 'bad_xml') expect(r.error.message).toMatch(/^XML non valido/);
    }
  });

  it('decodes windows-1252 by prolog, including € and curly quotes', async () => {
    const f = ok(await poll('miniflux/encoding/windows-1252.xml'));
    expect(f.title).toBe('Euro €');
    expect(f.encoding).toBe('windows-1252');
  });

  it('a prolog that lies (says windows-1252 / ISO-8859-1, bytes are UTF-8) is overruled', async () => {
    expect(ok(await poll('miniflux/encoding/windows-1252-incorrect-prolog.xml')).title).toBe('Euro €');
    const f = ok(await poll('miniflux/encoding/utf8-incorrect-prolog.xml'));
    expect(f.title).toBe('테스트 피드');
    expect(f.items[0]?.title).toBe('Café');
  });

  it('decodes ISO-8859-1 (with prolog and without any declaration)', async () => {
    const f = ok(await poll('miniflux/encoding/iso-8859-1.xml'));
    expect(f.title).toBe('Café');
    expect(f.description).toBe('Présentation');
    const g = ok(await poll('miniflux/parser/no_encoding_ISO-8859-1.xml'));
    expect(g.items.length).toBeGreaterThan(0);
    expect(g.items.map((i) => `${i.title} ${i.text}`).join(' ')).not.toContain('\uFFFD');
    expect(g.items.map((i) => `${i.title} ${i.text}`).join(' ')).toMatch(/[éèàç]/);
    const h = ok(await poll('miniflux/parser/encoding_ISO-8859-1.xml'));
    expect(h.encoding).toBe('windows-1252'); // WHATWG: ISO-8859-1 labels decode as windows-1252
    expect(h.items.length).toBeGreaterThan(0);
  });

  it('decodes KOI8-R and windows-1251', async () => {
    const f = ok(await poll('miniflux/encoding/koi8r.xml'));
    expect(f.title).toBe('Пример RSS ленты');
    expect(f.items[0]?.title).toBe('Первая новость');
    expect(f.items[0]?.lang).toBe('ru');
    const g = ok(await poll('miniflux/parser/encoding_WINDOWS-1251.xml'));
    expect(g.description).toBe('Новый цитатник Рунета');
  });

  it('win-1252 code points without any declaration come out as curly quotes', async () => {
    const f = ok(await poll('feedparser/encoding/demoronize-1.xml'));
    expect(f.items[0]?.text).toBe('don\u2019t');
  });

  it('the Content-Type charset overrides the prolog', async () => {
    const f = ok(await poll('feedparser/encoding/http_text_xml_charset_overrides_encoding_2.xml'));
    expect(f.encodingSource).toBe('header');
    expect(f.items[0]?.text).toBe('This is a \u00a3\u201ctest.\u201d');
  });

  it('BOM and wide encodings (UTF-8 BOM, UTF-16, UTF-32 with and without BOM)', async () => {
    for (const name of [
      'utf-8-bom.xml',
      'utf-16le-bom.xml',
      'utf-16be-bom.xml',
      'utf-16le-autodetect.xml',
      'utf-32le-bom.xml',
      'utf-32be-autodetect.xml',
    ]) {
      const r = await poll(`feedparser/encoding/${name}`);
      expect(r.status === 'ok' ? 'ok' : `${name}: ${r.status === 'error' ? r.error.message : r.status}`).toBe('ok');
    }
    expect(ok(await poll('feedparser/encoding/utf-16le-bom.xml')).encodingSource).toBe('bom');
    expect(ok(await poll('feedparser/encoding/utf-32be-autodetect.xml')).encoding).toBe('utf-32be');
  });

  it('EUC-KR and GB2312 declared by header or prolog', async () => {
    const f = ok(await poll('feedparser/encoding/euc-kr-item.xml'));
    expect(f.items[0]?.text).toBe('\ub144');
    const g = ok(await poll('feedparser/encoding/http_application_atom_xml_gb2312_charset.xml'));
    expect(g.encoding).toBe('gbk');
  });

  it('invalid bytes after a UTF-8 BOM are replaced, not fatal', async () => {
    const r = await poll('feedparser/encoding/bozo_invalid-bytes-with-bom.xml');
    // The document is also truncated (</rss without >): a clear XML error is fine too.
    if (r.status === 'ok') expect(r.feed.title).toContain('\uFFFD');
    else expect(r.status === 'error' && r.error.kind).toBe('bad_xml');
  });

  it('an HTML page is "not a feed"', async () => {
    const r = await poll('miniflux/encoding/utf8.html');
    expect(r.status === 'error' && r.error.kind).toBe('not_a_feed');
  });
});
