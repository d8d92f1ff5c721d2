// Over 400 lines (~475): reading, decoding, parsing and spooling are one pass over the file's
// bytes with one position and one error path.
// The worker's half of an import (import-worker.ts runs it off the main thread): the file is
// read as a stream, decoded once (formats/decode.ts), parsed record by record (the CSV in
// blocks that end between records, each read by csv-parse with the same options as a whole
// text), and every record is written as one JSON line to a spool file beside an index of
// (offset, length, published time). Nothing is stored here. The records then come back in
// published order: straight through when the file was already in that order, else by the
// index sorted on time — so memory stays bounded by the index, whatever the file's size.
import { closeSync, createReadStream, openSync, readSync, writeSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { Utf8Census } from '../../shared/charset';
import { renderText, type ErrorLang } from '../../shared/errors';
import type { ImportFormat, IngestReject } from '../../shared/schemas';
import { csvParseOptions, csvStrictText, CsvRecordMapper, CsvStrictError, detectDelimiter, type CsvSkip } from './formats/csv';
import { detectEncoding, ImportTextDecoder } from './formats/decode';
import { parseJsonl } from './formats/jsonl';
import { formatFromFileName, looksBinary, sniffFormat } from './formats/sniff';

export interface ReadRequest {
  path: string;
  fileName: string;
  format?: ImportFormat;
  /** Chosen by the person; else BOM, else the census of all the bytes. */
  encoding?: string | null;
  keepGoodRows: boolean;
  lang: ErrorLang;
  /** A line without a readable published time sorts as published now (the import's time). */
  at: number;
  spoolPath: string;
}

/** Refused lines kept for the report (the report lists the first ones by line). */
export const REJECTS_KEPT = 1_000;

export interface ReadSummary {
  format: ImportFormat;
  encoding: string;
  repairedLines: number;
  /** Records seen (good and refused). */
  lines: number;
  /** The first refused lines, by line. */
  rejected: IngestReject[];
  rejectedCount: number;
  /** Good records spooled. */
  count: number;
  /** Whether the file's records were already in published order. */
  sorted: boolean;
}

export type ReadOutcome = ({ ok: true; index: SpoolIndex } & ReadSummary) | { ok: false; error: string; format: ImportFormat; encoding: string | null; repairedLines: number; lines: number };

export interface SpooledRecord {
  index: number;
  line: number;
  value: unknown;
  /** Published time (ms), as sorted. */
  t: number;
}

export interface Progress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

class Cancelled extends Error {}

/** Growable index of the spooled records. */
export class SpoolIndex {
  offsets = new Float64Array(1024);
  lengths = new Uint32Array(1024);
  times = new Float64Array(1024);
  count = 0;

  add(offset: number, length: number, t: number): void {
    if (this.count === this.offsets.length) {
      const grow = <T extends Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.offsets = grow(this.offsets, (n) => new Float64Array(n));
      this.lengths = grow(this.lengths, (n) => new Uint32Array(n));
      this.times = grow(this.times, (n) => new Float64Array(n));
    }
    this.offsets[this.count] = offset;
    this.lengths[this.count] = length;
    this.times[this.count] = t;
    this.count++;
  }
}

/** Writes records as JSON lines, a megabyte at a time. */
class Spool {
  readonly index = new SpoolIndex();
  sorted = true;
  #fd: number;
  #buf: string[] = [];
  #bufBytes = 0;
  #offset = 0;
  #lastT = Number.NEGATIVE_INFINITY;

  constructor(path: string) {
    this.#fd = openSync(path, 'w', 0o600);
  }

  add(index: number, line: number, value: unknown, t: number): void {
    const json = `${JSON.stringify({ i: index, l: line, v: value })}\n`;
    const len = Buffer.byteLength(json);
    this.index.add(this.#offset, len, t);
    if (t < this.#lastT) this.sorted = false;
    this.#lastT = t;
    this.#offset += len;
    this.#buf.push(json);
    this.#bufBytes += len;
    if (this.#bufBytes >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.#buf.length === 0) return;
    writeSync(this.#fd, this.#buf.join(''));
    this.#buf = [];
    this.#bufBytes = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}

/** A record's published time for ordering; a line without a readable one sorts as `at` (now). */
export function publishedTimeOf(v: unknown, at: number): number {
  const p = v !== null && typeof v === 'object' ? (v as { published_at?: unknown }).published_at : undefined;
  const t = typeof p === 'string' ? Date.parse(p) : Number.NaN;
  return Number.isFinite(t) ? t : at;
}

/**
 * Where a CSV text can be cut between records: after a newline outside quotes that is not
 * followed by another line break (blank lines stay with the next block, where csv-parse
 * counts them). Quotes open only at a field's start, as csv-parse reads them with
 * relax_quotes.
 */
class CsvCutter {
  #quoted = false;
  #quotePending = false;
  #fieldStart = true;

  constructor(private readonly delimiter: string) {}

  /** Scans `s` from `from`; returns the last cut position found, or -1. */
  scan(s: string, from: number): number {
    let cut = -1;
    const d = this.delimiter;
    for (let i = from; i < s.length; i++) {
      const c = s[i]!;
      if (this.#quoted) {
        if (!this.#quotePending) {
          if (c === '"') this.#quotePending = true;
          continue;
        }
        this.#quotePending = false;
        if (c === '"') continue;
        this.#quoted = false;
      }
      if (c === '"' && this.#fieldStart) {
        this.#quoted = true;
        this.#fieldStart = false;
      } else if (c === d || c === '\r') {
        this.#fieldStart = true;
      } else if (c === '\n') {
        this.#fieldStart = true;
        const next = s[i + 1];
        if (next !== undefined && next !== '\n' && next !== '\r') cut = i + 1;
      } else {
        this.#fieldStart = false;
      }
    }
    return cut;
  }
}

interface CsvInfoRecord {
  record: string[];
  info: { lines: number; empty_lines: number };
}

interface CsvState {
  mapper: CsvRecordMapper;
  cutter: CsvCutter;
  delimiter: string;
  headerDone: boolean;
  /** Lines of the blocks already read: csv-parse counts from each block's start. */
  lineBase: number;
  /** How far the cutter has scanned the text held. */
  scanned: number;
}

/** Bytes of the file in chunks, with the bytes read so far. */
async function* chunksOf(path: string, cancelled: () => boolean): AsyncGenerator<Buffer> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (cancelled()) throw new Cancelled();
      yield chunk;
    }
  } finally {
    stream.destroy();
  }
}

/** Reads, decodes, parses and spools a file. Never stores anything. */
export async function readImportFile(
  req: ReadRequest,
  totalBytes: number,
  onProgress: (p: Progress) => void,
  cancelled: () => boolean,
  onEncoding: (encoding: string) => void = () => undefined,
): Promise<ReadOutcome> {
  const lang = req.lang;
  let format: ImportFormat = req.format ?? formatFromFileName(req.fileName) ?? 'jsonl';
  const failed = (error: string, encoding: string | null = null, repairedLines = 0, lines = 0): ReadOutcome => ({ ok: false, error, format, encoding, repairedLines, lines });

  // The encoding is decided once, on all the bytes, unless chosen or told by a BOM.
  let head: Uint8Array = new Uint8Array(0);
  for await (const c of chunksOf(req.path, cancelled)) {
    head = c.subarray(0, 4);
    break;
  }
  let shape: ReturnType<Utf8Census['end']> = 'ascii';
  const probe = detectEncoding(head, 'ascii', req.encoding);
  if ('unsupported' in probe) return failed(renderText('import.encodingUnsupported', { encoding: probe.unsupported.toUpperCase() }, lang));
  if (probe.source === 'sniff') {
    const census = new Utf8Census();
    for await (const c of chunksOf(req.path, cancelled)) census.push(c);
    shape = census.end();
  }
  const found = detectEncoding(head, shape, req.encoding);
  if ('unsupported' in found) return failed(renderText('import.encodingUnsupported', { encoding: found.unsupported.toUpperCase() }, lang));
  const decoder = new ImportTextDecoder(found.encoding, found.bomLength);
  const encoding = found.encoding;
  onEncoding(encoding);

  const spool = new Spool(req.spoolPath);
  const rejected: IngestReject[] = [];
  let rejectedCount = 0;
  let index = 0;
  const reject = (line: number, reason: string): void => {
    rejectedCount++;
    // Kept in file order: the first REJECTS_KEPT are the ones the report lists.
    if (rejected.length < REJECTS_KEPT) rejected.push({ index, line, reason });
    index++;
  };
  const accept = (line: number, value: unknown): void => {
    spool.add(index, line, value, publishedTimeOf(value, req.at));
    index++;
  };

  let bytes = 0;
  let lastProgress = 0;
  const progress = (): void => {
    const now = Date.now();
    if (now - lastProgress < 200) return;
    lastProgress = now;
    onProgress({ bytes, totalBytes, rows: index });
  };

  try {
    let text = '';
    let started = false;
    // CSV state
    let csv: CsvState | null = null;
    // JSONL state
    let lineNo = 0;
    let jsonArray = false;

    const csvBlock = (block: string, final: boolean): void => {
      const st = csv!;
      if (block === '' && !final) return;
      const skipped: CsvSkip[] = [];
      let rows: CsvInfoRecord[];
      try {
        rows = parse(block, csvParseOptions(st.delimiter, req.keepGoodRows, (e) => skipped.push(e))) as unknown as CsvInfoRecord[];
      } catch (e) {
        const err = e as CsvSkip;
        if (typeof err.code !== 'string' || !err.code.startsWith('CSV_')) throw e;
        // Strict: the records before the error, read again, say where it is.
        const good = parse(block, csvParseOptions(st.delimiter, true, () => undefined)) as unknown as CsvInfoRecord[];
        for (const rec of good) {
          if (typeof err.lines === 'number' && rec.info.lines > err.lines) break;
          handleCsv(rec);
        }
        throw st.mapper.strictError(err);
      }
      let next = 0;
      const take = (before: number): void => {
        for (let s = skipped[next]; s && (s.lines ?? 0) < before; s = skipped[++next]) {
          const r = st.mapper.skipped({ ...s, lines: typeof s.lines === 'number' ? s.lines + st.lineBase : s.lines });
          reject(r.line, r.reason);
        }
      };
      for (const rec of rows) {
        take(rec.info.lines);
        handleCsv(rec);
      }
      take(Number.POSITIVE_INFINITY);
      st.lineBase += countNewlines(block);
    };
    const handleCsv = (rec: CsvInfoRecord): void => {
      const st = csv!;
      const abs: CsvInfoRecord = { record: rec.record, info: { lines: rec.info.lines + st.lineBase, empty_lines: rec.info.empty_lines } };
      if (!st.headerDone) {
        st.headerDone = true;
        const bad = st.mapper.header(abs);
        if (bad) throw new FileError(bad);
        return;
      }
      const r = st.mapper.row(abs);
      if (r.reason !== undefined) reject(r.line, r.reason);
      else accept(r.line, r.value);
    };

    const jsonLines = (block: string): void => {
      for (const raw of block.split('\n')) {
        lineNo++;
        const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (l.trim() === '') continue;
        const one = parseJsonl(l, lang);
        if (one.records[0]) accept(lineNo, one.records[0].value);
        else if (one.rejected[0]) reject(lineNo, one.rejected[0].reason);
      }
    };

    const begin = (first: string): void => {
      started = true;
      format = req.format ?? formatFromFileName(req.fileName) ?? sniffFormat(first);
      if (looksBinary(first)) throw new FileError(renderText(format === 'csv' ? 'import.csvBinary' : 'import.jsonBinary', {}, lang));
      if (format === 'csv') {
        const delimiter = detectDelimiter(first);
        csv = { mapper: new CsvRecordMapper(req.fileName, lang, req.keepGoodRows), cutter: new CsvCutter(delimiter), delimiter, headerDone: false, lineBase: 0, scanned: 0 };
      } else {
        jsonArray = first.trimStart().startsWith('[');
      }
    };

    const feed = (piece: string, final: boolean): void => {
      text += piece;
      // Enough to tell the format, a delimiter and a binary file apart.
      if (!started && (text.length >= 65_536 || final)) begin(text);
      if (!started) return;
      if (csv) {
        const st: CsvState = csv;
        const cut = st.cutter.scan(text, st.scanned);
        st.scanned = text.length;
        if (final) {
          csvBlock(text, true);
          text = '';
        } else if (cut > 0 && cut >= 1 << 20) {
          csvBlock(text.slice(0, cut), false);
          text = text.slice(cut);
          st.scanned = text.length;
        }
      } else if (!jsonArray) {
        const end = final ? text.length : text.lastIndexOf('\n');
        if (end >= 0) {
          jsonLines(final ? text : text.slice(0, end));
          text = final ? '' : text.slice(end + 1);
        }
      }
    };

    for await (const chunk of chunksOf(req.path, cancelled)) {
      bytes += chunk.length;
      feed(decoder.push(chunk), false);
      progress();
    }
    feed(decoder.end(), true);

    if (jsonArray) {
      // One JSON document: read whole (a .json export), positions standing in for lines.
      const whole = parseJsonl(text, lang);
      if (whole.error) throw new FileError(whole.error);
      const items: { line?: number; value?: unknown; reason?: string; index: number }[] = [...whole.records, ...whole.rejected];
      for (const r of items.sort((a, b) => a.index - b.index)) {
        if (r.reason !== undefined) reject(r.line ?? r.index + 1, r.reason);
        else accept(r.line ?? r.index + 1, r.value);
      }
    }
    if (!started || index === 0) {
      if (format === 'csv' && (csv as CsvState | null)?.headerDone) throw new FileError(renderText('import.csvNoRows', {}, lang));
      throw new FileError(renderText(format === 'csv' ? 'import.csvEmpty' : 'import.empty', {}, lang));
    }
  } catch (e) {
    spool.close();
    if (e instanceof Cancelled) throw e;
    if (e instanceof CsvStrictError) return failed(csvStrictText(e, lang), encoding, decoder.repairedLines, index);
    if (e instanceof FileError) return failed(e.message, encoding, decoder.repairedLines, index);
    throw e;
  }
  spool.close();
  onProgress({ bytes, totalBytes, rows: index });
  return {
    ok: true, format, encoding, repairedLines: decoder.repairedLines, lines: index, rejected, rejectedCount, count: spool.index.count, sorted: spool.sorted, index: spool.index,
  };
}

/** A whole file refused (binary, no header, empty): its text. */
class FileError extends Error {}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The spooled records in published order (ties in file order), `batch` at a time: in file
 * order when the file was sorted, else by the index sorted on time.
 */
export function* readBack(spoolPath: string, idx: SpoolIndex, sorted: boolean, batch: number): Generator<SpooledRecord[]> {
  const n = idx.count;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!sorted) {
    const t = idx.times;
    order.sort((a, b) => t[a]! - t[b]! || a - b);
  }
  const fd = openSync(spoolPath, 'r');
  try {
    let out: SpooledRecord[] = [];
    let buf = Buffer.alloc(64 * 1024);
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const len = idx.lengths[i]!;
      if (buf.length < len) buf = Buffer.alloc(len * 2);
      readSync(fd, buf, 0, len, idx.offsets[i]!);
      const rec = JSON.parse(buf.toString('utf8', 0, len)) as { i: number; l: number; v: unknown };
      out.push({ index: rec.i, line: rec.l, value: rec.v, t: idx.times[i]! });
      if (out.length >= batch) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    closeSync(fd);
  }
}

export { Cancelled };

/** What the main thread hands the worker. */
export interface WorkerInput extends ReadRequest {
  totalBytes: number;
  /** Records per message back. */
  batch: number;
}

/** Worker → main thread. */
export type FromWorker =
  | ({ type: 'progress' } & Progress)
  | { type: 'encoding'; encoding: string }
  | { type: 'read'; summary: ReadSummary }
  | { type: 'failed'; outcome: Extract<ReadOutcome, { ok: false }> }
  | { type: 'batch'; records: SpooledRecord[] }
  | { type: 'end' }
  | { type: 'cancelled' }
  | { type: 'crashed'; message: string };

/** Main thread → worker: one more batch may come; stop. */
export type ToWorker = { type: 'more' } | { type: 'cancel' };
