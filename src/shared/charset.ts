// Bytes → text, the pieces the feeds and the imports share: one BOM reader, one UTF-8
// shape test, one windows-1252 table. Pure (TextDecoder and arrays only) so that core, the
// connectors and a worker all decode the same way.

/** A byte-order mark at the start of `b`: the encoding it proves and its length. */
export function bomOf(b: Uint8Array): { encoding: string; length: number } | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return { encoding: 'utf-32le', length: 4 };
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

export type Utf8Shape = 'ascii' | 'valid' | 'mixed' | 'invalid';

/**
 * Counts of well-formed multi-byte UTF-8 sequences and of invalid bytes, kept across chunks
 * (a sequence cut by a chunk boundary is finished with the next chunk).
 */
export class Utf8Census {
  valid = 0;
  invalid = 0;
  #carry: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array, final = false): void {
    let b = chunk;
    if (this.#carry.length > 0) {
      b = new Uint8Array(this.#carry.length + chunk.length);
      b.set(this.#carry);
      b.set(chunk, this.#carry.length);
      this.#carry = new Uint8Array(0);
    }
    for (let i = 0; i < b.length; ) {
      const c = b[i]!;
      if (c < 0x80) {
        i++;
        continue;
      }
      const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
      if (n === 0) {
        this.invalid++;
        i++;
        continue;
      }
      if (!final && i + n >= b.length) {
        this.#carry = b.slice(i);
        return;
      }
      const min = n === 1 ? 0x80 : n === 2 ? 0x800 : 0x10000;
      let cp = c & (0x3f >> n);
      let ok = i + n < b.length;
      for (let k = 1; ok && k <= n; k++) {
        const cc = b[i + k]!;
        if ((cc & 0xc0) !== 0x80) ok = false;
        else cp = (cp << 6) | (cc & 0x3f);
      }
      if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
      if (ok) {
        this.valid++;
        i += n + 1;
      } else {
        this.invalid++;
        i++;
      }
    }
  }

  end(): Utf8Shape {
    if (this.#carry.length > 0) {
      const rest = this.#carry;
      this.#carry = new Uint8Array(0);
      this.push(rest, true);
    }
    if (this.invalid === 0) return this.valid === 0 ? 'ascii' : 'valid';
    // Accented Latin-1 text occasionally forms a valid pair by chance ("é»"); a UTF-8 document
    // with a few broken bytes has far more valid sequences than invalid ones.
    return this.valid > this.invalid ? 'mixed' : 'invalid';
  }
}

/**
 * Classifies bytes as UTF-8: pure ASCII, valid with multi-byte sequences, invalid but
 * with mostly valid multi-byte sequences (a UTF-8 document with a few bad bytes), or mostly
 * invalid (a legacy 8-bit document).
 */
export function utf8Shape(b: Uint8Array): Utf8Shape {
  const census = new Utf8Census();
  census.push(b, true);
  return census.end();
}

// Node's TextDecoder('windows-1252') decodes as ISO-8859-1 (0x80 → U+0080 instead of €,
// 0x93 → U+0093 instead of “): exactly the bytes Italian texts use. So map 0x80–0x9F here.
const CP1252_HIGH: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc,
  0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a, 0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

/**
 * C1 control characters (U+0080–U+009F) never mean anything in text people wrote: they are
 * windows-1252 punctuation that went through a Latin-1 conversion somewhere (feedparser's
 * "demoronize").
 */
export function demoronize(s: string): string {
  return s.replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0)] ?? c.charCodeAt(0)));
}

/** windows-1252 (a superset of ISO-8859-1's printable range): every byte is a character. */
export function decodeWindows1252(b: Uint8Array): string {
  const parts: string[] = [];
  // fromCharCode takes arguments: slices keep it under the engines' argument limits.
  for (let i = 0; i < b.length; i += 8192) {
    parts.push(String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 8192))));
  }
  return demoronize(parts.join(''));
}

/** Canonical encoding name for a label, or undefined when unknown. */
export function normalizeLabel(label: string): string | undefined {
  const l = label.trim().toLowerCase();
  // UTF-32 without BOM defaults to big-endian (Unicode §3.10).
  if (l === 'utf-32le') return 'utf-32le';
  if (l === 'utf-32' || l === 'utf32' || l === 'ucs-4' || l === 'utf-32be') return 'utf-32be';
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return undefined;
  }
}
