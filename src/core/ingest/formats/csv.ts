// CSV with a header row whose columns are named like InboundMention's fields. Spreadsheet
// exports are the usual source, so the delimiter (, ; tab) is detected, common header
// aliases are understood, Italian dates (gg/mm/aaaa) are read in Europe/Rome time and bad
// rows are reported by line while the good ones still count.
import { parse } from 'csv-parse/sync';
import type { IngestReject } from '../../../shared/schemas';
import { renderText, type ErrorLang } from '../../../shared/errors';
import type { ImportRecord, ParsedImport } from './types';
import { looksBinary, stripBom } from './sniff';

const FIELDS = [
  'source', 'external_id', 'url', 'author', 'title', 'text', 'published_at', 'lang',
  'thread_id', 'parent_id', 'likes', 'comments', 'shares', 'score',
] as const;
type Field = (typeof FIELDS)[number];
const NUMERIC: ReadonlySet<Field> = new Set(['likes', 'comments', 'shares', 'score']);

const ALIASES: Record<string, Field> = {
  id: 'external_id', externalid: 'external_id', link: 'url', permalink: 'url',
  user: 'author', username: 'author', autore: 'author', titolo: 'title',
  body: 'text', content: 'text', message: 'text', testo: 'text', messaggio: 'text',
  date: 'published_at', data: 'published_at', created_at: 'published_at', publishedat: 'published_at',
  language: 'lang', lingua: 'lang', fonte: 'source', threadid: 'thread_id', parentid: 'parent_id',
  like: 'likes', commenti: 'comments', condivisioni: 'shares',
};

function headerToField(h: string): Field | null {
  const key = h.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if ((FIELDS as readonly string[]).includes(key)) return key as Field;
  return ALIASES[key] ?? ALIASES[key.replace(/_/g, '')] ?? null;
}

/** The delimiter that splits the header line most, outside quotes. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let inQuotes = false;
  for (let i = 0; i < text.length && i < 10_000; i++) {
    const c = text[i]!;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) break;
    else if (!inQuotes && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/** Offset of Europe/Rome from UTC, in minutes, at a UTC instant. */
function romeOffsetMinutes(utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Rome', hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - utcMs) / 60_000);
}

const IT_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$/;

/** "20/11/2026 08:30" (Italian order, Rome wall time) → ISO 8601; other values pass through. */
export function normalizeDate(value: string): string {
  const m = IT_DATE.exec(value.trim());
  if (!m) return value;
  const [, d, mo, y, h = '0', mi = '0', s = '0'] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(wall);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return value;
  // Two passes settle the offset across a DST change.
  let utc = wall - romeOffsetMinutes(wall) * 60_000;
  utc = wall - romeOffsetMinutes(utc) * 60_000;
  return new Date(utc).toISOString();
}

interface CsvInfoRecord {
  record: string[];
  info: { lines: number; empty_lines: number };
}

export interface CsvReadOptions {
  /**
   * Store the good rows of a file with bad ones (each bad one listed). Without it a file with
   * one row that cannot be read (a quote never closed, a wrong number of columns) is refused
   * whole, with the line and column of the first.
   */
  keepGoodRows?: boolean;
}

/** csv-parse's options, one set for the whole-text and the streaming readers. */
export function csvParseOptions(delimiter: string, keepGoodRows: boolean, onSkip: (err: CsvSkip) => void): Record<string, unknown> {
  return {
    delimiter,
    info: true,
    // The column count is checked against the header here (csv-parse would count against the
    // first record only and give no column): a stray quote inside a field is text, as ever.
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: keepGoodRows,
    on_skip: (err: CsvSkip | undefined) => {
      if (err) onSkip(err);
      return undefined;
    },
  };
}

/** What csv-parse says of a record it cannot read. */
export interface CsvSkip {
  code?: string;
  lines?: number;
  column?: number | string | null;
  message?: string;
}

/** A file-level refusal of a CSV: where (line, 1-based column) and what. */
export class CsvStrictError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly what: string,
  ) {
    super(what);
  }
}

