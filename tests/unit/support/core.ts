// Helpers for core unit tests: real SQLite files in fresh temp folders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect } from 'vitest';
import { ApiError } from '../../../src/shared/contract';
import { openApp, type CoreApp } from '../../../src/app/app';
import { silentLogger, type Platform } from '../../../src/core/platform';

export const resourcesDir = resolve(import.meta.dirname, '../../../resources');

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) {
    try {
      cleanups.pop()?.();
    } catch {
      /* best effort */
    }
  }
});

/** A temp folder removed after the test. */
export function tempDir(prefix = 'vedetta-unit-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function testPlatform(dataDir: string, over: Partial<Platform> = {}): Platform {
  return { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger, ...over };
}

/** An app on a fresh folder, closed after the test (before the folder is removed). */
export function testApp(over: Partial<Platform> = {}): { app: CoreApp; dataDir: string } {
  const dataDir = tempDir();
  const app = openApp({ platform: testPlatform(dataDir, over), mode: 'browser' });
  cleanups.push(() => app.close());
  return { app, dataDir };
}

export function onClose(fn: () => void): void {
  cleanups.push(fn);
}

/** The ApiError a call fails with (the test fails if it succeeds or throws something else). */
export async function fails(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected a failure');
}

/** Awaits a call that must fail with an ApiError of this code; returns the error. */
export async function expectApiError(p: Promise<unknown>, code: string): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe(code);
  return err as ApiError;
}
