// The feed client against a hostile local server: huge bodies, bombs, drips, resets, loops,
// status codes, wrong charsets. Real sockets on 127.0.0.1, real client code.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed, FeedError, parseFeed, pollFeed, type PollResult } from '../../src/connectors/inbound/feeds';
import { startLocalServer, type LocalServer } from '../support/local-server';

const MB = 1024 * 1024;

const RSS = (items: string, extra = ''): string =>
  `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Test</title>${extra}${items}</channel></rss>`;
const ITEM = (n: number): string =>
  `<item><title>Titolo ${n}</title><link>https://example.com/${n}</link><guid>id-${n}</guid><description>Testo ${n}</description></item>`;
const OK_FEED = RSS(ITEM(1) + ITEM(2));

/** windows-1252 bytes of a string (Node has no encoder for it). */
function cp1252(s: string): Buffer {
  const special: Record<string, number> = { '€': 0x80, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, '…': 0x85 };
  return Buffer.from(
    [...s].map((ch) => {
      const sp = special[ch];
      if (sp !== undefined) return sp;
      const c = ch.codePointAt(0)!;
      if (c > 0xff) throw new Error(`not encodable in cp1252: ${ch}`);
      return c;
    }),
  );
}

const ITALIAN_TITLE = 'Perché la città costa 5 € in più: “prezzi” e l’inflazione';
const ITALIAN_TEXT = 'È già così: qualità, novità, perché sì — dice l’assessore…';
const italianFeed = (prolog: string): string =>
  `${prolog}<rss version="2.0"><channel><title>Notizie</title><language>it-IT</language>` +
  `<item><title>${ITALIAN_TITLE}</title><link>/articolo/1</link><description>${ITALIAN_TEXT}</description>` +
  `<pubDate>Tue, 10 Jun 2025 08:00:00 +0200</pubDate></item></channel></rss>`;
// ISO-8859-1 has no €, curly quotes or …: a Latin-1 only text for that case.
const LATIN1_TITLE = 'Perché la città è più bella';
const latin1Feed = `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>N</title><item><title>${LATIN1_TITLE}</title><description>già</description></item></channel></rss>`;

