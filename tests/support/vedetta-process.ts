// Starts the real `vedetta serve` CLI on a fresh data folder and a random port, and waits
// for the line it announces when ready. Every E2E test gets its own instance.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface VedettaInstance {
  url: string;
  /** The UI with the per-run token in the fragment, built here from the token we set. */
  uiUrl: string;
  /** The launcher's address from VEDETTA_READY: a one-time code, as `npm start` hands Chromium. */
  openUrl: string;
  webhookUrl: string;
  token: string;
  webhookToken: string;
  /** A team server (`team: true`): its self-signed certificate, the one thing the test trusts. */
  ca: string | null;
  dataDir: string;
  pid: number;
  output: () => string;
  /** Resolves when the process has ended, by exit code or by signal (a SIGKILL in fault tests). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Calls a contract operation over HTTP as the UI does, signed in as ADMIN; throws on an error answer. */
  api(op: string, input: unknown): Promise<unknown>;
  /** The same as a given person (signs in on first use). */
  apiAs(user: TestUser, op: string, input: unknown): Promise<unknown>;
  /** That person's session token (signs in on first use): an event socket says it to get events. */
  sessionOf(user?: TestUser): Promise<string>;
  stop(): Promise<void>;
}

import { httpsJson } from './https-json';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface TestUser {
  username: string;
  password: string;
  roles: string[];
  name?: string;
}

/** Created by startVedetta (with the real `vedetta users add`) unless `users` says otherwise. */
export const ADMIN: TestUser = { username: 'admin', password: 'password-di-prova-admin', roles: ['admin'], name: 'Amministratore' };

/**
 * Creates people with the real CLI before `serve` takes the folder. A person who already
 * exists (a restarted instance on the same folder) is left as is.
 */
