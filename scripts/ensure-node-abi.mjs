#!/usr/bin/env node
// Tests and the CLI run on Node's build of better-sqlite3; `npm start` in desktop mode
// rebuilds it for Electron's ABI. This puts the Node build back when needed, and is the
// first step of `npm test`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const ABI_MISMATCH = /NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF header|Module did not self-register|not a valid Win32 application/;

function loads() {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return { ok: true };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

const first = loads();
if (first.ok) process.exit(0);
if (!ABI_MISMATCH.test(first.error)) {
  console.error(`better-sqlite3 does not load, and not because of its ABI:\n${first.error}`);
  process.exit(1);
}
console.log('better-sqlite3 was built for another ABI (Electron?): rebuilding it for Node…');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (r.status !== 0) {
  console.error('npm rebuild better-sqlite3 failed.');
  process.exit(1);
}
// A native module that failed to load stays failed in this process: check in a new one.
const check = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: root, stdio: 'inherit' });
process.exit(check.status === 0 ? 0 : 1);
