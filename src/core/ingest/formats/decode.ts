// Bytes of an import file → text, decided once for the whole file and applied line by line.
// The encoding comes from an explicit choice, else the BOM (UTF-8, UTF-16LE, UTF-16BE), else
// the shape of all the bytes (shared/charset's census, the feeds' rule): mostly invalid as
// UTF-8 means a windows-1252 export (Excel's), anything else is UTF-8. Decided on the whole
// file, a UTF-8 file with one bad byte stays UTF-8: the bad bytes of a line become U+FFFD
// and that line is counted as repaired, the other lines are untouched.
import { bomOf, decodeWindows1252, normalizeLabel, type Utf8Shape } from '../../../shared/charset';

/** The encodings an import is read in (a chosen label may name another single-byte one). */
export type DetectedEncoding = { encoding: string; bomLength: number; source: 'bom' | 'chosen' | 'sniff' };

/** A label a person may choose (`--encoding`), as the name the decoder uses; null when unknown. */
export function importEncodingOf(label: string): string | null {
  const l = label.trim().toLowerCase();
  // WHATWG maps latin1 / iso-8859-1 to windows-1252, its superset: the same bytes, € “ ” kept.
  const enc = l === 'latin-1' || l === 'cp1252' ? 'windows-1252' : normalizeLabel(l);
  if (!enc || enc.startsWith('utf-32') || enc === 'replacement') return null;
  return enc;
}

/**
 * The encoding of a file from its first bytes (for the BOM) and the UTF-8 census of all its
 * bytes. A chosen encoding wins; its own BOM, when the file has one, is still skipped.
 */
export function detectEncoding(head: Uint8Array, shape: Utf8Shape, chosen?: string | null): DetectedEncoding | { unsupported: string } {
  const bom = bomOf(head);
  if (chosen) return { encoding: chosen, bomLength: bom && bom.encoding === chosen ? bom.length : 0, source: 'chosen' };
  if (bom) {
    if (bom.encoding.startsWith('utf-32')) return { unsupported: bom.encoding };
    return { encoding: bom.encoding, bomLength: bom.length, source: 'bom' };
  }
  return { encoding: shape === 'invalid' ? 'windows-1252' : 'utf-8', bomLength: 0, source: 'sniff' };
}

/** Bytes per code unit, and where a line ends, for the line-by-line decoders. */
function lastLineEnd(b: Uint8Array, encoding: string): number {
  if (encoding === 'utf-16le') {
    for (let i = b.length - 2 - (b.length % 2); i >= 0; i -= 2) if (b[i] === 0x0a && b[i + 1] === 0) return i + 2;
    return -1;
  }
  if (encoding === 'utf-16be') {
    for (let i = b.length - 2 - (b.length % 2); i >= 0; i -= 2) if (b[i] === 0 && b[i + 1] === 0x0a) return i + 2;
    return -1;
  }
  const i = b.lastIndexOf(0x0a);
  return i < 0 ? -1 : i + 1;
}

function splitLines(b: Uint8Array, encoding: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  if (encoding === 'utf-8') {
    for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) {
      out.push(b.subarray(start, i + 1));
      start = i + 1;
    }
  } else {
    const le = encoding === 'utf-16le';
    for (let i = 0; i + 1 < b.length; i += 2) {
      if (le ? b[i] === 0x0a && b[i + 1] === 0 : b[i] === 0 && b[i + 1] === 0x0a) {
        out.push(b.subarray(start, i + 2));
        start = i + 2;
      }
    }
  }
  if (start < b.length) out.push(b.subarray(start));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Streaming decoder of one file: push its bytes in any chunks, get its text; a line cut by a
 * chunk's end is held until its end arrives, so a repair never spans more than its line.
 */
export class ImportTextDecoder {
  /** Lines whose invalid bytes were replaced with U+FFFD. */
  repairedLines = 0;
  readonly #encoding: string;
  readonly #lineWise: boolean;
  readonly #fatal: TextDecoder | null;
  readonly #lenient: TextDecoder | null;
  #held: Uint8Array[] = [];
  #skip: number;

  constructor(encoding: string, bomLength = 0) {
    this.#encoding = encoding;
    this.#skip = bomLength;
    this.#lineWise = encoding === 'utf-8' || encoding === 'utf-16le' || encoding === 'utf-16be';
    const single = encoding === 'windows-1252';
    this.#fatal = this.#lineWise ? new TextDecoder(encoding, { fatal: true, ignoreBOM: true }) : null;
    // Other single-byte charsets chosen by label: the platform's decoder, as the feeds do.
    this.#lenient = single ? null : new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
  }

  get encoding(): string {
    return this.#encoding;
  }

  push(chunk: Uint8Array): string {
    let b = chunk;
    if (this.#skip > 0) {
      const n = Math.min(this.#skip, b.length);
      this.#skip -= n;
      b = b.subarray(n);
    }
    if (b.length === 0) return '';
    if (this.#encoding === 'windows-1252') return decodeWindows1252(b);
    if (!this.#lineWise) return this.#lenient!.decode(b, { stream: true });
    const end = lastLineEnd(b, this.#encoding);
    if (end < 0) {
      this.#held.push(b.slice());
      return '';
    }
    const block = concat([...this.#held, b.subarray(0, end)]);
    this.#held = end < b.length ? [b.slice(end)] : [];
    return this.#decodeLines(block);
  }

  end(): string {
    if (!this.#lineWise) return this.#encoding === 'windows-1252' ? '' : this.#lenient!.decode();
    const rest = this.#held.length > 0 ? concat(this.#held) : new Uint8Array(0);
    this.#held = [];
    return rest.length > 0 ? this.#decodeLines(rest) : '';
  }

  #decodeLines(block: Uint8Array): string {
    try {
      return this.#fatal!.decode(block);
    } catch {
      // Rare: only the block with a bad byte is read again, one line at a time.
      let out = '';
      for (const line of splitLines(block, this.#encoding)) {
        try {
          out += this.#fatal!.decode(line);
        } catch {
          this.repairedLines++;
          out += this.#lenient!.decode(line);
        }
      }
      return out;
    }
  }
}

/** A whole buffer decoded: its text, the encoding used and the lines repaired. */
export function decodeImportBytes(bytes: Uint8Array, shape: Utf8Shape, chosen?: string | null): { text: string; encoding: string; repairedLines: number } | { unsupported: string } {
  const found = detectEncoding(bytes, shape, chosen);
  if ('unsupported' in found) return found;
  const dec = new ImportTextDecoder(found.encoding, found.bomLength);
  const text = dec.push(bytes) + dec.end();
  return { text, encoding: found.encoding, repairedLines: dec.repairedLines };
}