/**
 * Turns records (the header first) into import records, in file order; the header decides the
 * fields. Shared by the whole-text reader and the worker's streaming one.
 */
export class CsvRecordMapper {
  fields: (Field | null)[] | null = null;
  hasSource = false;
  /** Data records seen (good and bad). */
  count = 0;
  #prevEnd = 0;
  #prevEmpty = 0;

  constructor(
    private readonly fileName: string,
    private readonly lang: ErrorLang,
    private readonly keepGoodRows: boolean,
  ) {}

  /** The line the next record starts on, given csv-parse's count of blank lines so far (a quoted field may span lines). */
  startLine(emptyLines: number): number {
    return this.#prevEnd + 1 + (emptyLines - this.#prevEmpty);
  }

  /** Where csv-parse gave up: the first line after the last record read. */
  nextLine(): number {
    return this.#prevEnd + 1;
  }

  /** The header; an error text when it names neither text nor title. */
  header(rec: CsvInfoRecord): string | null {
    this.fields = rec.record.map(headerToField);
    this.#prevEnd = rec.info.lines;
    this.#prevEmpty = rec.info.empty_lines;
    if (!this.fields.includes('text') && !this.fields.includes('title')) {
      return renderText('import.csvNoText', { columns: rec.record.slice(0, 20).join(', ') || 'import.noColumns' }, this.lang);
    }
    this.hasSource = this.fields.includes('source');
    return null;
  }

  /** One data record → a value or a reason; throws CsvStrictError on a bad row unless keeping the good ones. */
  row(rec: CsvInfoRecord): { line: number; value?: unknown; reason?: string } {
    const fields = this.fields!;
    const { record, info } = rec;
    const line = this.startLine(info.empty_lines);
    this.#prevEnd = info.lines;
    this.#prevEmpty = info.empty_lines;
    this.count++;
    if (record.length !== fields.length) {
      const reason = renderText('import.csvColumns', { count: record.length, expected: fields.length }, this.lang);
      if (!this.keepGoodRows) throw new CsvStrictError(line, Math.min(record.length, fields.length) + 1, reason);
      return { line, reason };
    }
    const value: Record<string, string | number> = {};
    let bad: string | null = null;
    fields.forEach((f, i) => {
      if (!f || bad) return;
      const cell = record[i];
      if (cell === undefined || cell.trim() === '') return;
      if (NUMERIC.has(f)) {
        const n = cell.trim().replace(/^\+/, '');
        if (!/^-?\d+$/.test(n)) {
          bad = renderText('import.csvNotInteger', { field: f, value: cell.slice(0, 40) }, this.lang);
          return;
        }
        value[f] = Number(n);
      } else if (f === 'published_at') {
        value[f] = normalizeDate(cell);
      } else {
        value[f] = cell;
      }
    });
    if (bad) return { line, reason: bad };
    if (!this.hasSource) value.source = this.fileName.trim() || 'import';
    return { line, value };
  }

  /** A record csv-parse skipped (keeping the good rows): its line and why. */
  skipped(err: CsvSkip): { line: number; reason: string } {
    const unclosed = err.code === 'CSV_QUOTE_NOT_CLOSED';
    // An unclosed quote swallows the rest of the file: report where it started.
    const line = unclosed ? this.nextLine() : typeof err.lines === 'number' ? err.lines : this.nextLine();
    this.#prevEnd = Math.max(this.#prevEnd, typeof err.lines === 'number' ? err.lines : 0);
    this.count++;
    return {
      line,
      reason: unclosed
        ? renderText('import.csvQuote', {}, this.lang)
        : renderText('import.csvBadRow', { reason: err.message ?? 'import.unknownError' }, this.lang),
    };
  }

