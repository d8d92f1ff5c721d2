// `vedetta analyze FILE`: language, sentiment and perimeter themes for every row of a JSONL or CSV
// file, written as JSONL to stdout or --out. Needs no data folder: nothing is stored.
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { extname, join, resolve } from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { analyzeStream, BatchFileError, type BatchFormat, sentimentAnalyzer, type MatchDocInput } from '../core/analysis';
import { DB_FILE } from '../app/app';
import { storedThemeMatcher, type AnalyzedTheme } from '../core/perimeters';
import { openDatabase } from '../core/store/db';
import { resourcesDirFromEnv, said, unreadableFile, type CliIo } from './io';
import { renderText } from '../shared/errors';

export interface AnalyzeArgs {
  file: string;
  format?: BatchFormat;
  textColumn?: string;
  out?: string;
  /** Data folder whose perimeter gives the themes; none there → `themes: []`. */
  dataDir?: string;
}

/**
 * The file as UTF-8 text. Excel's CSV exports are often Windows-1252: when the first 64 KiB
 * are not valid UTF-8, the whole file is decoded as Windows-1252 instead.
 */
function openText(path: string): { stream: Readable; encoding: 'utf-8' | 'windows-1252' } {
  const head = Buffer.alloc(65_536);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  // A multi-byte character cut at the end of the sample is not an error: drop up to 3 bytes.
  let utf8 = false;
  for (let cut = 0; cut <= Math.min(3, n) && !utf8; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, n - cut));
      utf8 = true;
    } catch {
      if (n < head.length) break;
    }
  }
  const raw = createReadStream(path);
  if (utf8) return { stream: raw, encoding: 'utf-8' };
  const decoder = new TextDecoder('windows-1252');
  const recode = new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
  });
  return { stream: raw.pipe(recode), encoding: 'windows-1252' };
}

/**
 * The workspace's perimeter, read once from its database (read-only, beside a running
 * instance too). Without a database or themes the rows get `themes: []` and stderr says why.
 */
function loadThemes(dataDir: string, io: CliIo): ((doc: MatchDocInput) => AnalyzedTheme[]) | null {
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) {
    io.err(said('output.analyzeNoDb', { dir: dataDir }));
    return null;
  }
  const db = openDatabase(file, { readonly: true });
  try {
    const m = storedThemeMatcher(db);
    if (m.count === 0) io.err(said('output.analyzeNoThemes', { dir: dataDir }));
    return m.count > 0 ? m.match : null;
  } finally {
    db.close();
  }
}

/** At most this many bad rows are listed one by one; the rest are counted. */
const BAD_LISTED = 200;

export async function analyzeCommand(args: AnalyzeArgs, io: CliIo, stdout: Writable | null): Promise<number> {
  const path = resolve(args.file);
  try {
    if (!statSync(path).isFile()) {
      io.err(said('cli.notAFile', { file: args.file }));
      return 1;
    }
  } catch (e) {
    io.err(unreadableFile(args.file, e));
    return 1;
  }
  const format: BatchFormat = args.format ?? (extname(path).toLowerCase() === '.csv' ? 'csv' : 'jsonl');
  const analyzer = sentimentAnalyzer(resourcesDirFromEnv(process.env));
  const themes = args.dataDir ? loadThemes(args.dataDir, io) : null;

  const sink: Writable | null = args.out ? createWriteStream(resolve(args.out)) : stdout;
  let buf = '';
  const flush = async (): Promise<void> => {
    if (!buf) return;
    const chunk = buf;
    buf = '';
    if (!sink) io.out(chunk);
    else if (!sink.write(chunk)) await once(sink, 'drain');
  };

  let listed = 0;
  const started = Date.now();
  const input = openText(path);
  if (input.encoding !== 'utf-8') io.err(`${renderText('output.notUtf8', { file: args.file })}\n`);
  try {
    const summary = await analyzeStream(input.stream, {
      format,
      ...(args.textColumn ? { textColumn: args.textColumn } : {}),
      analyzer,
      ...(themes ? { matchThemes: themes } : {}),
      onRow: async (row) => {
        buf += `${JSON.stringify(row)}\n`;
        if (buf.length >= 65_536) await flush();
      },
      onBad: (line, reason) => {
        if (listed++ < BAD_LISTED) io.err(said('output.analyzeRow', { line, reason }));
      },
    });
    await flush();
    if (args.out && sink) {
      sink.end();
      await once(sink, 'finish');
    }
    const secs = Math.max(0.001, (Date.now() - started) / 1000);
    const rest = !summary.bad ? '' : summary.bad > BAD_LISTED ? 'output.analyzeBadListed' : 'output.analyzeBad';
    io.err(said('output.analyzeDone', { rows: summary.rows, file: args.file, format: format.toUpperCase(), secs: secs.toFixed(1), rest, bad: summary.bad, max: BAD_LISTED }));
    return 0;
  } catch (e) {
    if (args.out) sink?.destroy();
    if (e instanceof BatchFileError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
