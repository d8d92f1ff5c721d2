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

/** `lang`: the language of the reasons (stored with the import report: the workspace's). */
export function parseCsv(content: string, fileName: string, lang: ErrorLang = 'it'): ParsedImport {
  const text = stripBom(content);
  const fail = (error: string): ParsedImport => ({ format: 'csv', lines: 0, records: [], rejected: [], error });
  if (looksBinary(text)) {
    return fail(renderText('import.csvBinary', {}, lang));
  }
  if (text.trim() === '') return fail(renderText('import.csvEmpty', {}, lang));

  const skipped: { line: number; unclosed: boolean; reason: string }[] = [];
  let rows: CsvInfoRecord[];
  try {
    rows = parse(text, {
      delimiter: detectDelimiter(text),
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        skipped.push({
          line: typeof err?.lines === 'number' ? err.lines : 0,
          unclosed: err?.code === 'CSV_QUOTE_NOT_CLOSED',
          reason:
            err?.code === 'CSV_QUOTE_NOT_CLOSED'
              ? renderText('import.csvQuote', {}, lang)
              : renderText('import.csvBadRow', { reason: err?.message ?? 'import.unknownError' }, lang),
        });
        return undefined;
      },
    }) as unknown as CsvInfoRecord[];
  } catch (e) {
    return fail(renderText('import.csvUnreadable', { reason: e instanceof Error ? e.message : String(e) }, lang));
  }

  const header = rows[0];
  if (!header) return fail(renderText('import.csvNoRows', {}, lang));
  const fields = header.record.map(headerToField);
  if (!fields.includes('text') && !fields.includes('title')) {
    return fail(renderText('import.csvNoText', { columns: header.record.slice(0, 20).join(', ') || 'import.noColumns' }, lang));
  }
  const hasSource = fields.includes('source');
  const fallbackSource = fileName.trim() || 'import';

  const records: ImportRecord[] = [];
  const rejected: IngestReject[] = [];
  // Skipped rows interleave with good ones; collect both, then number them in file order.
  type Out = { line: number; value?: unknown; reason?: string };
  const out: Out[] = [];
  let prevEnd = header.info.lines;
  let prevEmpty = header.info.empty_lines;
  let nextSkip = 0;
  const takeSkipped = (before: number): void => {
    for (let s = skipped[nextSkip]; s && s.line < before; s = skipped[++nextSkip]) {
      // An unclosed quote swallows the rest of the file: report where it started.
      out.push({ line: s.unclosed ? prevEnd + 1 : s.line, reason: s.reason });
      prevEnd = Math.max(prevEnd, s.line);
    }
  };
  for (const { record, info } of rows.slice(1)) {
    takeSkipped(info.lines);
    // info.lines is where the record ends; a quoted field may span lines, so count from the
    // previous record's end and the blank lines skipped between.
    const line = prevEnd + 1 + (info.empty_lines - prevEmpty);
    prevEnd = info.lines;
    prevEmpty = info.empty_lines;
    if (record.length > fields.length && record.slice(fields.length).some((v) => v.trim() !== '')) {
      out.push({ line, reason: renderText('import.csvColumns', { count: record.length, expected: fields.length }, lang) });
      continue;
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
          bad = renderText('import.csvNotInteger', { field: f, value: cell.slice(0, 40) }, lang);
          return;
        }
        value[f] = Number(n);
      } else if (f === 'published_at') {
        value[f] = normalizeDate(cell);
      } else {
        value[f] = cell;
      }
    });
    if (bad) out.push({ line, reason: bad });
    else {
      if (!hasSource) value.source = fallbackSource;
      out.push({ line, value });
    }
  }
  takeSkipped(Number.POSITIVE_INFINITY);
  out.sort((a, b) => a.line - b.line);
  out.forEach((o, index) => {
    if (o.reason !== undefined) rejected.push({ index, line: o.line, reason: o.reason });
    else records.push({ index, line: o.line, value: o.value });
  });
  return { format: 'csv', lines: out.length, records, rejected, error: null };
}
