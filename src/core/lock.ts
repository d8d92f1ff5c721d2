// One writer per data folder: a lock file holding the owner's PID. Created with 'wx', so
// two processes can never both believe they created it; a lock left by a dead process is
// taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../shared/contract';

export const LOCK_FILE = 'vedetta.lock';

export class DataDirLockedError extends ApiError {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super('app.dataDirLocked', { dir: dataDir, pid, lockFile: join(dataDir, LOCK_FILE) });
    this.name = 'DataDirLockedError';
  }
}

interface LockContent {
  pid: number;
  startedAt: string;
  token: string;
}

function readLock(file: string): LockContent | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockContent>;
    return typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0
      ? { pid: v.pid, startedAt: String(v.startedAt ?? ''), token: String(v.token ?? '') }
      : null;
  } catch {
    return null;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else, still alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PID of the live process holding the folder, or null. */
export function lockOwner(dataDir: string): number | null {
  const c = readLock(join(dataDir, LOCK_FILE));
  return c && isProcessAlive(c.pid) ? c.pid : null;
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

export function acquireDataDirLock(dataDir: string, now: number): DataDirLock {
  const file = join(dataDir, LOCK_FILE);
  const token = `${process.pid}-${now}-${Math.random().toString(36).slice(2)}`;
  const content: LockContent = { pid: process.pid, startedAt: new Date(now).toISOString(), token };
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const held = readLock(file);
      // Our own PID counts as alive: a second openApp in the same process is a second instance.
      if (held && isProcessAlive(held.pid)) throw new DataDirLockedError(dataDir, held.pid);
      if (!held) {
        // Being written right now by its creator, or garbage from a crash mid-write.
        if (attempt < 2) {
          sleepMs(50);
          continue;
        }
      }
      try {
        unlinkSync(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(content));
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      file,
      release() {
        if (released) return;
        released = true;
        // Only remove the lock if it is still ours (a forced takeover may have replaced it).
        if (readLock(file)?.token === token) {
          try {
            unlinkSync(file);
          } catch {
            /* already gone */
          }
        }
      },
    };
  }
  const held = readLock(file);
  throw new DataDirLockedError(dataDir, held?.pid ?? 0);
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
