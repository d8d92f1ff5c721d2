// `vedetta` command line: serve, import, replay, demo, export, status. Exit codes: 0 ok,
// 1 the command failed, 2 the command line itself is wrong.
// Over 400 lines (~410): the commands that open a data folder share its lock, its error
// handling and its exit codes here; the smaller command groups have their own files (sources.ts,
// users.ts).
import { existsSync, mkdirSync, openSync, closeSync, writeSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { DataDirLockedError, openApp, openReadOnly, type CoreApp, type ReplaySummary } from '../app/app';
import { LIMITS, type ImportFormat, type ImportReport } from '../shared/schemas';
import { importEncodingOf } from '../core/ingest/formats';
import { SYSTEM_ACTOR } from '../core/auth';
import { resolveDataDir } from '../server/user-data';
import { ApiError } from '../shared/contract';
import { errorLanguage, renderError, renderText, setErrorLanguage } from '../shared/errors';
import { cliLanguage, errorText, nodePlatform, parse, processIo, said, stderrLogger, unreadableFile, UsageError, type CliIo } from './io';
import { sourcesCommand, sourcesHelp } from './sources';
import { analyzeCommand } from './analyze';
import { demoCommand } from './demo';
import { readStdin, usersCommand, usersHelp } from './users';
import { auditCommand, auditHelp } from './audit';
import { DEFAULT_PORT, processStopSignal, serve, type ServeTls } from './serve';

/** The help, in the language the command line runs in (set before it is printed). */
function help(): string {
  return renderText('help.main', { sources: sourcesHelp(), users: usersHelp(), audit: auditHelp(), port: DEFAULT_PORT });
}

export interface MainContext {
  io?: CliIo;
  env?: NodeJS.ProcessEnv;
  /** For `serve`: resolves when it should stop. Defaults to SIGINT/SIGTERM. */
  stopSignal?: Promise<string>;
}

export async function main(argv: string[], ctx: MainContext = {}): Promise<number> {
  const io = ctx.io ?? processIo;
  const env = ctx.env ?? process.env;
  const [command, ...rest] = argv;
  // Errors are worded in the person's language; the process's language is put back after.
  const lang = cliLanguage(env);
  const before = errorLanguage();
  setErrorLanguage(lang);
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(help());
        return command === undefined ? 2 : 0;
      case 'serve': {
        const { values } = parse(rest, {
          port: { type: 'string' },
          data: { type: 'string' },
          host: { type: 'string', default: '127.0.0.1' },
          'public-url': { type: 'string' },
          'tls-cert': { type: 'string' },
          'tls-key': { type: 'string' },
          'tls-self-signed': { type: 'boolean', default: false },
        }, 0);
        return await serve({
          dataDir: resolveDataDir(values.data, { env }),
          host: values.host ?? '127.0.0.1',
          port: values.port === undefined ? DEFAULT_PORT : parsePort(values.port),
          tls: serveTls(values),
          ...(values['public-url'] !== undefined ? { publicUrl: values['public-url'] } : {}),
          env,
          io,
          stopSignal: ctx.stopSignal ?? processStopSignal(),
        });
      }
      case 'import': {
        const { values, positionals } = parse(rest, {
          format: { type: 'string' },
          encoding: { type: 'string' },
          'keep-good-rows': { type: 'boolean', default: false },
          data: { type: 'string' },
        }, 1);
        return await importCommand(positionals[0] ?? '', {
          format: parseFormat(values.format),
          encoding: parseEncoding(values.encoding),
          keepGoodRows: values['keep-good-rows'] === true,
        }, resolveDataDir(values.data, { env }), io);
      }
      case 'replay': {
        const { values, positionals } = parse(rest, { speed: { type: 'string' }, 'shift-to-now': { type: 'boolean', default: false }, data: { type: 'string' } }, 1);
        return await replayCommand(positionals[0] ?? '', parseSpeed(values.speed), values['shift-to-now'] === true, resolveDataDir(values.data, { env }), io);
      }
      case 'export': {
        const { values, positionals } = parse(rest, { format: { type: 'string' }, out: { type: 'string' }, data: { type: 'string' } }, 1);
        if (positionals[0] !== 'mentions') throw new UsageError('cli.exportWhat');
        return exportCommand(parseFormat(values.format) ?? 'jsonl', values.out, resolveDataDir(values.data, { env }), io);
      }
      case 'status': {
        const { values } = parse(rest, { format: { type: 'string', default: 'text' }, data: { type: 'string' } }, 0);
        if (values.format !== 'text' && values.format !== 'json') throw new UsageError('cli.formatTextJson');
        return statusCommand(values.format, resolveDataDir(values.data, { env }), io);
      }
      case 'demo':
        return await demoCommand(rest, env, io);
      case 'sources':
        return await sourcesCommand(rest, env, io);
      case 'audit':
        return auditCommand(rest, env, io);
      case 'users':
        return await usersCommand(rest, env, io, io === processIo ? readStdin : () => Promise.resolve(''));
      case 'alerts': {
        const { values, positionals } = parse(rest, { format: { type: 'string', default: 'text' }, all: { type: 'boolean', default: false }, data: { type: 'string' } }, 1);
        if (positionals[0] !== 'list') throw new UsageError('cli.alertsUsage');
        if (values.format !== 'text' && values.format !== 'json') throw new UsageError('cli.formatTextJson');
        return alertsCommand(values.format, values.all === true, resolveDataDir(values.data, { env }), io);
      }
      case 'analyze': {
        const { values, positionals } = parse(rest, { format: { type: 'string' }, 'text-column': { type: 'string' }, out: { type: 'string' }, data: { type: 'string' } }, 1);
        const textColumn = values['text-column'];
        if (textColumn !== undefined && !textColumn.trim()) throw new UsageError('cli.textColumnEmpty');
        return await analyzeCommand(
          { file: positionals[0] ?? '', format: parseFormat(values.format), textColumn, out: values.out, dataDir: resolveDataDir(values.data, { env }) },
          io,
          io === processIo ? process.stdout : null,
        );
      }
      default:
        throw new UsageError('cli.unknownCommand', { command });
    }
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      io.err(`${err.message}\n`);
      return 1;
    }
    if (err instanceof ApiError) {
      io.err(errorText(err, lang));
      return err instanceof UsageError ? 2 : 1;
    }
    // Not one of ours (a library's or the system's words): said as an unexpected error.
    io.err(`${renderError('cli.unexpected', { reason: err instanceof Error ? err.message : String(err) }, lang)}\n`);
    if (env.VEDETTA_DEBUG && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
    return 1;
  } finally {
    setErrorLanguage(before);
  }
}