export function addUsers(dataDir: string, users: readonly TestUser[]): void {
  for (const u of users) {
    const args = ['bin/vedetta.mjs', 'users', 'add', u.username, '--name', u.name ?? u.username, '--data', dataDir, ...u.roles.flatMap((r) => ['--role', r])];
    const r = spawnSync(process.execPath, args, { cwd: repoRoot, env: { ...process.env, VEDETTA_DATA_DIR: '', VEDETTA_PASSWORD: u.password }, encoding: 'utf8' });
    if (r.status !== 0 && !/già in uso/.test(r.stderr)) throw new Error(`vedetta users add ${u.username} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** People known to exist in a data folder this process prepared (template copies). */
const knownUsers = new Map<string, Set<string>>();
/** Per process when no run-wide folder is set: one template per set of people. */
const localTemplates = new Map<string, string>();
let localTemplateRoot: string | null = null;

const usersKey = (users: readonly TestUser[]): string =>
  JSON.stringify(users.map((u) => [u.username, u.password, [...u.roles].sort(), u.name ?? u.username]));

/**
 * A data folder holding exactly these people, made once with the real `vedetta users add`
 * (a CLI start costs seconds) and then copied for each instance: a copy is the same fresh
 * workspace. Shared by every test file of a run through VEDETTA_TEST_TEMPLATES (set by the
 * projects' global setup, a folder that lives for one run only, so it never outlives the code
 * that built it); without it, per process.
 */
function templateFor(users: readonly TestUser[]): string {
  const key = usersKey(users);
  const root = process.env.VEDETTA_TEST_TEMPLATES;
  if (!root) {
    const known = localTemplates.get(key);
    if (known) return known;
    if (!localTemplateRoot) {
      const made = mkdtempSync(join(tmpdir(), 'vedetta-templates-'));
      localTemplateRoot = made;
      process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    }
    const dir = join(localTemplateRoot, String(localTemplates.size));
    mkdirSync(dir);
    addUsers(dir, users);
    localTemplates.set(key, dir);
    return dir;
  }
  const name = createHash('sha256').update(key).digest('hex').slice(0, 16);
  const dir = join(root, name);
  if (existsSync(join(dir, 'vedetta.db'))) return dir;
  // Built aside and renamed into place: a test file running beside this one (integration
  // files run in parallel) either finds the whole folder or builds its own.
  const building = mkdtempSync(join(root, `.building-${name}-`));
  addUsers(building, users);
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/**
 * The people in a folder: an empty (or new) folder gets a copy of the template; a folder this
 * process filled keeps who it has; anything else (a database from an earlier version) goes
 * through the real CLI, which leaves a person who already exists as is.
 */
function prepareDataDir(dataDir: string, users: readonly TestUser[]): void {
  if (users.length === 0) return;
  const known = knownUsers.get(dataDir);
  if (known) {
    const missing = users.filter((u) => !known.has(u.username));
    addUsers(dataDir, missing);
    for (const u of missing) known.add(u.username);
    return;
  }
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    addUsers(dataDir, users);
    return;
  }
  cpSync(templateFor(users), dataDir, { recursive: true });
  knownUsers.set(dataDir, new Set(users.map((u) => u.username)));
}

export interface StartOptions {
  dataDir?: string;
  env?: Record<string, string>;
  users?: readonly TestUser[];
  /** `vedetta serve --tls-self-signed`: a team server over HTTPS, sessions instead of a per-run token. */
  team?: boolean;
}

/**
 * Spare instances: `vedetta serve` takes seconds to start (most of it loading the code), so
 * when a test file will start another instance like this one, it is started now, beside the
 * running test, on its own fresh data folder. Only on request (the e2e setup file turns it on
 * and says whether tests remain in the file); an instance on a given folder is never spare.
 */
const spares = new Map<string, Promise<VedettaInstance>>();
let moreToCome: (() => boolean) | null = null;

/** Turns spares on: `more()` says whether the current test file has tests left to run. */
export function keepSpareInstances(more: () => boolean): void {
  moreToCome = more;
}

/** Stops the spares nobody took (end of a test file). */
export async function stopSpareInstances(): Promise<void> {
  const left = [...spares.values()];
  spares.clear();
  await Promise.all(left.map((p) => p.then((v) => v.stop(), () => undefined)));
}

export async function startVedetta(opts: StartOptions = {}): Promise<VedettaInstance> {
  if (!moreToCome || opts.dataDir !== undefined) return launch(opts);
  const key = JSON.stringify([opts.env ?? {}, usersKey(opts.users ?? [ADMIN]), opts.team === true]);
  const spare = spares.get(key);
  spares.delete(key);
  const instance = spare ? await spare.catch(() => launch(opts)) : await launch(opts);
  if (moreToCome()) {
    const next = launch(opts);
    // Its failure, if any, is met by whoever takes it (and then starts one afresh).
    next.catch(() => undefined);
    spares.set(key, next);
  }
  return instance;
}

async function launch(opts: StartOptions): Promise<VedettaInstance> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'vedetta-e2e-'));
  prepareDataDir(dataDir, opts.users ?? [ADMIN]);
  const token = `ui-${Math.random().toString(36).slice(2)}`;
  const webhookToken = `wh-${Math.random().toString(36).slice(2)}`;
  const child: ChildProcess = spawn(process.execPath, ['bin/vedetta.mjs', 'serve', '--port', '0', '--data', dataDir, ...(opts.team ? ['--tls-self-signed'] : [])], {
    cwd: repoRoot,
    env: { ...process.env, VEDETTA_TOKEN: token, VEDETTA_WEBHOOK_TOKEN: webhookToken, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));

  const ready = await new Promise<{ url: string; openUrl: string; webhookUrl: string }>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`vedetta serve did not become ready:\n${out}`)), 30_000);
    const onData = (): void => {
      const m = /VEDETTA_READY (\{.*\})/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(JSON.parse(m[1]) as { url: string; openUrl: string; webhookUrl: string });
      }
    };
    child.stdout?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`vedetta serve exited with ${code}:\n${out}`));
    });
  });
  const base = ready.url.replace(/\/?(#.*)?$/, '');
  const ca = opts.team ? readFileSync(join(dataDir, 'tls', 'self-signed.crt'), 'utf8') : null;
  const sessions = new Map<string, string>();
  const rpc = async (op: string, input: unknown, session: string | null): Promise<{ status: number; body: unknown }> => {
    // A team server has no per-run token: the session is the Bearer (as the desktop app sends it).
    if (ca !== null) return httpsJson(`${base}/api/v1/rpc/${op}`, { ca, body: input ?? {}, headers: session ? { authorization: `Bearer ${session}` } : {} });
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    if (session) headers['x-vedetta-session'] = session;
    const res = await fetch(`${base}/api/v1/rpc/${op}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
    return { status: res.status, body: await res.json() };
  };
  const sessionOf = async (user: TestUser = ADMIN): Promise<string> => {
    let session = sessions.get(user.username);
    if (!session) {
      const r = await rpc('auth.signIn', { username: user.username, password: user.password }, null);
      if (r.status !== 200) throw new Error(`auth.signIn ${user.username} → ${r.status}: ${JSON.stringify(r.body)}`);
      session = (r.body as { token: string }).token;
      sessions.set(user.username, session);
    }
    return session;
  };
  const apiAs = async (user: TestUser, op: string, input: unknown): Promise<unknown> => {
    const session = await sessionOf(user);
    const { status, body } = await rpc(op, input, session);
    if (status !== 200) throw new Error(`${op} → ${status}: ${JSON.stringify(body)}`);
    return body;
  };
  return {
    url: base,
    uiUrl: ca !== null ? `${base}/` : `${base}/#token=${token}`,
    openUrl: ready.openUrl,
    webhookUrl: ready.webhookUrl,
    token,
    webhookToken,
    ca,
    dataDir,
    pid: child.pid ?? 0,
    output: () => out,
    exited,
    api: (op, input) => apiAs(ADMIN, op, input),
    apiAs,
    sessionOf,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!opts.dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
        knownUsers.delete(dataDir);
      }
    },
  };
}

export async function postMentions(v: VedettaInstance, body: unknown): Promise<{ status: number; json: unknown }> {
  if (v.ca !== null) {
    const r = await httpsJson(v.webhookUrl, { ca: v.ca, body, headers: { authorization: `Bearer ${v.webhookToken}` } });
    return { status: r.status, json: r.body };
  }
  const res = await fetch(v.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${v.webhookToken}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}
