// Bytes → text for feeds. Order: BOM, Content-Type charset, XML prolog, then sniffing.
// The BOM comes first (as in the WHATWG decode algorithm and RFC 7303 §4.3): it cannot be
// wrong, while headers and prologs often are. A text/* type without charset is NOT taken as
// us-ascii (RFC 3023's rule, dropped by RFC 7303): the prolog decides, as real readers do.
// Node's TextDecoder (full ICU) handles every legacy charset; only UTF-32 is done by hand.
import { bomOf, decodeWindows1252, demoronize, normalizeLabel, utf8Shape } from '../../../shared/charset';
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
