// What core and ingest get from the runtime that hosts them (Electron main, the server,
// tests), so they never reach for app.getPath or the wall clock themselves.
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
}

export interface TestHooks {
  /** Runs after a platform accepted a post and before Vedetta records it (fault injection). */
  afterPublishSend?: () => void;
  /** Outbox retry delays (ms) instead of the production backoff. */
  publishBackoffMs?: number[];
  /** Where the Reddit publisher talks (a local Reddit-shaped server), the CA and DNS it uses. */
  reddit?: { endpointDomain: string; requestOptions: { ca?: string; lookup?: import('node:net').LookupFunction } };
}

export const consoleLogger: Logger = {
  info: (m, e) => console.log(`[vedetta] ${m}`, e ?? ''),
  warn: (m, e) => console.warn(`[vedetta] ${m}`, e ?? ''),
  error: (m, e) => console.error(`[vedetta] ${m}`, e ?? ''),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