  /** csv-parse's own refusal (strict): where the unreadable record starts. */
  strictError(err: CsvSkip): CsvStrictError {
    const column = typeof err.column === 'number' ? err.column + 1 : 1;
    const what = err.code === 'CSV_QUOTE_NOT_CLOSED' ? renderText('import.csvQuote', {}, this.lang) : renderText('import.csvBadRow', { reason: err.message ?? 'import.unknownError' }, this.lang);
    return new CsvStrictError(this.nextLine(), column, what);
  }
}

/** A refused file's text: the line, the column and what is wrong there. */
export function csvStrictText(e: CsvStrictError, lang: ErrorLang): string {
  return renderText('import.csvStrict', { line: e.line, column: e.column, what: e.what }, lang);
}

/** `lang`: the language of the reasons (stored with the import report: the workspace's). */
export function parseCsv(content: string, fileName: string, lang: ErrorLang = 'it', opts: CsvReadOptions = {}): ParsedImport {
  const text = stripBom(content);
  const keep = opts.keepGoodRows === true;
  const fail = (error: string): ParsedImport => ({ format: 'csv', lines: 0, records: [], rejected: [], error });
  if (looksBinary(text)) {
    return fail(renderText('import.csvBinary', {}, lang));
  }
  if (text.trim() === '') return fail(renderText('import.csvEmpty', {}, lang));

  const mapper = new CsvRecordMapper(fileName, lang, keep);
  const skipped: CsvSkip[] = [];
  let rows: CsvInfoRecord[];
  try {
    rows = parse(text, csvParseOptions(detectDelimiter(text), keep, (err) => skipped.push(err))) as unknown as CsvInfoRecord[];
  } catch (e) {
    const err = e as CsvSkip;
    if (typeof err.code === 'string' && err.code.startsWith('CSV_')) {
      // Strict: where the good records stopped is known only by reading them; a whole-text
      // parse has none, so the line is found by parsing again up to the error.
      return fail(csvStrictText(strictErrorOf(text, fileName, lang, err), lang));
    }
    return fail(renderText('import.csvUnreadable', { reason: e instanceof Error ? e.message : String(e) }, lang));
  }

  const header = rows[0];
  if (!header) return fail(renderText('import.csvNoRows', {}, lang));
  const headerError = mapper.header(header);
  if (headerError) return fail(headerError);

  // Skipped rows interleave with good ones; collect both, then number them in file order.
  type Out = { line: number; value?: unknown; reason?: string };
  const out: Out[] = [];
  let nextSkip = 0;
  const takeSkipped = (before: number): void => {
    for (let s = skipped[nextSkip]; s && (s.lines ?? 0) < before; s = skipped[++nextSkip]) out.push(mapper.skipped(s));
  };
  try {
    for (const rec of rows.slice(1)) {
      takeSkipped(rec.info.lines);
      out.push(mapper.row(rec));
    }
  } catch (e) {
    if (e instanceof CsvStrictError) return fail(csvStrictText(e, lang));
    throw e;
  }
  takeSkipped(Number.POSITIVE_INFINITY);
  if (out.length === 0) return fail(renderText('import.csvNoRows', {}, lang));
  out.sort((a, b) => a.line - b.line);
  const records: ImportRecord[] = [];
  const rejected: IngestReject[] = [];
  out.forEach((o, index) => {
    if (o.reason !== undefined) rejected.push({ index, line: o.line, reason: o.reason });
    else records.push({ index, line: o.line, value: o.value });
  });
  return { format: 'csv', lines: out.length, records, rejected, error: null };
}

/** The strict refusal with its line: the records before the error, read again, say where it is. */
function strictErrorOf(text: string, fileName: string, lang: ErrorLang, err: CsvSkip): CsvStrictError {
  const mapper = new CsvRecordMapper(fileName, lang, true);
  const rows = parse(text, csvParseOptions(detectDelimiter(text), true, () => undefined)) as unknown as CsvInfoRecord[];
  if (rows[0]) mapper.header(rows[0]);
  for (const rec of rows.slice(1)) {
    if (typeof err.lines === 'number' && rec.info.lines > err.lines) break;
    mapper.row(rec);
  }
  return mapper.strictError(err);
}
