// A real core app on a fresh temp data folder, for adapter tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openApp, type AppMode, type CoreApp } from '../../../src/app/app';
import { silentLogger, type PlatformTimers } from '../../../src/core/platform';

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const resourcesDir = join(repoRoot, 'resources');

export function tempDir(prefix = 'vedetta-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function openTestApp(mode: AppMode, dataDir = tempDir(), timers?: PlatformTimers): { app: CoreApp; dataDir: string; dispose(): void } {
  const app = openApp({ platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger, ...(timers ? { timers } : {}) }, mode });
  let closed = false;
  return {
    app,
    dataDir,
    dispose() {
      if (!closed) app.close();
      closed = true;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const TEST_ADMIN = { username: 'admin', displayName: 'Amministratore', password: 'password-di-prova' };

/** A session of the workspace's admin (created on first use), as an adapter's caller holds it. */
export async function adminSession(app: CoreApp): Promise<string> {
  if (app.auth.needsSetup()) return (await app.auth.setup(TEST_ADMIN)).token;
  return (await app.auth.signIn(TEST_ADMIN)).token;
}
