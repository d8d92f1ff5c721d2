// Starts the real `vedetta serve` CLI on a fresh data folder and a random port, and waits
// for the line it announces when ready. Every E2E test gets its own instance.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface VedettaInstance {
  url: string;
  uiUrl: string;
  webhookUrl: string;
  token: string;
  webhookToken: string;
  dataDir: string;
  pid: number;
  output: () => string;
  /** Calls a contract operation over HTTP as the UI does, signed in as ADMIN; throws on an error answer. */
  api(op: string, input: unknown): Promise<unknown>;
  /** The same as a given person (signs in on first use). */
  apiAs(user: TestUser, op: string, input: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

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

export async function startVedetta(opts: { dataDir?: string; env?: Record<string, string>; users?: readonly TestUser[] } = {}): Promise<VedettaInstance> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'vedetta-e2e-'));
  addUsers(dataDir, opts.users ?? [ADMIN]);
  const token = `ui-${Math.random().toString(36).slice(2)}`;
  const webhookToken = `wh-${Math.random().toString(36).slice(2)}`;
  const child: ChildProcess = spawn(process.execPath, ['bin/vedetta.mjs', 'serve', '--port', '0', '--data', dataDir], {
    cwd: repoRoot,
    env: { ...process.env, VEDETTA_TOKEN: token, VEDETTA_WEBHOOK_TOKEN: webhookToken, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));

  const ready = await new Promise<{ url: string; webhookUrl: string }>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`vedetta serve did not become ready:\n${out}`)), 30_000);
    const onData = (): void => {
      const m = /VEDETTA_READY (\{.*\})/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(JSON.parse(m[1]) as { url: string; webhookUrl: string });
      }
    };
    child.stdout?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`vedetta serve exited with ${code}:\n${out}`));
    });
  });
  const base = ready.url.replace(/\/?(#.*)?$/, '');
  const sessions = new Map<string, string>();
  const rpc = async (op: string, input: unknown, session: string | null): Promise<{ status: number; body: unknown }> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    if (session) headers['x-vedetta-session'] = session;
    const res = await fetch(`${base}/api/v1/rpc/${op}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
    return { status: res.status, body: await res.json() };
  };
  const apiAs = async (user: TestUser, op: string, input: unknown): Promise<unknown> => {
    let session = sessions.get(user.username);
    if (!session) {
      const r = await rpc('auth.signIn', { username: user.username, password: user.password }, null);
      if (r.status !== 200) throw new Error(`auth.signIn ${user.username} → ${r.status}: ${JSON.stringify(r.body)}`);
      session = (r.body as { token: string }).token;
      sessions.set(user.username, session);
    }
    const { status, body } = await rpc(op, input, session);
    if (status !== 200) throw new Error(`${op} → ${status}: ${JSON.stringify(body)}`);
    return body;
  };
  return {
    url: base,
    uiUrl: `${base}/#token=${token}`,
    webhookUrl: ready.webhookUrl,
    token,
    webhookToken,
    dataDir,
    pid: child.pid ?? 0,
    output: () => out,
    api: (op, input) => apiAs(ADMIN, op, input),
    apiAs,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postMentions(v: VedettaInstance, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(v.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${v.webhookToken}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}
