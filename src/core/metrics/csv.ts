// CSV of metric points with a user-chosen column mapping: a preview (columns, sample rows
// and a suggested mapping from the header names the usual exports use) and the rows →
// point inputs step. Numbers may be written the Italian way ("1.234,5", "3,4%").
import { parse } from 'csv-parse/sync';
import { detectDelimiter, normalizeDate } from '../ingest/formats/csv';
import { looksBinary, stripBom } from '../ingest/formats/sniff';
import { ApiError } from '../../shared/contract';
import { foldKey } from '../../shared/text';
import { renderText, type ErrorLang } from '../../shared/errors';
import { csvParseErrorRef } from '../csv-errors';
import { INPUT_METRICS, METRIC_INFO, METRIC_LIMITS, type CsvPreview, type InputMetricId, type MetricReject, type ParsedCsvMapping } from '../../shared/metrics';

/** A file that cannot be read as metric points: shown as an ApiError, or as the report's error. */
export class CsvReadError extends ApiError {}

// Header names of Meta Business Suite, Mailchimp/Brevo and GA4 exports (it and en).
const FIELD_ALIASES: Record<string, 'content' | 'metric' | 'value' | 'time' | 'tz' | 'region' | 'variant'> = {
  content: 'content', contenuto: 'content', contentid: 'content', postid: 'content', idpost: 'content', mediaid: 'content',
  campaignid: 'content', campaign: 'content', campagna: 'content', pagepath: 'content', percorsopagina: 'content', idreel: 'content',
  metric: 'metric', metrica: 'metric',
  value: 'value', valore: 'value',
  time: 'time', date: 'time', data: 'time', datetime: 'time', timestamp: 'time', orario: 'time', sendtime: 'time', orainvio: 'time',
  publishtime: 'time', oradipubblicazione: 'time', dataora: 'time', datainvio: 'time', senddate: 'time', datadipubblicazione: 'time',
  tz: 'tz', timezone: 'tz', fusoorario: 'tz',
  region: 'region', regione: 'region', istat: 'region', codiceistat: 'region',
  variant: 'variant', variante: 'variant', abvariant: 'variant', versione: 'variant',
};
const METRIC_ALIASES: Record<string, InputMetricId> = {
  views: 'views', plays: 'views', visualizzazioni: 'views', riproduzioni: 'views', opens: 'views', aperture: 'views', sessions: 'views', sessioni: 'views',
  likes: 'likes', reactions: 'likes', mipiace: 'likes', reazioni: 'likes',
  comments: 'comments', commenti: 'comments',
  shares: 'shares', condivisioni: 'shares',
  impressions: 'impressions', impression: 'impressions', recipients: 'impressions', destinatari: 'impressions', consegnate: 'impressions', delivered: 'impressions',
  clicks: 'clicks', clic: 'clicks', click: 'clicks',
  ctr: 'ctr', clickrate: 'ctr', clickthroughrate: 'ctr', tassodiclic: 'ctr',
  bouncerate: 'bounce_rate', frequenzadirimbalzo: 'bounce_rate', tassodirimbalzo: 'bounce_rate',
  averagewatchtime: 'avg_time_on_watch', avgwatchtime: 'avg_time_on_watch', tempomediodivisualizzazione: 'avg_time_on_watch',
  sharerate: 'share_rate', tassodicondivisione: 'share_rate',
  timetoclick: 'time_to_click', tempoalclic: 'time_to_click',
  conversionrate: 'regional_conversion_rate', tassodiconversione: 'regional_conversion_rate',
  languagefitscore: 'language_fit_score',
};
for (const m of INPUT_METRICS) METRIC_ALIASES[foldKey(m)] = m;

interface Table {
  header: string[];
  rows: { line: number; cells: string[] }[];
  delimiter: string;
}

function readTable(content: string): Table {
  const text = stripBom(content);
  if (looksBinary(text)) throw new CsvReadError('metrics.csvBinary');
  if (text.trim() === '') throw new CsvReadError('metrics.csvEmpty');
  const delimiter = detectDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (e) {
    const why = csvParseErrorRef(e);
    throw new CsvReadError(why.key, why.params);
  }
  const first = records[0];
  if (!first) throw new CsvReadError('metrics.csvNoRows');
  if (records.length - 1 > METRIC_LIMITS.csvRowsMax) throw new CsvReadError('metrics.csvTooManyRows', { max: METRIC_LIMITS.csvRowsMax });
  return { header: first.record.map((h) => h.trim()), rows: records.slice(1).map((r) => ({ line: r.info.lines, cells: r.record })), delimiter };
}