let server: LocalServer;
let base = '';
const counters = { bigChunkedBytes: 0, conditionalHits: 0 };
let gzipBomb: Buffer;
let brotliBomb: Buffer;

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const p = url.pathname;
  const xml = { 'Content-Type': 'application/rss+xml; charset=utf-8' };
  const chain = /^\/chain\/(\d+)$/.exec(p);
  if (chain) {
    res.writeHead(307, { Location: `/chain/${Number(chain[1]) + 1}` }).end();
    return;
  }
  switch (p) {
    case '/ok':
      res.writeHead(200, xml).end(OK_FEED);
      return;
    case '/big-cl': {
      // Claims 50 MB; sends a little, then waits. The client must refuse on the header.
      res.writeHead(200, { ...xml, 'Content-Length': String(50 * MB) });
      res.write('<rss>');
      return;
    }
    case '/big-chunked': {
      res.writeHead(200, xml); // no Content-Length: chunked
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const pump = (): void => {
        while (sent < 50 * MB) {
          sent += chunk.length;
          counters.bigChunkedBytes = sent;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
      return;
    }
    case '/gzip-bomb':
      res.writeHead(200, { ...xml, 'Content-Encoding': 'gzip', 'Content-Length': String(gzipBomb.length) }).end(gzipBomb);
      return;
    case '/br-bomb':
      res.writeHead(200, { ...xml, 'Content-Encoding': 'br' }).end(brotliBomb);
      return;
    case '/gzip':
      res.writeHead(200, { ...xml, 'Content-Encoding': 'gzip' }).end(zlib.gzipSync(OK_FEED));
      return;
    case '/deflate':
      res.writeHead(200, { ...xml, 'Content-Encoding': 'deflate' }).end(zlib.deflateSync(OK_FEED));
      return;
    case '/deflate-raw':
      res.writeHead(200, { ...xml, 'Content-Encoding': 'deflate' }).end(zlib.deflateRawSync(OK_FEED));
      return;
    case '/br':
      res.writeHead(200, { ...xml, 'Content-Encoding': 'br' }).end(zlib.brotliCompressSync(OK_FEED));
      return;
    case '/bad-gzip':
      res.writeHead(200, { ...xml, 'Content-Encoding': 'gzip' }).end(Buffer.from('this is not gzip at all'));
      return;
    case '/drip': {
      // One byte at a time, forever: only the total timeout can end it.
      res.writeHead(200, xml);
      const body = OK_FEED.repeat(1000);
      let i = 0;
      const t = setInterval(() => res.write(body[i++ % body.length]!), 1000);
      res.on('close', () => clearInterval(t));
      return;
    }
    case '/stall-body':
      res.writeHead(200, xml);
      res.write('<rss version="2.0">');
      return; // never ends, never writes again
    case '/no-headers':
      return; // accepts the request, never answers
    case '/etag': {
      const etag = '"v1"';
      const lm = 'Tue, 10 Jun 2025 08:00:00 GMT';
      const common = { ETag: etag, 'Last-Modified': lm, 'Cache-Control': 'public, max-age=600' };
      if (req.headers['if-none-match'] === etag || req.headers['if-modified-since'] === lm) {
        counters.conditionalHits++;
        res.writeHead(304, common).end();
      } else res.writeHead(200, { ...xml, ...common }).end(OK_FEED);
      return;
    }
    case '/expires':
      res
        .writeHead(200, { ...xml, Date: 'Tue, 10 Jun 2025 08:00:00 GMT', Expires: 'Tue, 10 Jun 2025 08:05:00 GMT' })
        .end(OK_FEED);
      return;
    case '/gone':
      res.writeHead(410).end('gone');
      return;
    case '/not-found':
      res.writeHead(404).end();
      return;
    case '/429':
      res.writeHead(429, { 'Retry-After': '120' }).end();
      return;
    case '/429-date':
      res.writeHead(429, { 'Retry-After': 'Tue, 10 Jun 2025 08:30:00 GMT' }).end();
      return;
    case '/500':
      res.writeHead(500).end('boom');
      return;
    case '/503':
      res.writeHead(503, { 'Retry-After': '30' }).end();
      return;
    case '/loop-a':
      res.writeHead(302, { Location: '/loop-b' }).end();
      return;
    case '/loop-b':
      res.writeHead(302, { Location: '/loop-a' }).end();
      return;
    case '/self-loop':
      res.writeHead(301, { Location: p }).end();
      return;
    case '/redirect-to-ftp':
      res.writeHead(302, { Location: 'ftp://127.0.0.1/feed.xml' }).end();
      return;
    case '/redirect-to-file':
      res.writeHead(302, { Location: 'file:///etc/passwd' }).end();
      return;
    case '/redirect-no-location':
      res.writeHead(302).end();
      return;
    case '/dir/moved':
      res.writeHead(301, { Location: '../feeds/./final?x=1' }).end();
      return;
    case '/feeds/final':
      res.writeHead(200, xml).end(RSS(`<item><title>Rel</title><link>../post/1</link><description>&lt;a href="/a"&gt;a&lt;/a&gt; &lt;img src='img/x.png'&gt;</description></item>`));
      return;
    case '/reset': {
      res.writeHead(200, { ...xml, 'Content-Length': '10000' });
      res.write(OK_FEED.slice(0, 100));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    case '/reset-chunked': {
      res.writeHead(200, xml);
      res.write(OK_FEED.slice(0, 100));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    case '/html':
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>');
      return;
    case '/empty':
      res.writeHead(200, xml).end();
      return;
    case '/broken':
      res.writeHead(200, xml).end(`<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n<item><title>a</item>\n</channel>\n</rss>`);
      return;
    case '/it-1252-prolog':
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(cp1252(italianFeed('<?xml version="1.0" encoding="windows-1252"?>')));
      return;
    case '/it-1252-header':
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=windows-1252' }).end(cp1252(italianFeed('')));
      return;
    case '/it-1252-none':
      res.writeHead(200, { 'Content-Type': 'application/xml' }).end(cp1252(italianFeed('')));
      return;
    case '/it-1252-wrong-header':
      // Server says UTF-8, bytes are windows-1252 (a misconfigured CMS).
      res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(cp1252(italianFeed('')));
      return;
    case '/it-utf8-wrong-header':
      // Server says ISO-8859-1 (an old Apache default), bytes are UTF-8.
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=ISO-8859-1' }).end(Buffer.from(italianFeed(''), 'utf8'));
      return;
    case '/it-latin1':
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(Buffer.from(latin1Feed, 'latin1'));
      return;
    case '/text-plain':
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(OK_FEED);
      return;
    default:
      res.writeHead(404).end();
  }
}

beforeAll(async () => {
  gzipBomb = zlib.gzipSync(Buffer.alloc(64 * MB), { level: 9 });
  brotliBomb = zlib.brotliCompressSync(Buffer.alloc(64 * MB));
  server = await startLocalServer(route);
  base = server.base;
  // Compressing 128 MB takes seconds, more on a busy machine.
}, 60_000);

afterAll(async () => {
  await server.close();
});

async function failure(path: string, opts: Parameters<typeof pollFeed>[1] = {}): Promise<FeedError> {
  const r = await pollFeed(base + path, { timeoutMs: 5_000, ...opts });
  if (r.status !== 'error') throw new Error(`expected an error for ${path}, got ${r.status}`);
  expect(r.error).toBeInstanceOf(FeedError);
  return r.error;
}

function okFeed(r: PollResult) {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.status === 'error' ? r.error.message : r.status}`);
  return r;
}

describe('feed client against a hostile server', () => {
  it('reads a plain feed', async () => {
    const r = okFeed(await pollFeed(`${base}/ok`, { source: 'Blog' }));
    expect(r.feed.items.map((i) => i.external_id)).toEqual(['id-1', 'id-2']);
    expect(r.feed.items[0]).toMatchObject({ source: 'Blog', title: 'Titolo 1', url: 'https://example.com/1', text: 'Testo 1' });
  });

  it('refuses a 50 MB Content-Length without reading the body', async () => {
    const e = await failure('/big-cl');
    expect(e.kind).toBe('too_large');
    expect(e.message).toBe('il feed supera il limite di 15 MB');
  });

  it('stops a 50 MB chunked body as soon as it crosses the cap', async () => {
    const e = await failure('/big-chunked', { maxBytes: 2 * MB });
    expect(e.kind).toBe('too_large');
    expect(e.message).toBe('il feed supera il limite di 2 MB');
    // The server could not push anywhere near the whole body.
    expect(counters.bigChunkedBytes).toBeLessThan(20 * MB);
  });

  it('stops a gzip bomb and a brotli bomb on the decompressed size', async () => {
    for (const path of ['/gzip-bomb', '/br-bomb']) {
      const e = await failure(path);
      expect(e.kind).toBe('too_large');
    }
    const e = await failure('/gzip-bomb', { maxBytes: 1 * MB });
    expect(e.message).toBe('il feed supera il limite di 1 MB');
  });

  it('decompresses gzip, deflate (zlib and raw) and brotli', async () => {
    for (const path of ['/gzip', '/deflate', '/deflate-raw', '/br']) {
      const r = okFeed(await pollFeed(base + path));
      expect(r.feed.items).toHaveLength(2);
    }
    expect((await failure('/bad-gzip')).kind).toBe('network');
  });

  it('a server dripping one byte at a time fails on the total timeout', async () => {
    // Each byte arrives within the idle timeout, so only the total deadline can stop it.
    const e = await failure('/drip', { timeoutMs: 3_000, idleTimeoutMs: 2_000 });
    expect(e.kind).toBe('timeout');
    expect(e.message).toBe('il feed non ha risposto entro 3 secondi');
  });

  it('a server that goes silent fails on the idle timeout', async () => {
    const a = await failure('/stall-body', { timeoutMs: 10_000, idleTimeoutMs: 300 });
    expect(a.kind).toBe('timeout');
    expect(a.message).toMatch(/non invia dati/);
    const b = await failure('/no-headers', { timeoutMs: 10_000, idleTimeoutMs: 300 });
    expect(b.kind).toBe('timeout');
  });

  it('conditional GET: validators come back, the second poll is a 304', async () => {
    const first = okFeed(await pollFeed(`${base}/etag`));
    expect(first.etag).toBe('"v1"');
    expect(first.lastModified).toBe('Tue, 10 Jun 2025 08:00:00 GMT');
    expect(first.cacheMaxAgeMs).toBe(600_000);
    const second = await pollFeed(`${base}/etag`, { etag: first.etag, lastModified: first.lastModified });
    expect(second.status).toBe('notModified');
    if (second.status === 'notModified') expect(second.cacheMaxAgeMs).toBe(600_000);
    const third = await pollFeed(`${base}/etag`, { lastModified: first.lastModified });
    expect(third.status).toBe('notModified');
    expect(counters.conditionalHits).toBe(2);
  });

  it('Expires sets the minimum delay, measured against the server Date', async () => {
    const r = okFeed(await pollFeed(`${base}/expires`));
    expect(r.cacheMaxAgeMs).toBe(5 * 60_000);
  });

  it('410, 404, 500, 503 say what happened', async () => {
    const gone = await failure('/gone');
    expect(gone).toMatchObject({ kind: 'http_status', status: 410 });
    expect(gone.message).toBe("il feed è sparito (410): rimuovilo o aggiorna l'indirizzo");
    expect(gone.transient).toBe(false);
    expect((await failure('/not-found')).status).toBe(404);
    const e500 = await failure('/500');
    expect(e500.message).toBe('il feed ha risposto 500');
    expect(e500.transient).toBe(true);
    const e503 = await failure('/503');
    expect(e503.retryAfterMs).toBe(30_000);
    expect(e503.message).toMatch(/^il feed ha risposto 503/);
  });

  it('429 with Retry-After in seconds and as an HTTP date', async () => {
    const a = await failure('/429');
    expect(a).toMatchObject({ kind: 'http_status', status: 429, retryAfterMs: 120_000 });
    expect(a.message).toBe('troppe richieste (429): riprovo tra 2 minuti');
    const now = Date.parse('Tue, 10 Jun 2025 08:00:00 GMT');
    const b = await failure('/429-date', { now: () => now });
    expect(b.retryAfterMs).toBe(30 * 60_000);
    expect(b.message).toBe('troppe richieste (429): riprovo tra 30 minuti');
  });

  it('redirect loops and endless chains are cut', async () => {
    const loop = await failure('/loop-a');
    expect(loop.kind).toBe('redirect_loop');
    expect(loop.message).toBe('troppi reindirizzamenti (ciclo)');
    expect((await failure('/self-loop')).kind).toBe('redirect_loop');
    const chain = await failure('/chain/0');
    expect(chain.kind).toBe('redirect_loop');
    expect(chain.message).toBe('troppi reindirizzamenti (più di 5)');
    expect((await failure('/redirect-no-location')).kind).toBe('http_status');
  });

  it('redirects to non-http schemes are refused', async () => {
    for (const p of ['/redirect-to-ftp', '/redirect-to-file']) {
      const e = await failure(p);
      expect(e.kind).toBe('unsupported_scheme');
      expect(e.message).toMatch(/solo http e https/);
    }
    const direct = await pollFeed('file:///etc/passwd');
    expect(direct.status === 'error' && direct.error.kind).toBe('unsupported_scheme');
    const bad = await pollFeed('not a url');
    expect(bad.status === 'error' && bad.error.kind).toBe('bad_url');
  });

  it('follows a relative redirect and resolves relative links against the final URL', async () => {
    const r = okFeed(await pollFeed(`${base}/dir/moved`));
    expect(r.finalUrl).toBe(`${base}/feeds/final?x=1`);
    expect(r.permanentRedirectTo).toBe(`${base}/feeds/final?x=1`);
    const item = r.feed.items[0]!;
    expect(item.url).toBe(`${base}/post/1`);
    expect(item.text).toContain(`href="${base}/a"`);
    expect(item.text).toContain(`src="${base}/feeds/img/x.png"`);
  });

  it('a connection reset mid-body is a network error (Content-Length and chunked)', async () => {
    for (const p of ['/reset', '/reset-chunked']) {
      const e = await failure(p);
      expect(e.kind).toBe('network');
      expect(e.message).toMatch(/interrotta/);
    }
  });

  it('connection refused, abort signal', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await pollFeed(`http://127.0.0.1:${port}/`);
    expect(refused.status === 'error' && refused.error.kind).toBe('network');

    const ctl = new AbortController();
    const pending = pollFeed(`${base}/stall-body`, { signal: ctl.signal, timeoutMs: 10_000, idleTimeoutMs: 10_000 });
    setTimeout(() => ctl.abort(), 50);
    const aborted = await pending;
    expect(aborted.status === 'error' && aborted.error.kind).toBe('aborted');
  });

  it('HTML pages, empty bodies and broken XML give clear errors', async () => {
    expect((await failure('/html')).kind).toBe('not_a_feed');
    const empty = await failure('/empty');
    expect(empty.kind).toBe('empty');
    const broken = await failure('/broken');
    expect(broken.kind).toBe('bad_xml');
    expect(broken.line).toBe(4);
    expect(broken.message).toMatch(/^XML non valido alla riga 4: /);
  });

  it('text/plain without charset is still read as a feed', async () => {
    expect(okFeed(await pollFeed(`${base}/text-plain`)).feed.items).toHaveLength(2);
  });

  it('Italian feeds in windows-1252 and ISO-8859-1 come out right, whatever the server declares', async () => {
    for (const p of ['/it-1252-prolog', '/it-1252-header', '/it-1252-none', '/it-1252-wrong-header', '/it-utf8-wrong-header']) {
      const r = okFeed(await pollFeed(base + p, { source: 'Notizie' }));
      const item = r.feed.items[0]!;
      expect(item.title, p).toBe(ITALIAN_TITLE);
      expect(item.text, p).toBe(ITALIAN_TEXT);
      expect(item.lang).toBe('it');
      expect(item.url).toBe(`${base}/articolo/1`);
      expect(item.published_at).toBe('2025-06-10T06:00:00.000Z');
    }
    const latin = okFeed(await pollFeed(`${base}/it-latin1`));
    expect(latin.feed.items[0]!.title).toBe(LATIN1_TITLE);
    expect(latin.feed.items[0]!.text).toBe('già');
  });

  it('other feeds keep working after all of the above', async () => {
    expect(okFeed(await pollFeed(`${base}/ok`)).feed.items).toHaveLength(2);
    const direct = await fetchFeed(`${base}/ok`);
    expect(direct.kind).toBe('ok');
    if (direct.kind === 'ok') expect((await parseFeed(direct.bytes, { url: direct.finalUrl })).items).toHaveLength(2);
  });
});
