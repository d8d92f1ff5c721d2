#!/usr/bin/env node
// `npm test`: typecheck, lint, build the renderer, then unit + integration + E2E in one
// Vitest run. Ends with a plain "N passed, N failed" line for CI.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const run = (label, cmd, args) => {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`✖ ${label} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
};

// An Electron launch rebuilds better-sqlite3 for Electron's ABI; tests need Node's.
run('native modules for Node', process.execPath, ['scripts/ensure-node-abi.mjs']);
run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
run('svelte-check', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error']);
run('lint (layers)', 'npx', ['eslint', '.']);
run('build', 'npx', ['electron-vite', 'build']);

const report = join(tmpdir(), `vedetta-vitest-${process.pid}.json`);
const extra = process.argv.slice(2);
const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  rmSync(report, { force: true });
  console.log(`\n${j.numPassedTests} passed, ${j.numFailedTests} failed, ${j.numPendingTests + (j.numTodoTests ?? 0)} skipped`);
}
process.exit(r.status ?? 1);
