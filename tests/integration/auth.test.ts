// People from the real CLI, and the session rule at both adapters (HTTP and IPC).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/index';
import { RPC_PREFIX, SESSION_HEADER } from '../../src/shared/transport/http-paths';
import { IPC_CALL_CHANNEL, type IpcResult } from '../../src/shared/transport/ipc';
import { createSenderCheck, registerIpc } from '../../src/main/ipc';
import { openTestApp, repoRoot, tempDir } from './support/app';
import { createIpcStandIn } from './support/ipc-standin';
import { vedetta } from './support/cli';
import { rmSync } from 'node:fs';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe('vedetta users', () => {
  it('adds people with roles (password from VEDETTA_PASSWORD), refuses bad input with exit 2 and duplicates with 1', async () => {
    const data = tempDir();
    cleanups.push(() => rmSync(data, { recursive: true, force: true }));
    const add = await vedetta(['users', 'add', 'Giulia.Legale', '--role', 'legal', '--role', 'manager', '--name', 'Giulia Bianchi', '--data', data], { VEDETTA_PASSWORD: 'una-password-sicura' });
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('giulia.legale');
    const dup = await vedetta(['users', 'add', 'giulia.legale', '--role', 'legal', '--data', data], { VEDETTA_PASSWORD: 'una-password-sicura' });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/già in uso/);
    const short = await vedetta(['users', 'add', 'marco', '--role', 'analyst', '--data', data], { VEDETTA_PASSWORD: 'corta' });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/almeno 10 caratteri/);
    const badRole = await vedetta(['users', 'add', 'marco', '--role', 'capo', '--data', data], { VEDETTA_PASSWORD: 'una-password-sicura' });
    expect(badRole.code).toBe(2);
    const list = await vedetta(['users', 'list', '--format', 'json', '--data', data]);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ username: 'giulia.legale', displayName: 'Giulia Bianchi', roles: ['legal', 'manager'], disabled: false })]);
    expect(list.stdout).not.toContain('scrypt');

    // The person signs in with that password.
    const t = openTestApp('browser', data);
    try {
      const grant = (await t.app.dispatch('auth.signIn', { username: 'giulia.legale', password: 'una-password-sicura' }, { session: null })) as { actor: { roles: string[] } };
      expect(grant.actor.roles).toEqual(['legal', 'manager']);
    } finally {
      t.app.close();
    }
  }, 60_000);
});

describe('adapters always pass the caller', () => {
  it('HTTP: without a session only public ops run; with one the rest does', async () => {
    const t = openTestApp('browser');
    const server = await startServer({ app: t.app, port: 0, token: 'ui-auth-test', webhookToken: 'wh-auth-test' });
    cleanups.push(async () => {
      await server.close();
      t.dispose();
    });
    const rpc = async (op: string, body: unknown, session?: string) => {
      const headers: Record<string, string> = { authorization: 'Bearer ui-auth-test', 'content-type': 'application/json' };
      if (session) headers[SESSION_HEADER] = session;
      const r = await fetch(`${server.url}${RPC_PREFIX}${op}`, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    expect((await rpc('auth.status', {})).body).toEqual({ needsSetup: true, actor: null });
    const denied = await rpc('mentions.list', {});
    expect(denied.status).toBe(401);
    expect(denied.body).toMatchObject({ error: { code: 'unauthorized', message: expect.stringMatching(/entra/) as unknown } });
    const setup = await rpc('auth.setup', { username: 'admin', displayName: 'Admin', password: 'password-di-prova' });
    expect(setup.status).toBe(200);
    const token = setup.body.token as string;
    expect((await rpc('mentions.list', {}, token)).status).toBe(200);
    expect((await rpc('mentions.list', {}, 'x'.repeat(43))).status).toBe(401);
    const wrong = await rpc('auth.signIn', { username: 'admin', password: 'sbagliata' });
    expect(wrong).toMatchObject({ status: 401, body: { error: { message: 'Nome utente o password non corretti.' } } });
    expect(JSON.stringify(wrong.body)).not.toContain('password-di-prova');
  });

  it('IPC: the same rule', async () => {
    const t = openTestApp('desktop');
    const rendererUrl = pathToFileURL(join(repoRoot, 'out/renderer/index.html')).href;
    const ipc = createIpcStandIn(rendererUrl);
    const unregister = registerIpc({ ipcMain: ipc.ipcMain, app: t.app, isTrustedSender: createSenderCheck({ rendererFileUrl: rendererUrl }) });
    cleanups.push(() => {
      unregister();
      t.dispose();
    });
    const call = (op: string, input: unknown, session: string | null = null) => ipc.ipcRenderer.invoke(IPC_CALL_CHANNEL, { op, input, session }) as Promise<IpcResult>;
    expect(await call('sources.list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const setup = await call('auth.setup', { username: 'admin', displayName: 'Admin', password: 'password-di-prova' });
    expect(setup.ok).toBe(true);
    const token = (setup as { value: { token: string } }).value.token;
    expect(await call('sources.list', {}, token)).toEqual({ ok: true, value: [] });
  });
});
