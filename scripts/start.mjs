#!/usr/bin/env node
// `npm start`: the desktop app where the Electron binary is present, otherwise browser mode
// (server + built renderer on 127.0.0.1) opened in Chromium as an app window when a display
// is available, else the printed URL. `npm start -- --demo` first builds the demo workspace
// (`vedetta demo`) in the data folder, or adds a fresh run to it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIsStale } from '../bin/build-state.mjs';

const root = new URL('..', import.meta.url).pathname;
const withDemo = process.argv.slice(2).includes('--demo');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const shell = process.platform === 'win32';

function run(label, cmd, args, extraEnv = {}) {
  console.log(`▶ ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell, env: { ...process.env, ...extraEnv } });
  if (r.status !== 0) {
    console.error(`✖ ${label} non riuscito (uscita ${r.status ?? r.signal}).`);
    process.exit(r.status || 1);
  }
}

/**
 * The Electron binary's path, or null. We do not `require('electron')`: since Electron 45
 * that downloads the binary when it is missing, which cannot work on machines without
 * access to GitHub and would only stall here.
 */
function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const rel = readFileSync(pathFile, 'utf8').trim();
  const base = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist');
  const full = join(base, rel);
  return existsSync(full) ? full : null;
}

/** `vedetta demo` on the folder the app is about to open (Node's build of better-sqlite3). */
function buildDemo() {
  run('better-sqlite3 per Node', process.execPath, ['scripts/ensure-node-abi.mjs']);
  run('area di lavoro demo', process.execPath, ['bin/vedetta.mjs', 'demo']);
}

function desktop(electron) {
  // Before the rebuild for Electron: the command line runs on Node's build.
  if (withDemo) buildDemo();
  run('better-sqlite3 per Electron', npx, ['--yes', '@electron/rebuild', '-f', '-w', 'better-sqlite3']);
  run('build', npx, ['electron-vite', 'build']);
  console.log('▶ Vedetta (desktop)');
  const child = spawn(electron, ['.'], { cwd: root, stdio: 'inherit' });
  forwardSignals(child);
  child.on('exit', (code) => {
    console.log('Nota: `npm test` riporta better-sqlite3 alla build per Node (scripts/ensure-node-abi.mjs).');
    process.exit(code ?? 0);
  });
}

function hasDisplay() {
  return process.platform === 'darwin' || process.platform === 'win32' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function findChromium() {
  const candidates = [process.env.VEDETTA_CHROMIUM];
  if (process.platform === 'darwin') {
    candidates.push(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    );
  } else if (process.platform === 'win32') {
    for (const base of [process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)'], process.env.LOCALAPPDATA]) {
      if (!base) continue;
      candidates.push(join(base, 'Google', 'Chrome', 'Application', 'chrome.exe'), join(base, 'Microsoft', 'Edge', 'Application', 'msedge.exe'));
    }
  } else {
    for (const dir of (process.env.PATH ?? '').split(':')) {
      for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) candidates.push(join(dir, name));
    }
    candidates.push('/usr/bin/chromium', '/snap/bin/chromium');
  }
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

function forwardSignals(...children) {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      for (const c of children) if (c && c.exitCode === null) c.kill(sig);
    });
  }
}

function startServe(port) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/vedetta.mjs', 'serve', '--port', String(port)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let out = '';
    let err = '';
    let ready = null;
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      out += d.toString();
      const m = !ready && /VEDETTA_READY (\{.*\})/.exec(out);
      if (m) {
        ready = JSON.parse(m[1]);
        resolve({ child, ready });
      }
    });
    child.stderr.on('data', (d) => {
      process.stderr.write(d);
      err += d.toString();
    });
    child.on('exit', (code) => {
      if (!ready) reject(Object.assign(new Error(`vedetta serve è uscito con codice ${code}`), { portBusy: /già in uso/.test(err), code }));
    });
  });
}

async function browserMode() {
  if (buildIsStale()) run('build', npx, ['electron-vite', 'build']);
  if (withDemo) buildDemo();
  else run('better-sqlite3 per Node', process.execPath, ['scripts/ensure-node-abi.mjs']);

  const wanted = Number(process.env.VEDETTA_PORT ?? 4870);
  let started;
  try {
    started = await startServe(wanted);
  } catch (e) {
    if (!e.portBusy) process.exit(e.code || 1);
    console.log(`La porta ${wanted} è occupata: uso una porta libera.`);
    started = await startServe(0).catch((e2) => process.exit(e2.code || 1));
  }
  const { child: server, ready } = started;

  const browser = hasDisplay() ? findChromium() : null;
  if (!browser) {
    console.log(
      hasDisplay()
        ? `\nNessun Chromium/Chrome trovato (VEDETTA_CHROMIUM per indicarlo): apri a mano\n  ${ready.openUrl}\n`
        : `\nNessuno schermo disponibile: apri questo indirizzo in un browser\n  ${ready.openUrl}\n`,
    );
    forwardSignals(server);
    server.on('exit', (code) => process.exit(code ?? 0));
    return;
  }

  // A profile of its own keeps the app window apart from the user's browsing and lets it
  // run as a separate process, whose exit tells us the window was closed.
  const profile = join(ready.dataDir, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  // The address carries a one-time code, not the token: Chromium's arguments show in `ps`.
  const args = [`--app=${ready.openUrl}`, `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check', '--window-size=1440,900'];
  // Chromium refuses to start as root with its sandbox (containers, CI boxes).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const win = spawn(browser, args, { stdio: 'ignore' });
  forwardSignals(server, win);
  // The launcher's code may be spent by now: the printed «Interfaccia» address has its own.
  const keepServing = (why) => console.log(`${why}: apri a mano l’indirizzo «Interfaccia» stampato sopra\n(Ctrl+C per fermare)`);
  win.on('error', () => keepServing(`Impossibile avviare ${browser}`));
  win.on('exit', (code, signal) => {
    // A clean exit means the user closed the window: we are done. A crash or a refused
    // display leaves the server up for a browser of the user's choice.
    if (code === 0 && server.exitCode === null) server.kill('SIGTERM');
    else if (server.exitCode === null) keepServing(`La finestra di ${browser} si è chiusa con errore (${code ?? signal})`);
  });
  server.on('exit', (code) => {
    if (win.exitCode === null) win.kill('SIGTERM');
    process.exit(code ?? 0);
  });
}

const electron = electronBinary();
if (electron && process.env.VEDETTA_BROWSER_MODE !== '1') desktop(electron);
else await browserMode();