function parsePort(s: string): number {
  const n = Number(s);
  if (!/^\d+$/.test(s) || n > 65535) throw new UsageError('cli.badPort', { value: s });
  return n;
}

function parseFormat(s: string | undefined): ImportFormat | undefined {
  if (s === undefined) return undefined;
  if (s !== 'jsonl' && s !== 'csv') throw new UsageError('cli.formatJsonlCsv', { value: s });
  return s;
}

function parseEncoding(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const enc = importEncodingOf(s);
  if (!enc) throw new UsageError('cli.badEncoding', { value: s });
  return enc;
}

function parseSpeed(s: string | undefined): number {
  if (s === undefined) return 1;
  const n = Number(s);
  if (!Number.isFinite(n) || n < 0.1 || n > 10_000) throw new UsageError('cli.badSpeed', { value: s });
  return n;
}

function openCliApp(dataDir: string, io: CliIo): CoreApp {
  mkdirSync(dataDir, { recursive: true });
  return openApp({ platform: nodePlatform(dataDir, stderrLogger(io)), mode: 'cli' });
}

interface ImportChoices {
  format: ImportFormat | undefined;
  encoding: string | undefined;
  keepGoodRows: boolean;
}

async function importCommand(file: string, choices: ImportChoices, dataDir: string, io: CliIo): Promise<number> {
  const path = resolve(file);
  try {
    const st = statSync(path);
    if (!st.isFile()) {
      io.err(said('cli.notAFile', { file }));
      return 1;
    }
    if (st.size > LIMITS.importFileBytes) {
      io.err(said('cli.importTooLarge', { file, max: Math.round(LIMITS.importFileBytes / 1024 / 1024) }));
      return 1;
    }
    closeSync(openSync(path, 'r'));
  } catch (e) {
    io.err(unreadableFile(file, e));
    return 1;
  }
  const app = openCliApp(dataDir, io);
  const fileName = basename(path);
  // Read as a stream by the import worker, straight from the path; a progress line on stderr
  // at most every two seconds; Ctrl-C cancels (what is stored stays: see the README).
  let lastPrinted = 0;
  const off = app.events.on('import.progress', (p) => {
    const now = Date.now();
    if (p.phase === 'done' || now - lastPrinted < 2000) return;
    lastPrinted = now;
    const pct = p.phase === 'reading' ? Math.floor((p.bytes / Math.max(1, p.totalBytes)) * 100) : Math.floor((p.stored / Math.max(1, p.total)) * 100);
    io.err(`${renderText(p.phase === 'reading' ? 'output.importReading' : 'output.importStoring', { rows: p.rows, stored: p.stored, total: p.total, pct, eta: p.etaSeconds ?? '…' })}\n`);
  });
  const job = app.importFile({ path, fileName, ...(choices.format ? { format: choices.format } : {}), encoding: choices.encoding ?? null, keepGoodRows: choices.keepGoodRows });
  const onSigint = (): void => void app.importJobs.cancel(job.id);
  if (io === processIo) process.once('SIGINT', onSigint);
  try {
    const report = await job.done;
    // The row dispatch('import.file') writes for the UI, written here: the CLI reads a path, not text.
    app.auditService.record(SYSTEM_ACTOR, 'import.file', `file:${fileName}`, {
      reportId: report.id, accepted: report.accepted, duplicates: report.duplicates, rejected: report.rejected.length, warnings: report.warnings.length, error: report.error,
      encoding: report.encoding, keepGoodRows: choices.keepGoodRows, cancelled: report.cancelled,
    });
    io.out(formatReport(report));
    return report.error ? 1 : 0;
  } finally {
    off();
    if (io === processIo) process.off('SIGINT', onSigint);
    app.close();
  }
}

