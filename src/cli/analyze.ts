// `vedetta analyze FILE`: sentiment (and, later, themes) for every row of a JSONL or CSV
// file, written as JSONL to stdout or --out. Needs no data folder: nothing is stored.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { extname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { analyzeStream, BatchFileError, type BatchFormat } from '../core/analysis/batch';
import { sentimentAnalyzer } from '../core/analysis/sentiment';
import { repoResourcesDir } from '../server/user-data';
import type { CliIo } from './io';

export interface AnalyzeArgs {
  file: string;
  format?: BatchFormat;
  textColumn?: string;
  out?: string;
}

/** At most this many bad rows are listed one by one; the rest are counted. */
const BAD_LISTED = 200;

export async function analyzeCommand(args: AnalyzeArgs, io: CliIo, stdout: Writable | null): Promise<number> {
  const path = resolve(args.file);
  try {
    if (!statSync(path).isFile()) throw new Error('non è un file');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'il file non esiste' : e instanceof Error ? e.message : String(e);
    io.err(`Impossibile leggere ${args.file}: ${why}.\n`);
    return 1;
  }
  const format: BatchFormat = args.format ?? (extname(path).toLowerCase() === '.csv' ? 'csv' : 'jsonl');
  const analyzer = sentimentAnalyzer(repoResourcesDir);

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
  try {
    const summary = await analyzeStream(createReadStream(path), {
      format,
      ...(args.textColumn ? { textColumn: args.textColumn } : {}),
      analyzer,
      onRow: async (row) => {
        buf += `${JSON.stringify(row)}\n`;
        if (buf.length >= 65_536) await flush();
      },
      onBad: (line, reason) => {
        if (listed++ < BAD_LISTED) io.err(`riga ${line}: ${reason}\n`);
      },
    });
    await flush();
    if (args.out && sink) {
      sink.end();
      await once(sink, 'finish');
    }
    const secs = Math.max(0.001, (Date.now() - started) / 1000);
    io.err(
      `Analizzate ${summary.rows} righe di ${args.file} (${format.toUpperCase()}) in ${secs.toFixed(1)} s` +
        `${summary.bad ? `; ${summary.bad} scartate${summary.bad > BAD_LISTED ? ` (elencate le prime ${BAD_LISTED})` : ''}` : ''}.\n`,
    );
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
