import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/core/analysis/lang';
import { authorKey, AuthorKeyCache, contentHash, HmacSha256, normalizeMention } from '../../src/core/ingest/normalize';
import { collapseWhitespace, decodeEntities, singleSpaced, toPlainText } from '../../src/core/ingest/text';
import { canonicalUrl } from '../../src/core/ingest/url';
import type { InboundMention } from '../../src/shared/schemas';

const ctx = { secret: 'x'.repeat(64), now: Date.UTC(2026, 5, 1) };
const norm = (m: Partial<InboundMention>) => normalizeMention({ source: 'test', text: 'ciao a tutti', ...m } as InboundMention, ctx);

describe('canonical URL', () => {
  it('drops tracking parameters and keeps the others in order', () => {
    expect(canonicalUrl('https://example.com/p?b=2&utm_source=x&a=1&fbclid=abc&UTM_Medium=y&gclid=1&si=9&keep=yes')).toBe(
      'https://example.com/p?b=2&a=1&keep=yes',
    );
    for (const p of ['dclid', 'msclkid', 'mc_cid', 'mc_eid', 'igshid', 'yclid', '_hsenc', '_hsmi', 'ref_src']) {
      expect(canonicalUrl(`https://example.com/?${p}=1`)).toBe('https://example.com/');
    }
  });

  it('lowercases scheme and host, drops default port and fragment, keeps path case', () => {
    expect(canonicalUrl('HTTPS://Example.COM:443/Path/A?x=1#commento-3')).toBe('https://example.com/Path/A?x=1');
    expect(canonicalUrl('http://example.com:80/')).toBe('http://example.com/');
    expect(canonicalUrl('http://example.com:8080/a')).toBe('http://example.com:8080/a');
  });

  it('invalid or non-web URLs give null', () => {
    expect(canonicalUrl('non un url')).toBeNull();
    expect(canonicalUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalUrl('')).toBeNull();
    expect(canonicalUrl(undefined)).toBeNull();
  });
});

describe('plain text', () => {
  it('strips tags, decodes entities, collapses whitespace, keeps unicode', () => {
    expect(toPlainText('<p>Ciao&nbsp;<b>mondo</b> &amp; caff&egrave;</p>\n\n\n<p>già   fatto 😀</p>')).toBe('Ciao mondo & caffè\n\ngià fatto 😀');
    expect(toPlainText('Perché 日本語 — «virgolette» 👍🏽')).toBe('Perché 日本語 — «virgolette» 👍🏽');
    expect(decodeEntities('&#233;&#x1F600;&bogus;&lt;')).toBe('é😀&bogus;<');
  });

  it('script and style never survive as markup', () => {
    const out = toPlainText('Ciao <script>alert("x")</script><img src=x onerror=alert(1)><style>p{}</style>mondo <SCRIPT src="//evil"></SCRIPT>');
    expect(out).toBe('Ciao mondo');
    expect(out).not.toMatch(/<|script|onerror/i);
    // Entity-encoded markup decodes to literal text, which the UI shows as text.
    expect(toPlainText('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe('<script>alert(1)</script>');
    expect(toPlainText('inizio <script>senza fine')).toBe('inizio');
  });

  it('composes accents (NFC) whatever the text, with or without a character from U+0300 on', () => {
    expect(toPlainText('Caffe\u0300 perche\u0301')).toBe('Caffè perché');
    expect(toPlainText('caffè ÀÉÌÒÙ ǅ ʰ ˀ')).toBe('caffè ÀÉÌÒÙ ǅ ʰ ˀ');
    // Every character below U+0300, alone or beside any other, is its own NFC: the shortcut is exact.
    const changed: string[] = [];
    for (let a = 0; a < 0x300; a++) {
      for (let b = -1; b < 0x300; b++) {
        const s = String.fromCharCode(a) + (b < 0 ? '' : String.fromCharCode(b));
        if (s.normalize('NFC') !== s) changed.push(s);
      }
    }
    expect(changed).toEqual([]);
    // Text without markup: plain text is the collapsed NFC, as before the shortcut.
    const plain = fc.string({ unit: 'grapheme', maxLength: 60 }).map((t) => t.replace(/[<&]/g, ''));
    fc.assert(
      fc.property(plain, (t) => {
        expect(toPlainText(t)).toBe(collapseWhitespace(t.normalize('NFC')));
      }),
    );
  });

  it('leaves text that only looks a bit like markup alone', () => {
    expect(toPlainText('3 < 5 e 7 > 2 <3')).toBe('3 < 5 e 7 > 2 <3');
    expect(toPlainText('AT&T')).toBe('AT&T');
  });
});

/** collapseWhitespace as it was before its shortcut for text with nothing to collapse. */
function collapseReference(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

describe('collapseWhitespace', () => {
  it('gives what the full chain of replacements gives, shortcut or not', () => {
    const chars = ['a', 'è', ' ', '  ', '\n', '\r', '\t', '\u00A0', '\u2009', '\u3000', '\u0001', '\u000B', '\u007F', '\u2028', '\uFEFF', '.', '🙂'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 40 }), (parts) => {
        const s = parts.join('');
        expect(collapseWhitespace(s)).toBe(collapseReference(s));
      }),
      { numRuns: 3000 },
    );
    for (const s of ['Una frase normale.', ' ai bordi ', 'a\n\nb', 'a\n\n\nb', 'a \nb', 'a\n b', 'a  b', 'a\tb', 'a\r\nb']) {
      expect(collapseWhitespace(s)).toBe(collapseReference(s));
    }
  });
});

