// Output helpers for the CLI: results go to stdout (so they can be piped), messages and
// logs to stderr.
import type { Logger, Platform } from '../core/platform';
import { repoResourcesDir } from '../server/user-data';

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

export function nodePlatform(dataDir: string, logger: Logger): Platform {
  return { dataDir, resourcesDir: repoResourcesDir, now: () => Date.now(), logger };
}
