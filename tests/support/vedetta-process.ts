// Starts the real `vedetta serve` CLI on a fresh data folder and a random port, and waits
// for the line it announces when ready. Every E2E test gets its own instance.
import { spawn, type ChildProcess } from 'node:child_process';
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
  /** Resolves when the process has ended, by exit code or by signal (a SIGKILL in fault tests). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Calls a contract operation over HTTP as the UI does; throws on an error answer. */
  api(op: string, input: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

const repoRoot = resolve(import.meta.dirname, '../..');

export async function startVedetta(opts: { dataDir?: string; env?: Record<string, string> } = {}): Promise<VedettaInstance> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'vedetta-e2e-'));
  const token = `ui-${Math.random().toString(36).slice(2)}`;
  const webhookToken = `wh-${Math.random().toString(36).slice(2)}`;
  const child: ChildProcess = spawn(process.execPath, ['bin/vedetta.mjs', 'serve', '--port', '0', '--data', dataDir], {
    cwd: repoRoot,
    env: { ...process.env, VEDETTA_TOKEN: token, VEDETTA_WEBHOOK_TOKEN: webhookToken, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
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
  return {
    url: base,
    uiUrl: `${base}/#token=${token}`,
    webhookUrl: ready.webhookUrl,
    token,
    webhookToken,
    dataDir,
    pid: child.pid ?? 0,
    output: () => out,
    exited,
    async api(op, input) {
      const res = await fetch(`${base}/api/v1/rpc/${op}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
      const body: unknown = await res.json();
      if (res.status !== 200) throw new Error(`${op} → ${res.status}: ${JSON.stringify(body)}`);
      return body;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
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
