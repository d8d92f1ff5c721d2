#!/usr/bin/env node
// `npm test`: typecheck, lint, build the renderer, then unit + integration + E2E. Ends with a
// plain "N passed, N failed" line for CI.
//
// Why it runs things side by side: CI has two cores. svelte-check runs beside the build and
// then the lint, so the checks share the cores. Then the E2E files, which run one at a time (one
// Chromium) and spend much of their time waiting on a browser or a server, run in one Vitest
// process beside the unit and integration files in another; Vitest alone would run the
// serial E2E group only after the rest. The E2E output is live; every other step's output is
// printed whole when the step ends.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const started = Date.now();
const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;

const run = (label, cmd, args) => {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`✖ ${label} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
};

/**
 * The first telling line of an error, short enough for a summary. Vitest's JSON report has
 * each error's stack, which for a timeout is only the placeholder STACK_TRACE_ERROR.
 */
const firstLine = (text) => {
  const lines = String(text ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^Error: STACK_TRACE_ERROR$/.test(l));
  return (lines[0] ?? 'timed out, or failed without a message').slice(0, 300);
};

/** Runs a command with its output kept aside; `live` streams it as well. */
function start(label, cmd, args, { live = false } = {}) {
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(live ? { FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') } : {}) } });
  let out = '';
  child.stdout.on('data', (d) => ((out += d), live && process.stdout.write(d)));
  child.stderr.on('data', (d) => ((out += d), live && process.stderr.write(d)));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ label, code: code ?? 1, signal, output: () => out }));
  });
}

function report(r) {
  console.log(`\n▶ ${r.label} (done at ${elapsed()})`);
  process.stdout.write(r.output());
  if (r.code !== 0) console.error(`✖ ${r.label} failed (exit ${r.code ?? r.signal})`);
}

// An Electron launch rebuilds better-sqlite3 for Electron's ABI; tests need Node's.
run('native modules for Node', process.execPath, ['scripts/ensure-node-abi.mjs']);

// svelte-check type-checks the .ts files of tsconfig.json too (the same compiler and
// options), so a separate `tsc --noEmit` here would check everything twice; `npm run
// typecheck` still runs both.
// The build and the lint take turns: electron-vite writes a temporary bundled config next to
// electron.vite.config.ts, which `eslint .` would try to read as it disappears.
const checks = (
  await Promise.all([
    start('typecheck (svelte-check: .ts and .svelte)', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error']).then((r) => [r]),
    start('build', 'npx', ['electron-vite', 'build']).then(async (r) => [r, await start('lint (layers, typed rules)', 'npm', ['run', '--silent', 'lint'])]),
  ])
).flat();
checks.forEach(report);
const failed = checks.find((c) => c.code !== 0);
if (failed) process.exit(failed.code || 1);

const extra = process.argv.slice(2);
const lane = (label, projects, live) => {
  const file = join(tmpdir(), `vedetta-vitest-${process.pid}-${projects.join('-')}.json`);
  const args = ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`, ...extra];
  return start(label, 'npx', args, { live }).then((r) => ({ ...r, file }));
};
console.log(`\n▶ tests: unit + integration beside E2E (E2E output live; the other when it ends) — ${elapsed()}`);
const lanes = await Promise.all([
  lane('unit + integration', ['unit', 'integration'], false).then((r) => (report(r), r)),
  lane('e2e', ['e2e'], true),
]);

const totals = { passed: 0, failed: 0, skipped: 0, unloaded: 0 };
// Failures are named again at the very end: the E2E output scrolls by live and CI logs are often
// read from the tail, where one "1 failed" alone would not say which test.
const failures = [];
let missing = false;
for (const l of lanes) {
  if (!existsSync(l.file)) {
    console.error(`✖ ${l.label}: Vitest wrote no report`);
    missing = true;
    continue;
  }
  const j = JSON.parse(readFileSync(l.file, 'utf8'));
  rmSync(l.file, { force: true });
  totals.passed += j.numPassedTests;
  totals.failed += j.numFailedTests;
  totals.skipped += j.numPendingTests + (j.numTodoTests ?? 0);
  // A file that throws while loading (e.g. its shared fixtures are missing) has no tests to
  // count as failed: name it, or the summary would read "0 failed".
  totals.unloaded += j.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  for (const f of j.testResults) {
    const file = f.name.startsWith(root) ? f.name.slice(root.length) : f.name;
    const failedTests = f.assertionResults.filter((x) => x.status === 'failed').length;
    if (f.status === 'failed' && failedTests === 0) failures.push(`${file}: ${f.assertionResults.length === 0 ? '' : 'failed outside its tests (a hook?): '}${firstLine(f.message)}`);
    for (const a of f.assertionResults.filter((x) => x.status === 'failed')) {
      failures.push(`${file} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    }
  }
}
// A lane can fail with every test passed: an error thrown outside any test (Vitest's
// "Unhandled Errors") or a failing hook. The JSON report has no room for those; quote them.
const named = failures.length;
for (const l of lanes.filter((x) => x.code !== 0)) {
  const text = l.output().replace(/\x1b\[[0-9;]*m/g, '');
  const at = text.search(named === 0 ? /Unhandled Error|Failed Suites/ : /Unhandled Error/);
  const quote = text.slice(at).split(/\n\s*Test Files /)[0].split('\n').slice(0, 40);
  if (at >= 0) failures.push(`${l.label} exited ${l.code}:\n${quote.map((x) => `      ${x}`).join('\n')}`);
  else if (named === 0) failures.push(`${l.label} exited ${l.code} with no failing test named in its report; its output above says why`);
}
if (failures.length > 0) console.error(`\n✖ failed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
const unloaded = totals.unloaded > 0 ? `, ${totals.unloaded} file${totals.unloaded === 1 ? '' : 's'} failed to load` : '';
if (!missing) console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped${unloaded} (${elapsed()})`);
process.exit(lanes.find((l) => l.code !== 0)?.code ?? (missing ? 1 : 0));