export function formatReport(r: ImportReport): string {
  const lines = [
    renderText('output.importHead', { file: r.fileName, format: r.format.toUpperCase(), lines: r.lines }),
    renderText('output.accepted', { n: r.accepted }),
    renderText('output.duplicates', { n: r.duplicates }),
    renderText('output.rejected', { n: r.rejected.length }),
  ];
  if (r.encoding) lines.push(renderText('output.encoding', { encoding: r.encoding.toUpperCase() }));
  if (r.repairedLines > 0) lines.push(renderText('output.repaired', { n: r.repairedLines }));
  if (r.warnings.length > 0) lines.push(renderText('output.withWarning', { n: r.warnings.length }));
  if (r.error) lines.push(renderError('cli.error', { message: r.error }));
  for (const rej of r.rejected) lines.push(renderText('output.row', { line: rej.line ?? rej.index + 1, reason: rej.reason }));
  if (r.warnings.length > 0) lines.push(renderText('output.warningsHead'));
  for (const w of r.warnings) lines.push(renderText('output.row', { line: w.line ?? w.index + 1, reason: w.reason }));
  return `${lines.join('\n')}\n`;
}

async function replayCommand(file: string, speed: number, shiftToNow: boolean, dataDir: string, io: CliIo): Promise<number> {
  const path = resolve(file);
  if (!existsSync(path)) {
    io.err(said('cli.fileMissing', { file }));
    return 1;
  }
  const app = openCliApp(dataDir, io);
  let lastPrinted = 0;
  let lastEmitted = -1;
  const unsubscribe = app.events.on('replay.state', (s) => {
    const now = Date.now();
    // At most one progress line a second, plus the last one.
    if ((now - lastPrinted >= 1000 || !s.running || s.emitted === s.total) && s.emitted !== lastEmitted) {
      lastPrinted = now;
      lastEmitted = s.emitted;
      const pct = s.total ? Math.floor((s.emitted / s.total) * 100) : 100;
      io.out(`${renderText('output.replayProgress', { emitted: s.emitted, total: s.total, pct })}\n`);
    }
  });
  let closed = false;
  const closeOnce = (): void => {
    if (!closed) app.close();
    closed = true;
  };
  // Closing the app stops the replay, which ends replayFile().
  const stop = (): void => {
    io.err(`\n${renderText('output.interrupted')}\n`);
    closeOnce();
  };
  process.once('SIGINT', stop);
  io.out(`${renderText('output.replayStart', { file: basename(path), speed, dates: shiftToNow ? 'output.replayShifted' : 'output.replayRecorded' })}\n`);
  try {
    const s = await app.replayFile(path, speed, { shiftToNow });
    io.out(formatReplaySummary(s, shiftToNow));
    return 0;
  } finally {
    process.off('SIGINT', stop);
    unsubscribe();
    closeOnce();
  }
}

export function formatReplaySummary(s: ReplaySummary, shifted: boolean): string {
  const lines = [
    renderText('output.replayDone', { total: s.total }),
    renderText('output.saved', { n: s.accepted }),
    renderText('output.duplicates', { n: s.duplicates }),
    renderText('output.rejected', { n: s.rejected.length }),
  ];
  if (s.warnings.length > 0) lines.push(renderText('output.withWarning', { n: s.warnings.length }));
  if (shifted) lines.push(renderText('output.shifted', { shift: formatShift(s.shiftMs) }));
  const listed = 20;
  for (const r of s.rejected.slice(0, listed)) lines.push(renderText('output.row', { line: r.line ?? r.index + 1, reason: r.reason }));
  if (s.rejected.length > listed) lines.push(renderText('output.moreRejected', { n: s.rejected.length - listed }));
  if (s.warnings.length > 0) lines.push(renderText('output.warningsHead'));
  for (const w of s.warnings.slice(0, listed)) lines.push(renderText('output.row', { line: w.line ?? w.index + 1, reason: w.reason }));
  if (s.warnings.length > listed) lines.push(renderText('output.moreWarnings', { n: s.warnings.length - listed }));
  return `${lines.join('\n')}\n`;
}

