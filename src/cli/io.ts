// Output helpers for the CLI: results go to stdout (so they can be piped), messages and
// logs to stderr.
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { timersFromEnv, type Logger, type Platform } from '../core/platform';
import { repoResourcesDir } from '../server/user-data';
import { testHooksFromEnv } from './test-hooks';

export class UsageError extends Error {
  override name = 'UsageError';
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
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`Opzione sconosciuta: ${m?.[1] ?? ''}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`Manca il valore dell'opzione ${m?.[1] ?? ''}`);
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(
      positionals === 0
        ? `Argomento inatteso: ${parsed.positionals[0]}`
        : parsed.positionals.length === 0
          ? 'Manca un argomento obbligatorio.'
          : `Argomenti in più: ${parsed.positionals.slice(positionals).join(' ')}`,
    );
  }
  return parsed;
}