describe('singleSpaced', () => {
  it('is s.replace(/\\s+/g, " "), shortcut or not', () => {
    const chars = ['a', 'è', ' ', '\n', '\r', '\t', '\u00A0', '\u2009', '\u2028', '\uFEFF', '\u200B', '\u000B', '.', '🙂'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 30 }), (parts) => {
        const s = parts.join('');
        expect(singleSpaced(s)).toBe(s.replace(/\s+/g, ' '));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('normalize', () => {
  it('fills the row: canonical url, plain text, pseudonym, defaults', () => {
    const r = norm({ text: '<b>Ottimo</b> caffè, grazie!', author: 'Mario Rossi', url: 'https://x.it/a?utm_campaign=z#c' });
    expect(r).toMatchObject({
      sourceName: 'test', text: 'Ottimo caffè, grazie!', canonicalUrl: 'https://x.it/a', url: 'https://x.it/a?utm_campaign=z#c',
      authorName: null, publishedAt: ctx.now, fetchedAt: ctx.now, likes: 0, comments: 0, shares: 0, score: 0, title: null,
    });
    expect(r.authorKey).toMatch(/^[0-9a-f]{16}$/);
    expect(r.authorKey).toBe(authorKey(ctx.secret, 'test', 'Mario Rossi'));
    expect(r.authorKey).not.toBe(authorKey('y'.repeat(64), 'test', 'Mario Rossi'));
    expect(norm({}).authorKey).toBeNull();
    expect(JSON.stringify(r)).not.toContain('Mario');
  });

  it('keeps a given language and published time', () => {
    const r = norm({ lang: 'en', published_at: '2026-01-02T03:04:05+01:00' });
    expect(r.lang).toBe('en');
    expect(r.publishedAt).toBe(Date.UTC(2026, 0, 2, 2, 4, 5));
  });

  it('dedup identity: external id, else canonical URL, else author + time + text', () => {
    // Same external id, different words: the same item (an edit).
    expect(norm({ external_id: '1', text: 'a' }).dedupKey).toBe(norm({ external_id: '1', text: 'b' }).dedupKey);
    expect(norm({ external_id: '1' }).dedupKey).not.toBe(norm({ external_id: '2' }).dedupKey);
    // URLs differing only in tracking parameters or fragment: the same item.
    expect(norm({ url: 'https://x.it/p?utm_source=a' }).dedupKey).toBe(norm({ url: 'https://x.it/p#top' }).dedupKey);
    // A pile-on: the same words from many authors are many mentions.
    const at = '2026-01-01T10:00:00Z';
    const keys = new Set(Array.from({ length: 100 }, (_, i) => norm({ text: 'Vergogna!', author: `u${i}`, published_at: at }).dedupKey));
    expect(keys.size).toBe(100);
    // The same author repeating the same words at another time is another mention.
    expect(norm({ text: 'Vergogna!', author: 'u', published_at: at }).dedupKey).not.toBe(
      norm({ text: 'Vergogna!', author: 'u', published_at: '2026-01-01T10:00:01Z' }).dedupKey,
    );
    expect(norm({ text: 'Vergogna!', author: 'u', published_at: at }).dedupKey).toBe(norm({ text: 'Vergogna!', author: 'u', published_at: at }).dedupKey);
  });

  it('content hash ignores case and spacing, for cross-source work', () => {
    expect(contentHash('Ciao   Mondo')).toBe(contentHash('ciao mondo'));
    expect(norm({ text: 'CIAO <i>mondo</i>' }).contentHash).toBe(norm({ text: 'ciao mondo', author: 'x' }).contentHash);
  });

  it('the pseudonym cache gives the same keys as the function', () => {
    const c = new AuthorKeyCache(ctx.secret, 2);
    for (const a of ['a', 'b', 'c', 'a']) expect(c.get('s', a)).toBe(authorKey(ctx.secret, 's', a));
    expect(c.get('s', null)).toBeNull();
  });

  it('the pseudonym is the HMAC-SHA256 createHmac gives, for any secret and author', () => {
    const node = (secret: string, message: string): string => createHmac('sha256', secret).update(message).digest('hex');
    // Keys shorter than, equal to and longer than the 64-byte block; non-ASCII and lone surrogates.
    const secrets = ['', 'k', 'k'.repeat(63), 'k'.repeat(64), 'k'.repeat(65), 'é'.repeat(40), '0123456789abcdef'.repeat(4), 'x\ud800y'];
    for (const secret of secrets) {
      const h = new HmacSha256(secret);
      for (const m of ['', 'a', 's\u0000Mario Rossi', 'ü🙂名'.repeat(50), 'x'.repeat(1000), '\udc00lone']) expect(h.hex(m)).toBe(node(secret, m));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 300 }), (secret, message) => {
        expect(new HmacSha256(secret).hex(message)).toBe(node(secret, message));
      }),
    );
    const c = new AuthorKeyCache('s'.repeat(70));
    expect(c.get('src', ' Anna ')).toBe(node('s'.repeat(70), 'src\u0000Anna').slice(0, 16));
    expect(authorKey('s'.repeat(70), 'src', 'Anna')).toBe(node('s'.repeat(70), 'src\u0000Anna').slice(0, 16));
  });
});

describe('language', () => {
  it('tells Italian from English, other languages by model, und when unsure', () => {
    expect(detectLanguage('Il caffè di Aurora è ottimo, perché la crema non va.')).toBe('it');
    expect(detectLanguage("Qualcuno sa se il negozio è aperto domenica? L'app non lo dice")).toBe('it');
    expect(detectLanguage('The delivery was late again and the support never answered')).toBe('en');
    expect(detectLanguage('Le café est très bon mais la livraison était lente')).toBe('fr');
    expect(detectLanguage('ok')).toBe('und');
    expect(detectLanguage('👍👍')).toBe('und');
  });
});

describe('links of mentions (src/shared/links.ts)', () => {
  it('keeps the mention and drops a link that is not http(s)', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd']) {
      const m = norm({ url, text: 'testo intero' });
      expect(m.url, url).toBeNull();
      expect(m.canonicalUrl, url).toBeNull();
      expect(m.text).toBe('testo intero');
    }
  });
  it('never stores credentials in a link', () => {
    const m = norm({ url: 'https://user:pw@forum.example.it/t/1?utm_source=x' });
    expect(m.url).toBe('https://forum.example.it/t/1?utm_source=x');
    expect(m.canonicalUrl).toBe('https://forum.example.it/t/1');
  });
});

describe('bidi controls in outside text', () => {
  it('drops explicit embeddings, overrides and isolates, keeps right-to-left letters', () => {
    expect(toPlainText('Allegato \u202Efdp.exe\u202C da aprire')).toBe('Allegato fdp.exe da aprire');
    expect(toPlainText('a\u202Ab\u202Bc\u202Dd\u2066e\u2067f\u2068g\u2069h')).toBe('abcdefgh');
    expect(toPlainText('شكرا Aurora')).toBe('شكرا Aurora');
  });
});