/** "+3 g 4 h 15 min" ("d" in English) */
function formatShift(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  let m = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(m / 1_440);
  m -= d * 1_440;
  const h = Math.floor(m / 60);
  m -= h * 60;
  return `${sign}${d > 0 ? `${d} ${renderText('output.dayUnit')} ` : ''}${h > 0 || d > 0 ? `${h} h ` : ''}${m} min`;
}

function exportCommand(format: 'jsonl' | 'csv', out: string | undefined, dataDir: string, io: CliIo): number {
  if (!existsSync(dataDir)) {
    io.err(said('cli.noDataDir', { dir: dataDir }));
    return 1;
  }
  const store = openReadOnly(dataDir);
  try {
    if (!out) {
      const n = store.exportMentions(format, (chunk) => io.out(chunk));
      io.err(`${renderText('output.exported', { n })}\n`);
      return 0;
    }
    // Write next to the target and rename at the end, so a failed export never leaves a
    // half-written file under the name the user asked for.
    const target = resolve(out);
    const tmp = `${target}.part-${process.pid}`;
    const fd = openSync(tmp, 'w');
    let n: number;
    try {
      n = store.exportMentions(format, (chunk) => {
        writeSync(fd, chunk);
      });
      closeSync(fd);
    } catch (e) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw e;
    }
    renameSync(tmp, target);
    io.err(`${renderText('output.exportedTo', { n, file: target })}\n`);
    return 0;
  } finally {
    store.close();
  }
}

const ALERT_STATE = { open: 'output.alertOpen', acknowledged: 'output.alertAcknowledged', intervened: 'output.alertIntervened', resolved: 'output.alertResolved' } as const;

function alertsCommand(format: 'text' | 'json', all: boolean, dataDir: string, io: CliIo): number {
  if (!existsSync(dataDir)) {
    io.err(said('cli.noDataDir', { dir: dataDir }));
    return 1;
  }
  const store = openReadOnly(dataDir);
  try {
    const alerts = store.alerts(all).map((a) => ({
      id: a.id,
      state: a.state,
      severity: a.severity,
      rule: a.ruleName,
      content: a.contentKey,
      contentTitle: a.contentTitle,
      metric: a.metric,
      region: a.region,
      escalated: a.escalated,
      overdue: a.state !== 'resolved' && Date.parse(a.dueAt) < Date.now(),
      firedAt: a.firedAt,
      dueAt: a.dueAt,
      message: a.message,
    }));
    if (format === 'json') {
      io.out(`${JSON.stringify(alerts, null, 2)}\n`);
      return 0;
    }
    if (alerts.length === 0) {
      io.out(said('output.noAlerts'));
      return 0;
    }
    for (const a of alerts) {
      const severity = a.severity === 'critical' ? 'output.alertCritical' : 'output.alertModerate';
      const overdue = a.overdue ? 'output.alertOverdue' : '';
      io.out(said('output.alertLine', { id: a.id, severity, state: ALERT_STATE[a.state], overdue, due: a.dueAt, rule: a.rule, title: a.contentTitle, content: a.content }));
    }
    return 0;
  } finally {
    store.close();
  }
}

function statusCommand(format: 'text' | 'json', dataDir: string, io: CliIo): number {
  if (!existsSync(dataDir)) {
    io.err(said('cli.noDataDir', { dir: dataDir }));
    return 1;
  }
  const store = openReadOnly(dataDir);
  try {
    const s = store.status();
    if (format === 'json') {
      io.out(`${JSON.stringify(s)}\n`);
    } else {
      io.out(
        [
          said('output.statusDir', { dir: s.dataDir }),
          said('output.statusSchema', { version: s.schemaVersion }),
          said('output.statusMentions', { n: s.mentions }),
          said('output.statusSources', { n: s.sources }),
          s.lockedBy === null ? said('output.statusFree') : said('output.statusLocked', { pid: s.lockedBy }),
        ].join(''),
      );
    }
    return 0;
  } finally {
    store.close();
  }
}

/** --tls-cert/--tls-key (both) or --tls-self-signed (alone), or neither: a local server. */
function serveTls(values: { 'tls-cert'?: string | undefined; 'tls-key'?: string | undefined; 'tls-self-signed'?: boolean | undefined }): ServeTls {
  const cert = values['tls-cert'];
  const key = values['tls-key'];
  const self = values['tls-self-signed'] === true;
  if (self && (cert !== undefined || key !== undefined)) throw new UsageError('cli.tlsBoth');
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('cli.tlsPair');
  if (self) return { kind: 'self-signed' };
  return cert !== undefined && key !== undefined ? { kind: 'files', cert, key } : null;
}
