// Bytes → text for feeds. Order: BOM, Content-Type charset, XML prolog, then sniffing.
// The BOM comes first (as in the WHATWG decode algorithm and RFC 7303 §4.3): it cannot be
// wrong, while headers and prologs often are. A text/* type without charset is NOT taken as
// us-ascii (RFC 3023's rule, dropped by RFC 7303): the prolog decides, as real readers do.
// Node's TextDecoder (full ICU) handles every legacy charset; only UTF-32 is done by hand.
import type { DecodedText, EncodingSource } from './types';

/** The charset parameter of a Content-Type, unquoted, or undefined. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const params = contentType.split(';').slice(1);
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const v = p.slice(eq + 1).trim().replace(/^["']|["']$/g, '').trim();
    return v || undefined;
  }
  return undefined;
}

/** Media type without parameters, lowercase. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

type Utf32 = 'utf-32le' | 'utf-32be';

/** Canonical encoding name for a label, or undefined when unknown. */
export function normalizeLabel(label: string): string | Utf32 | undefined {
  const l = label.trim().toLowerCase();
  // UTF-32 without BOM defaults to big-endian (Unicode §3.10), but XML's autodetection
  // by NUL pattern runs first, so the label only matters for odd documents.
  if (l === 'utf-32le') return 'utf-32le';
  if (l === 'utf-32' || l === 'utf32' || l === 'ucs-4' || l === 'utf-32be') return 'utf-32be';
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return undefined;
  }
}

function bomOf(b: Uint8Array): { encoding: string; length: number } | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return { encoding: 'utf-32le', length: 4 };
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** XML spec Appendix F: "<?" in UTF-16/32 without BOM shows as a pattern of NUL bytes. */
function wideWithoutBom(b: Uint8Array): string | undefined {
  if (b.length < 4) return undefined;
  const [a, c, d, e] = [b[0]!, b[1]!, b[2]!, b[3]!];
  if (a === 0x3c && c === 0 && d === 0 && e === 0) return 'utf-32le';
  if (a === 0 && c === 0 && d === 0 && e === 0x3c) return 'utf-32be';
  if (a === 0x3c && c === 0 && d === 0x3f && e === 0) return 'utf-16le';
  if (a === 0 && c === 0x3c && d === 0 && e === 0x3f) return 'utf-16be';
  // Documents without a prolog: "<r" as UTF-16
  if (a !== 0 && c === 0 && d !== 0 && e === 0 && a < 0x80) return 'utf-16le';
  if (a === 0 && c !== 0 && d === 0 && e !== 0 && c < 0x80) return 'utf-16be';
  return undefined;
}

/** `encoding="…"` of an XML declaration in an ASCII-compatible head. */
export function prologEncoding(b: Uint8Array): string | undefined {
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, 1024)).toString('latin1');
  const m = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']/.exec(head);
  return m?.[1];
}

type Utf8Shape = 'ascii' | 'valid' | 'mixed' | 'invalid';

/**
 * Classifies bytes as UTF-8: pure ASCII, valid with multi-byte sequences, invalid but
 * with mostly valid multi-byte sequences (a UTF-8 document with a few bad bytes), or mostly
 * invalid (a legacy 8-bit document).
 */
export function utf8Shape(b: Uint8Array): Utf8Shape {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    const min = n === 1 ? 0x80 : n === 2 ? 0x800 : 0x10000;
    if (n === 0) {
      invalid++;
      i++;
      continue;
    }
    let cp = c & (0x3f >> n);
    let ok = i + n < b.length;
    for (let k = 1; ok && k <= n; k++) {
      const cc = b[i + k]!;
      if ((cc & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (cc & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      valid++;
      i += n + 1;
    } else {
      invalid++;
      i++;
    }
  }
  if (invalid === 0) return valid === 0 ? 'ascii' : 'valid';
  // Accented Latin-1 text occasionally forms a valid pair by chance ("é»"); a UTF-8 document
  // with a few broken bytes has far more valid sequences than invalid ones.
  return valid > invalid ? 'mixed' : 'invalid';
}

function decodeUtf32(b: Uint8Array, le: boolean): { text: string; replaced: boolean } {
  const parts: string[] = [];
  let replaced = b.length % 4 !== 0;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let buf = '';
  for (let i = 0; i + 3 < b.length; i += 4) {
    const cp = view.getUint32(i, le);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      buf += '\uFFFD';
      replaced = true;
    } else buf += String.fromCodePoint(cp);
    if (buf.length > 8192) {
      parts.push(buf);
      buf = '';
    }
  }
  parts.push(buf);
  return { text: parts.join(''), replaced };
}

// Node 20's TextDecoder('windows-1252') decodes as ISO-8859-1 (0x80 → U+0080 instead of €,
// 0x93 → U+0093 instead of “): exactly the bytes Italian feeds use. So map 0x80–0x9F here.
const CP1252_HIGH: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc,
  0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a, 0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

/**
 * C1 control characters (U+0080–U+009F) never mean anything in a feed: they are windows-1252
 * punctuation that went through a Latin-1 conversion somewhere (feedparser's "demoronize").
 */
export function demoronize(s: string): string {
  return s.replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0)] ?? c.charCodeAt(0)));
}

