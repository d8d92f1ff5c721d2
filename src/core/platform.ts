// What core gets from the runtime that hosts it (Electron main, the server, tests), so it
// never reaches for app.getPath or the wall clock itself.
import type { SecretStore } from './sources/vault';
export interface Logger {
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}

export interface Platform {
  /** Folder holding vedetta.db and the instance lock. */
  dataDir: string;
  /** Folder with bundled resources (demo stream, lexicons). */
  resourcesDir: string;
  /** Milliseconds since the epoch. */
  now(): number;
  logger: Logger;
  /**
   * How source credentials are sealed: Electron safeStorage on desktop. Absent in browser
   * mode and the CLI, where core uses a key file in the data folder.
   */
  secretStore?: SecretStore;
  /** Test-only hooks, set by the host from its environment; absent in production. */
  testHooks?: TestHooks;
  /** Shorter timers for tests and demos; core's defaults otherwise. */
  timers?: PlatformTimers;
  /**
   * Elapsed milliseconds (monotonic), by which background work (the moments rebuild) decides
   * when to give the thread back. Defaults to performance.now; tests pass a fake one to make
   * that structure observable without measuring time.
   */
  elapsed?: () => number;
}

export interface TestHooks {
  /** Runs after a platform accepted a post and before Vedetta records it (fault injection). */
  afterPublishSend?: () => void;
  /** Outbox retry delays (ms) instead of the production backoff. */
  publishBackoffMs?: number[];
  /** How long one minute of a Tier 2 alert SLA lasts, so an E2E test sees an SLA run out in seconds. */
  slaMinuteMs?: number;
  /** The import worker's old-generation cap (MiB) instead of WORKER_HEAP's, to reach it with a small file. */
  importWorkerHeapMb?: number;
  /** Where the Reddit publisher talks (a local Reddit-shaped server), the CA and DNS it uses. */
  reddit?: { endpointDomain: string; requestOptions: { ca?: string; lookup?: import('node:net').LookupFunction } };
}

export interface PlatformTimers {
  /** How often Tier 2 alert rules are evaluated. */
  alertTickMs?: number;
  /** Delay before each retry of a failed notification. */
  notifyBackoffMs?: number;
  /** Quiet time after the last sentiment correction before the workspace layer retrains. */
  layerDebounceMs?: number;
}

/**
 * Adapters (CLI, desktop) read timer overrides from the environment here, once, so core
 * itself never looks at process.env. Only positive whole milliseconds count.
 */
export function timersFromEnv(env: Record<string, string | undefined>): PlatformTimers {
  const ms = (name: string): number | undefined => {
    const v = Number(env[name]);
    return Number.isInteger(v) && v > 0 ? v : undefined;
  };
  const alertTickMs = ms('VEDETTA_ALERT_TICK_MS');
  const notifyBackoffMs = ms('VEDETTA_NOTIFY_BACKOFF_MS');
  return {
    ...(alertTickMs !== undefined ? { alertTickMs } : {}),
    ...(notifyBackoffMs !== undefined ? { notifyBackoffMs } : {}),
  };
}

export const consoleLogger: Logger = {
  info: (m, e) => console.log(`[vedetta] ${m}`, e ?? ''),
  warn: (m, e) => console.warn(`[vedetta] ${m}`, e ?? ''),
  error: (m, e) => console.error(`[vedetta] ${m}`, e ?? ''),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
