import { describe, expect, it } from 'vitest';
import { InboundMentionSchema } from '../../src/shared/schemas';
import { renderText, setErrorLanguage } from '../../src/shared/errors';
import {
  absolutizeHtml,
  charsetFromContentType,
  decodeFeed,
  FeedError,
  parseCacheMaxAge,
  parseFeed,
  parseRetryAfter,
  redditFeedUrl,
  toIsoDate,
} from '../../src/connectors/inbound/feeds';

const URL_ = 'https://news.example.it/feed/';
const parse = (s: string, opts: { contentType?: string; source?: string } = {}) =>
  parseFeed(Buffer.from(s, 'utf8'), { url: URL_, ...opts });

async function error(p: Promise<unknown>): Promise<FeedError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FeedError);
    return e as FeedError;
  }
  throw new Error('expected a FeedError');
}

describe('parseFeed: XML formats', () => {
  it('Atom: xml:base, relative links in content, author, dates, language', async () => {
    const f = await parse(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="it-IT" xml:base="https://blog.example.it/">
  <title>Il blog</title>
  <entry xml:base="/2025/">
    <id>tag:blog,2025:1</id>
    <title type="html">Perch&#233; s&#236;</title>
    <link rel="alternate" href="post-1.html"/>
    <author><name>Maria Rossi</name></author>
    <published>2025-06-10T08:00:00+02:00</published>
    <content type="html">&lt;p&gt;Vedi &lt;a href="altro.html"&gt;qui&lt;/a&gt; e &lt;img src="//cdn.example.it/x.png"&gt;&lt;/p&gt;</content>
  </entry>
  <entry><id>2</id><title>Senza data valida</title><updated>ieri sera</updated><link href="/p/2"/><content>a &lt; b</content></entry>
  <entry><id>3</id><title>Link senza attributi</title><link>https://blog.example.it/p/3</link></entry>
</feed>`);
    expect(f.format).toBe('atom');
    expect(f.lang).toBe('it');
    expect(f.items).toHaveLength(3);
    const [a, b, c] = f.items;
    expect(a).toMatchObject({
      source: 'Il blog',
      external_id: 'tag:blog,2025:1',
      url: 'https://blog.example.it/2025/post-1.html',
      title: 'Perché sì',
      author: 'Maria Rossi',
      published_at: '2025-06-10T06:00:00.000Z',
      lang: 'it',
    });
    expect(a!.text).toContain('href="https://blog.example.it/2025/altro.html"');
    expect(a!.text).toContain('src="https://cdn.example.it/x.png"');
    // An invalid date is left out; it does not sink the item or the feed.
    expect(b!.published_at).toBeUndefined();
    expect(b!.url).toBe('https://blog.example.it/p/2');
    expect(b!.text).toBe('a &lt; b'); // Atom text content, escaped for core's HTML reader
    expect(c!.url).toBe('https://blog.example.it/p/3');
    for (const m of f.items) expect(InboundMentionSchema.safeParse(m).success).toBe(true);
  });

  it('RSS 2.0: guid, content:encoded, dc:creator, RFC 822 and Italian dates, caller source name', async () => {
    const f = await parse(
      `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Testata</title><link>https://news.example.it/</link><language>it</language>
<item><title>Uno</title><link>/a/1?utm_source=rss</link><guid isPermaLink="false">abc-1</guid>
  <description>breve</description><content:encoded><![CDATA[<p>lungo <a href='../x'>x</a></p>]]></content:encoded>
  <dc:creator>Luca</dc:creator><pubDate>Lun, 12 Gen 2026 10:00:00 +0100</pubDate></item>
<item><title>Due</title><guid>https://news.example.it/a/2</guid><author>redazione@example.it (La Redazione)</author></item>
</channel></rss>`,
      { source: 'Il mio feed' },
    );
    const [a, b] = f.items;
    expect(a).toMatchObject({
      source: 'Il mio feed',
      external_id: 'abc-1',
      url: 'https://news.example.it/a/1?utm_source=rss',
      author: 'Luca',
      published_at: '2026-01-12T09:00:00.000Z',
      lang: 'it',
    });
    expect(a!.text).toBe(`<p>lungo <a href="https://news.example.it/x">x</a></p>`);
    // A permalink GUID doubles as the link; the author's email is dropped for the name.
    expect(b).toMatchObject({ url: 'https://news.example.it/a/2', author: 'La Redazione', text: '' });
  });

  it('RSS 1.0 / RDF and RSS 0.91', async () => {
    const rdf = await parse(`<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://x.it/"><title>RDF</title><dc:language>it</dc:language></channel>
<item rdf:about="https://x.it/1"><title>Uno</title><link>https://x.it/1</link><dc:date>2025-01-02T03:04:05Z</dc:date></item>
</rdf:RDF>`);
    expect(rdf.format).toBe('rss1');
    expect(rdf.items[0]).toMatchObject({ external_id: 'https://x.it/1', published_at: '2025-01-02T03:04:05.000Z', lang: 'it' });
    const r091 = await parse(`<rss version="0.91"><channel><title>Old</title><item><title>T</title><link>http://o.it/1</link></item></channel></rss>`);
    expect(r091.format).toBe('rss09');
    expect(r091.items[0]!.url).toBe('http://o.it/1');
  });

  it('external_id falls back to the link, then to a hash of title and content', async () => {
    const f = await parse(`<rss version="2.0"><channel><title>T</title>
<item><title>Con link</title><link>https://e.it/1</link></item>
<item><title>Senza niente</title><description>testo</description></item>
<item><title>Senza niente</title><description>testo</description></item>
</channel></rss>`);
    expect(f.items[0]!.external_id).toBe('https://e.it/1');
    expect(f.items[1]!.external_id).toMatch(/^sha256:[0-9a-f]{40}$/);
    expect(f.items[2]!.external_id).toBe(f.items[1]!.external_id);
  });

  it('items without title and text are dropped and reported; the rest are kept', async () => {
    const f = await parse(`<rss version="2.0"><channel><title>T</title>
<item><guid>vuoto</guid><link>https://e.it/v</link></item><item><title>Ok</title></item></channel></rss>`);
    expect(f.itemCount).toBe(2);
    expect(f.items.map((i) => i.title)).toEqual(['Ok']);
    expect(f.rejected).toEqual([
      { index: 0, reason: 'text: servono text o title', ref: { key: 'feed.itemField', params: { path: 'text', reason: 'schema.textOrTitle' } }, hint: 'https://e.it/v' },
    ]);
    // The same reason in the viewer's language (a dry run of the source in English).
    const ref = f.rejected[0]?.ref;
    expect(ref && renderText(ref.key, ref.params, 'en')).toBe('text: text or title is required');
  });

  it('errors: empty, HTML, not a feed, bad XML with the line, DTD entities', async () => {
    expect((await error(parseFeed(Buffer.alloc(0), { url: URL_ }))).kind).toBe('empty');
    expect((await error(parse('   \n '))).kind).toBe('empty');
    expect((await error(parse('<!DOCTYPE html><html><body>x</body></html>'))).kind).toBe('not_a_feed');
    const nf = await error(parse('<?xml version="1.0"?><note><to>x</to></note>'));
    expect(nf.kind).toBe('not_a_feed');
    expect(nf.message).toContain('<note>');
    const bad = await error(parse('<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n<title>x</titl>\n</channel></rss>'));
    expect(bad.kind).toBe('bad_xml');
    expect(bad.line).toBe(4);
    expect(bad.message).toMatch(/^XML non valido alla riga 4: /);
    const dtd = await error(parse('<!DOCTYPE rss [<!ENTITY a "x">]><rss version="2.0"><channel><title>&a;</title></channel></rss>'));
    expect(dtd.kind).toBe('dtd_refused');
    expect(dtd.message).toBe('il feed contiene entità DTD: rifiutato per sicurezza');
  });

  it('repairs stray ampersands and unknown entities without expanding anything', async () => {
    const f = await parse('<rss version="2.0"><channel><title>A&B</title><item><title>AT&T &foo; &#233;</title></item></channel></rss>');
    expect(f.repaired).toBe(true);
    expect(f.items[0]!.title).toBe('AT&T &foo; é');
  });
});

describe('parseFeed: JSON Feed', () => {
  it('reads 1.1 with authors, language, relative URLs and plain-text content escaped', async () => {
    const f = await parse(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'JF',
        language: 'it-IT',
        items: [
          { id: '1', url: '/p/1', title: 'Uno', content_html: '<p><a href="/a">a</a></p>', date_published: '2025-06-10T08:00:00Z', authors: [{ name: 'Anna' }] },
          { id: 2, content_text: 'a < b & c' },
          { id: '3', title: 42 },
          { id: '4' },
        ],
      }),
      { contentType: 'application/feed+json' },
    );
    expect(f.format).toBe('json');
    expect(f.items).toHaveLength(2);
    expect(f.items[0]).toMatchObject({ external_id: '1', url: 'https://news.example.it/p/1', author: 'Anna', lang: 'it', published_at: '2025-06-10T08:00:00.000Z' });
    expect(f.items[0]!.text).toBe('<p><a href="https://news.example.it/a">a</a></p>');
    expect(f.items[1]).toMatchObject({ external_id: '2', text: 'a &lt; b &amp; c' });
    expect(f.rejected.map((r) => r.index)).toEqual([2, 3]);
  });

  it('reads 1.0 with a single author', async () => {
    const f = await parse(JSON.stringify({ version: 'https://jsonfeed.org/version/1', title: 'Old', author: { name: 'Bob' }, items: [{ id: 'x', title: 'T' }] }));
    expect(f.items[0]).toMatchObject({ author: 'Bob', source: 'Old' });
  });

  it('rejects unknown versions and malformed JSON clearly', async () => {
    const v = await error(parse(JSON.stringify({ version: 'https://jsonfeed.org/version/9', items: [] })));
    expect(v.kind).toBe('bad_json_feed');
    expect(v.message).toMatch(/version/);
    expect((await error(parse('{"version": '))).kind).toBe('bad_json_feed');
    expect((await error(parse(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1' })))).message).toMatch(/items/);
  });
});

describe('decoding', () => {
  it('reads charset parameters however servers write them', () => {
    expect(charsetFromContentType('text/xml;charset= "us-ascii"')).toBe('us-ascii');
    expect(charsetFromContentType("application/atom+xml; charset='gb2312'")).toBe('gb2312');
    expect(charsetFromContentType('text/xml;charset = us-ascii')).toBe('us-ascii');
    expect(charsetFromContentType('text/xml; charset:iso-8859-1')).toBeUndefined();
    expect(charsetFromContentType('text/xml;')).toBeUndefined();
  });

  it('windows-1252 high range (Node decodes it as Latin-1 otherwise)', () => {
    const d = decodeFeed(Buffer.from([0x80, 0x20, 0x93, 0x61, 0x94, 0x20, 0xe8]), 'text/xml; charset=windows-1252');
    expect(d.text).toBe('€ “a” è');
  });

  it('never throws on garbage; invalid bytes are replaced', () => {
    const d = decodeFeed(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xff, 0xfe, 0x62]));
    expect(d.encoding).toBe('utf-8');
    expect(d.replaced).toBe(true);
    expect(d.text).toBe('a\uFFFD\uFFFDb');
    expect(decodeFeed(Buffer.from('ciao'), 'text/xml; charset=bogus').text).toBe('ciao');
  });
});

describe('helpers', () => {
  it('Retry-After and cache lifetimes', () => {
    const now = Date.parse('2025-06-10T08:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 10 Jun 2025 08:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Tue, 10 Jun 2025 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseCacheMaxAge('public, max-age=300', 'Tue, 10 Jun 2025 09:00:00 GMT', undefined, now)).toBe(300_000);
    expect(parseCacheMaxAge('no-cache', undefined, undefined, now)).toBeUndefined();
    expect(parseCacheMaxAge(undefined, 'Tue, 10 Jun 2025 08:10:00 GMT', undefined, now)).toBe(600_000);
    expect(parseCacheMaxAge(undefined, '0', undefined, now)).toBeUndefined();
  });

  it('dates', () => {
    expect(toIsoDate('Tue, 10 Jun 2025 08:00:00 GMT')).toBe('2025-06-10T08:00:00.000Z');
    expect(toIsoDate('Mer, 5 Mag 2021 12:00:00 +0200')).toBe('2021-05-05T10:00:00.000Z');
    expect(toIsoDate('non è una data')).toBeUndefined();
    expect(toIsoDate('')).toBeUndefined();
  });

  it('absolutizeHtml leaves schemes alone', () => {
    const html = `<a href="mailto:x@y.it">m</a><a href=rel>r</a><img src='data:image/png;base64,AA'><a href="?a=1&amp;b=2">q</a>`;
    expect(absolutizeHtml(html, 'https://e.it/dir/page')).toBe(
      `<a href="mailto:x@y.it">m</a><a href="https://e.it/dir/rel">r</a><img src='data:image/png;base64,AA'><a href="https://e.it/dir/page?a=1&amp;b=2">q</a>`,
    );
  });

  it('Reddit RSS addresses', () => {
    expect(redditFeedUrl({ subreddit: 'italy' }).url).toBe('https://www.reddit.com/r/italy/new/.rss');
    expect(redditFeedUrl({ subreddit: 'r/italy', sort: 'top' }).url).toBe('https://www.reddit.com/r/italy/top/.rss');
    expect(redditFeedUrl({ search: 'caffè lavazza' }).url).toBe('https://www.reddit.com/search.rss?q=caff%C3%A8+lavazza&sort=new');
    expect(redditFeedUrl({ search: 'pasta', subreddit: 'italy' }).url).toBe(
      'https://www.reddit.com/r/italy/search.rss?q=pasta&sort=new&restrict_sr=on',
    );
    expect(redditFeedUrl({ threadUrl: 'https://old.reddit.com/r/italy/comments/abc123/un_titolo/?utm_source=share' }).url).toBe(
      'https://www.reddit.com/r/italy/comments/abc123/un_titolo/.rss',
    );
    expect(redditFeedUrl({ threadUrl: 'https://redd.it/abc123' }).url).toBe('https://www.reddit.com/comments/abc123/.rss');
    const { description } = redditFeedUrl({ subreddit: 'italy' });
    expect(renderText(description.key, description.params, 'it')).toMatch(/nuovi post di r\/italy/);
    expect(renderText(description.key, description.params, 'en')).toMatch(/new posts of r\/italy/);
    expect(() => redditFeedUrl({ subreddit: 'no spaces' })).toThrow(/subreddit/);
    expect(() => redditFeedUrl({ threadUrl: 'https://example.com/r/x/comments/1' })).toThrow(/discussione/);
    expect(() => redditFeedUrl({ search: '  ' })).toThrow(/vuota/);
    // Codes, so the form reads them in the person's language.
    setErrorLanguage('en');
    try {
      expect(() => redditFeedUrl({ subreddit: 'no spaces' })).toThrow('invalid subreddit name: "no spaces"');
      expect(() => redditFeedUrl({ threadUrl: 'not a url' })).toThrow('invalid Reddit thread address');
      expect(() => redditFeedUrl({ search: '  ' })).toThrow('the search is empty');
    } finally {
      setErrorLanguage('it');
    }
  });
});
