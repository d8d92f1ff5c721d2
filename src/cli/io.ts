// Output helpers for the CLI: results go to stdout (so they can be piped), messages and
// logs to stderr.
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { timersFromEnv, type Logger, type Platform } from '../core/platform';
import { ApiError, type DetailRef } from '../shared/contract';
import { renderError, renderText, type CatalogueCode, type ErrorCode, type ErrorLang, type ErrorParams } from '../shared/errors';
import { envLanguage, repoResourcesDir } from '../server/user-data';
import { testHooksFromEnv } from './test-hooks';

/**
 * The command line itself is wrong (exit code 2): a code like any error, with the lines to
 * list under it (`details`) and the help to print after it.
 */
export class UsageError extends ApiError {
  override name = 'UsageError';
  readonly help: string | undefined;
  constructor(key: ErrorCode, params: ErrorParams = {}, more: { details?: readonly DetailRef[]; help?: string } = {}) {
    super(key, params, more.details);
    this.help = more.help;
  }
}

/** The language of the CLI's errors: the environment's (envLanguage), as the desktop app's before its data folder is open. */
export function cliLanguage(env: NodeJS.ProcessEnv): ErrorLang {
  return envLanguage(env);
}

/** One line from the catalogue, in the language the command runs in. */
export function said(key: CatalogueCode, params: ErrorParams = {}): string {
  return `${renderText(key, params)}\n`;
}

/** Why a file named on the command line cannot be read: missing, or the system's reason. */
export function unreadableFile(file: string, e: unknown): string {
  if ((e as NodeJS.ErrnoException | null)?.code === 'ENOENT') return said('cli.fileMissing', { file });
  return said('cli.cannotRead', { file, reason: e instanceof Error ? e.message : String(e) });
}

/** An error as the CLI prints it: "Errore: …", the lines under it, then what helps. */
export function errorText(err: ApiError, lang: ErrorLang): string {
  const lines = [renderError('cli.error', { message: err.message }, lang), ...err.detailLines(lang).map((d) => `  - ${d}`)];
  if (err instanceof UsageError) {
    if (err.help) lines.push(err.help);
    lines.push(renderError('cli.helpHint', {}, lang));
  }
  return `${lines.join('\n')}\n`;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

export function stderrLogger(io: CliIo): Logger {
  const fmt = (level: string, msg: string, extra?: Record<string, unknown>): string =>
    `[vedetta] ${level}${msg}${extra && Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : ''}\n`;
  return {
    info: (m, e) => io.err(fmt('', m, e)),
    warn: (m, e) => io.err(fmt('attenzione: ', m, e)),
    error: (m, e) => io.err(fmt('errore: ', m, e)),
  };
}

/**
 * The bundled resources (lexicons, the sentiment model, the demo), or the folder named by
 * VEDETTA_RESOURCES_DIR: tests start the app on a copy with a missing or damaged model file,
 * and a developer can try a freshly trained model without replacing the shipped one.
 */
export function resourcesDirFromEnv(env: NodeJS.ProcessEnv): string {
  return env.VEDETTA_RESOURCES_DIR ? resolve(env.VEDETTA_RESOURCES_DIR) : repoResourcesDir;
}

export function nodePlatform(dataDir: string, logger: Logger): Platform {
  const testHooks = testHooksFromEnv(process.env);
  return { dataDir, resourcesDir: resourcesDirFromEnv(process.env), now: () => Date.now(), logger, timers: timersFromEnv(process.env), ...(testHooks ? { testHooks } : {}) };
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(args: string[], options: O, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    // node:util's messages are English and mention internals; say it plainly instead.
    const m = /'([^']+)'/.exec(e instanceof Error ? e.message : '');
    const code = (e as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError('cli.unknownOption', { option: m?.[1] ?? '' });
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError('cli.missingValue', { option: m?.[1] ?? '' });
    throw new UsageError('cli.badArguments', { reason: e instanceof Error ? e.message : String(e) });
  }
  if (parsed.positionals.length !== positionals) {
    throw positionals === 0
      ? new UsageError('cli.unexpectedArgument', { arg: parsed.positionals[0] ?? '' })
      : parsed.positionals.length === 0
        ? new UsageError('cli.missingArgument')
        : new UsageError('cli.extraArguments', { args: parsed.positionals.slice(positionals).join(' ') });
  }
  return parsed;
}

