// A random 32-byte key kept in a file of the data folder (base64, created 0600): the sealed
// source credentials (secrets.key) and the audit anchor's signature (audit-anchor.key).
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';

/** The key in `path`, created on first use. The caller checks its length (a damaged file). */
export function loadOrCreateKeyFile(path: string): Buffer {
  try {
    // 'wx' fails if the file exists: two processes never overwrite each other's key.
    const fd = openSync(path, 'wx', 0o600);
    try {
      const key = randomBytes(32);
      writeSync(fd, key.toString('base64'));
      return key;
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const fd = openSync(path, 'r');
  try {
    // A key file others can read is tightened rather than trusted as is.
    if (process.platform !== 'win32' && (fstatSync(fd).mode & 0o077) !== 0) chmodSync(path, 0o600);
  } finally {
    closeSync(fd);
  }
  return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
}