export function previewCsv(content: string): CsvPreview {
  const t = readTable(content);
  const columns: Partial<Record<'content' | 'metric' | 'value' | 'time' | 'tz' | 'region' | 'variant', string>> = {};
  const metricColumns: Record<string, InputMetricId> = {};
  for (const h of t.header) {
    const f = foldKey(h);
    const field = FIELD_ALIASES[f];
    if (field && !columns[field]) columns[field] = h;
    else if (METRIC_ALIASES[f]) metricColumns[h] = METRIC_ALIASES[f];
  }
  return {
    columns: t.header,
    sample: t.rows.slice(0, 5).map((r) => r.cells.map((c) => c.slice(0, 200))),
    rows: t.rows.length,
    delimiter: t.delimiter === '\t' ? 'tab' : t.delimiter,
    suggested: { columns, metricColumns: columns.metric ? {} : metricColumns, constants: columns.tz ? {} : { tz: 'Europe/Rome' } },
  };
}

/** "1.234,5" → 1234.5, "3,4%" → 0.034 (percent always becomes a fraction), "" → null. */
export function parseNumber(raw: string, count = false, lang: ErrorLang = 'it'): number | null | { error: string } {
  let s = raw.trim().replace(/\s|\u00a0/g, '');
  if (s === '' || s === '-' || s === '—') return null;
  // A count is whole: "1.200" in an Italian export is twelve hundred, not 1.2.
  if (count && /^[1-9]\d{0,2}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
  const pct = s.endsWith('%');
  if (pct) s = s.slice(0, -1);
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma > -1 && lastDot > -1) {
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastComma > -1) {
    // "1,234" with three digits after one comma is ambiguous; Italian exports mean a decimal.
    s = s.replace(',', '.');
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return { error: renderText('metrics.notNumber', { value: raw.slice(0, 30) }, lang) };
  const n = Number(s);
  return pct ? n / 100 : n;
}

/** Watch times exported as "0:12" or "1:02:03" → seconds. */
function parseDuration(raw: string): number | null {
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(raw.trim());
  if (!m) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

export interface CsvPointRow {
  line: number;
  point: Record<string, unknown>;
}

/** Rows → point inputs (validated later with the webhook's schema) and per-row errors. */
export function csvToPoints(content: string, mapping: ParsedCsvMapping, lang: ErrorLang = 'it'): { points: CsvPointRow[]; rejected: MetricReject[]; rows: number } {
  const t = readTable(content);
  const col = (name: string | undefined): number => (name === undefined ? -1 : t.header.indexOf(name));
  const idx = {
    content: col(mapping.columns.content),
    metric: col(mapping.columns.metric),
    value: col(mapping.columns.value),
    time: col(mapping.columns.time),
    tz: col(mapping.columns.tz),
    region: col(mapping.columns.region),
    variant: col(mapping.columns.variant),
  };
  for (const [field, name] of Object.entries(mapping.columns)) {
    if (name !== undefined && t.header.indexOf(name) < 0) throw new CsvReadError('metrics.csvColumnMissing', { column: name, field });
  }
  const wide = Object.entries(mapping.metricColumns).map(([name, metric]) => {
    const i = t.header.indexOf(name);
    if (i < 0) throw new CsvReadError('metrics.csvColumnMissing', { column: name, field: metric });
    return { i, metric };
  });
  if (idx.content < 0 && !mapping.constants.content) throw new CsvReadError('metrics.csvNoContentColumn');
  if (idx.time < 0) throw new CsvReadError('metrics.csvNoTimeColumn');
  if (wide.length === 0 && (idx.value < 0 || (idx.metric < 0 && !mapping.constants.metric))) {
    throw new CsvReadError('metrics.csvNoMetricColumns');
  }
  const points: CsvPointRow[] = [];
  const rejected: MetricReject[] = [];
  const cell = (cells: string[], i: number): string => (i >= 0 ? (cells[i] ?? '').trim() : '');
  t.rows.forEach(({ line, cells }, rowIndex) => {
    const base: Record<string, unknown> = {
      content: cell(cells, idx.content) || mapping.constants.content,
      time: normalizeDate(cell(cells, idx.time)),
    };
    const tz = cell(cells, idx.tz) || mapping.constants.tz;
    if (tz) base.tz = tz;
    const region = cell(cells, idx.region);
    if (region) base.region = region;
    const variant = cell(cells, idx.variant);
    if (variant) base.variant = variant;
    const cols = wide.length > 0 ? wide : [{ i: idx.value, metric: (cell(cells, idx.metric) || mapping.constants.metric) as InputMetricId }];
    let any = false;
    for (const { i, metric } of cols) {
      const raw = cell(cells, i);
      const known = (INPUT_METRICS as readonly string[]).includes(metric);
      const duration = known && METRIC_INFO[metric].unit === 'seconds' ? parseDuration(raw) : null;
      const n = duration ?? parseNumber(raw, known && METRIC_INFO[metric].unit === 'count', lang);
      if (n === null) continue;
      any = true;
      if (typeof n === 'object') {
        rejected.push({ index: rowIndex, line, reason: `${t.header[i] ?? metric}: ${n.error}` });
        continue;
      }
      points.push({ line, point: { ...base, metric: METRIC_ALIASES[foldKey(metric)] ?? metric, value: n } });
    }
    if (!any) rejected.push({ index: rowIndex, line, reason: renderText('metrics.rowNoValue', {}, lang) });
  });
  return { points, rejected, rows: t.rows.length };
}
