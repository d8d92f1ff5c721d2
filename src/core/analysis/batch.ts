// Batch analysis of a JSONL or CSV file (`vedetta analyze`): one result per row, streamed,
// so a file of any size runs in constant memory. A bad row is reported with its line and
// skipped; it never stops the run.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse as parseCsv, type Info } from 'csv-parse';
import { ApiError } from '../../shared/contract';
import type { SentimentLabel, SentimentTerm } from '../../shared/sentiment';
import { renderText } from '../../shared/errors';
import { csvParseErrorRef } from '../csv-errors';
import { detectLanguage } from './lang';
import type { SentimentAnalyzer } from './sentiment';

export type BatchFormat = 'jsonl' | 'csv';

/** A perimeter theme a row matches. */
export interface RowTheme {
  id: number;
  name: string;
  relevance: number;
}

/** One output line. `themes`: the workspace's perimeter themes the row matches (empty without a perimeter). */
export interface AnalyzedRow {
  line: number;
  id?: string | number;
  lang: string;
  sentiment_score: number;
  sentiment_label: SentimentLabel;
  sentiment_terms: SentimentTerm[];
  themes: RowTheme[];
}

export interface BatchOptions {
  format: BatchFormat;
  /** Column (CSV) or field (JSONL) holding the text; default "text". */
  textColumn?: string;
  analyzer: SentimentAnalyzer;
  /** The perimeter's themes a row matches (title, text, language, source). */
  matchThemes?: (doc: { title?: string | null; text: string; lang: string; source?: string | null }) => RowTheme[];
  /** Called per analyzed row, in file order; may return a promise to apply backpressure. */
  onRow: (row: AnalyzedRow) => void | Promise<void>;
  /** Called per bad row with its 1-based line number and why (in Italian). */
  onBad: (line: number, reason: string) => void;
}

export interface BatchSummary {
  rows: number;
  bad: number;
}

/** The whole file cannot be analyzed (no such column, unreadable header). */
export class BatchFileError extends ApiError {
  override name = 'BatchFileError';
}

const LANG = /^[a-z]{2,3}$/;

function analyzeRecord(rec: Record<string, unknown>, line: number, col: string, analyzer: SentimentAnalyzer, matchThemes: BatchOptions['matchThemes']): AnalyzedRow | string {
  const text = rec[col];
  // Said on the command line, in its language.
  if (text === undefined || text === null) return renderText('analyze.noField', { column: col });
  if (typeof text !== 'string') return renderText('analyze.notText', { column: col });
  const given = typeof rec.lang === 'string' && LANG.test(rec.lang) ? rec.lang : null;
  const lang = given ?? detectLanguage(text);
  const r = analyzer.analyze(text, lang);
  const id = rec.id ?? rec.external_id;
  return {
    line,
    ...(typeof id === 'string' || typeof id === 'number' ? { id } : {}),
    lang,
    sentiment_score: Math.round(r.score * 10_000) / 10_000,
    sentiment_label: r.label,
    sentiment_terms: r.terms,
    themes: matchThemes
      ? matchThemes({
          text,
          lang,
          title: typeof rec.title === 'string' ? rec.title : null,
          source: typeof rec.source === 'string' ? rec.source : null,
        })
      : [],
  };
}

export async function analyzeStream(input: Readable, opts: BatchOptions): Promise<BatchSummary> {
  const col = opts.textColumn ?? 'text';
  const summary: BatchSummary = { rows: 0, bad: 0 };
  const handle = async (rec: unknown, line: number): Promise<void> => {
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      summary.bad++;
      opts.onBad(line, renderText('analyze.notObject'));
      return;
    }
    let out: AnalyzedRow | string;
    try {
      out = analyzeRecord(rec as Record<string, unknown>, line, col, opts.analyzer, opts.matchThemes);
    } catch (e) {
      out = renderText('analyze.failed', { reason: e instanceof Error ? e.message : String(e) });
    }
    if (typeof out === 'string') {
      summary.bad++;
      opts.onBad(line, out);
      return;
    }
    summary.rows++;
    await opts.onRow(out);
  };

  if (opts.format === 'jsonl') {
    const lines = createInterface({ input, crlfDelay: Infinity });
    let n = 0;
    for await (const raw of lines) {
      n++;
      const s = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (!s.trim()) continue;
      let rec: unknown;
      try {
        rec = JSON.parse(s);
      } catch {
        summary.bad++;
        opts.onBad(n, renderText('replay.badJson'));
        continue;
      }
      await handle(rec, n);
    }
    return summary;
  }

  const parser = input.pipe(
    parseCsv({
      bom: true,
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim());
        if (!names.includes(col)) {
          throw new BatchFileError('analyze.missingColumn', { column: col, columns: names.join(', ') || '—' });
        }
        return names;
      },
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    }),
  );
  parser.on('skip', (err: Error & { lines?: number }) => {
    summary.bad++;
    opts.onBad(err.lines ?? 0, renderText('analyze.badCsvRow', { reason: err.message }));
  });
  try {
    for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: Info }>) {
      await handle(rec.record, rec.info.lines);
    }
  } catch (e) {
    if (e instanceof BatchFileError) throw e;
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof BatchFileError) throw cause;
    const why = csvParseErrorRef(e);
    throw new BatchFileError(why.key, why.params);
  }
  return summary;
}