export function decodeWindows1252(b: Uint8Array): string {
  return demoronize(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1'));
}

function decodeWith(encoding: string, b: Uint8Array): { text: string; replaced: boolean } {
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return decodeUtf32(b, encoding === 'utf-32le');
  if (encoding === 'windows-1252') return { text: decodeWindows1252(b), replaced: false };
  try {
    return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(b), replaced: false };
  } catch {
    return { text: new TextDecoder(encoding, { fatal: false, ignoreBOM: true }).decode(b), replaced: true };
  }
}

const WIDE = new Set(['utf-16le', 'utf-16be', 'utf-32le', 'utf-32be']);
const MULTIBYTE_LEGACY = new Set(['big5', 'euc-jp', 'euc-kr', 'gbk', 'gb18030', 'iso-2022-jp', 'shift_jis']);

// Control characters XML 1.0 forbids; sax would choke or pass them on to the UI.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Decodes a feed body. Never throws: invalid bytes become U+FFFD. */
export function decodeFeed(bytes: Uint8Array, contentType?: string): DecodedText {
  const finish = (
    encoding: string,
    source: EncodingSource,
    body: Uint8Array,
    declared?: string,
  ): DecodedText => {
    const { text, replaced } = decodeWith(encoding, body);
    return {
      text: demoronize(text.replace(/^\uFEFF/, '').replace(XML_INVALID, '')),
      encoding,
      source,
      replaced,
      ...(declared !== undefined ? { declared } : {}),
    };
  };

  const bom = bomOf(bytes);
  if (bom) return finish(bom.encoding, 'bom', bytes.subarray(bom.length));

  const wide = wideWithoutBom(bytes);
  const fromHeader = charsetFromContentType(contentType);
  const headerEnc = fromHeader ? normalizeLabel(fromHeader) : undefined;
  const prologRaw = wide ? undefined : prologEncoding(bytes);
  const prologEnc = prologRaw ? normalizeLabel(prologRaw) : undefined;

  let declared: { encoding: string; source: EncodingSource } | undefined;
  if (headerEnc) declared = { encoding: headerEnc, source: 'header' };
  else if (prologEnc) declared = { encoding: prologEnc, source: 'prolog' };

  if (wide) {
    // The byte pattern is proof; a declaration of utf-16 vs utf-32 must not override it.
    return finish(wide, declared && WIDE.has(declared.encoding) && declared.encoding === wide ? declared.source : 'sniff', bytes);
  }
  if (declared && WIDE.has(declared.encoding)) {
    // A wide declaration on an 8-bit document (no NULs where they'd be): ignore it.
    declared = undefined;
  }

  const shape = utf8Shape(bytes);
  if (declared) {
    const enc = declared.encoding;
    if (enc === 'utf-8') {
      // Declared UTF-8 but mostly invalid as UTF-8: a mislabelled Latin feed.
      if (shape === 'invalid') return finish('windows-1252', 'sniff', bytes, enc);
      return finish('utf-8', declared.source, bytes);
    }
    // A single-byte charset declared on bytes that are valid UTF-8 with accents: the
    // declaration is wrong (Miniflux applies the same rule to prologs).
    if (shape === 'valid' && !MULTIBYTE_LEGACY.has(enc)) return finish('utf-8', 'sniff', bytes, enc);
    return finish(enc, declared.source, bytes);
  }

  // Nothing usable declared: UTF-8 if it is, else the Western default (feeds we read are
  // mostly Italian; windows-1252 is a superset of ISO-8859-1 for the printable range).
  if (shape === 'invalid') return finish('windows-1252', 'sniff', bytes);
  return finish('utf-8', shape === 'ascii' ? 'default' : 'sniff', bytes);
}
