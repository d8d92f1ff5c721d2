// The workspace channel between the desktop renderer and main, through the in-process IPC
// stand-in and the real preload bridge: the sender check and the request schema come before the
// controller; the state says local or team; a broken choice file sends the renderer back to the
// choice, with its reason; a first look at a team server shows its fingerprint; confirming it
// stores the pin (checked once more against the server) and restarts the app on it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSenderCheck } from '../../src/main/ipc';
import { CHOICE_FILE, readChoice } from '../../src/main/team/choice-file';
import { createWorkspaceController } from '../../src/main/team/controller';
import { TeamClient } from '../../src/main/team/team-client';
import { registerWorkspaceIpc, sendWorkspaceSignal } from '../../src/main/team/workspace-ipc';
import { createWorkspaceBridge } from '../../src/preload/ipc-client';
import { IPC_WORKSPACE_CHANNEL, type WorkspaceResult } from '../../src/shared/transport/workspace-ipc';
import { makeCert, startFakeTeam, type TestCert } from './support/fake-team-server';
import { createIpcStandIn } from './support/ipc-standin';
import { repoRoot } from './support/app';

const rendererUrl = pathToFileURL(join(repoRoot, 'out/renderer/index.html')).href;
let certA: TestCert;
let certB: TestCert;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  [certA, certB] = await Promise.all([makeCert(), makeCert()]);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(dir: string, team: TeamClient | null = null, existingLocal = false) {
  const ipc = createIpcStandIn(rendererUrl);
  const relaunch = vi.fn();
  const read = readChoice(dir);
  const unregister = registerWorkspaceIpc({
    ipcMain: ipc.ipcMain,
    isTrustedSender: createSenderCheck({ rendererFileUrl: rendererUrl }),
    controller: createWorkspaceController({ dir, read, team, relaunch, existingLocal, connectTimeoutMs: 2_000 }),
  });
  const bridge = createWorkspaceBridge(ipc.ipcRenderer);
  cleanups.push(() => {
    bridge.dispose();
    unregister();
  });
  return { ipc, bridge, relaunch };
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vedetta-wsipc-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

describe('the workspace channel', () => {
  it('answers only our renderer, and only well-formed requests', async () => {
    const { ipc, bridge } = setup(tempDir());
    const call = (msg: unknown, ...more: unknown[]) => ipc.ipcRenderer.invoke(IPC_WORKSPACE_CHANNEL, msg, ...more) as Promise<WorkspaceResult>;
    expect(await bridge.invoke({ action: 'get' })).toMatchObject({ ok: true });
    for (const bad of [{}, { action: 'nuke' }, { action: 'get', extra: 1 }, { action: 'probe' }, { action: 'useTeam', url: 'https://x.example', fingerprint: 'AB' }, { action: 'useTeam', url: 'http://10.0.0.1', fingerprint: null }, null, 'get']) {
      expect(await call(bad), JSON.stringify(bad)).toMatchObject({ ok: false, error: { key: 'team.workspaceMalformed', code: 'invalid' } });
    }
    expect(await call({ action: 'get' }, 'more')).toMatchObject({ ok: false, error: { key: 'team.workspaceMalformed' } });
    for (const url of ['https://evil.example/', 'file:///tmp/other/index.html']) {
      ipc.frame = { url, parent: null };
      expect(await call({ action: 'get' })).toMatchObject({ ok: false, error: { key: 'ipc.untrustedSender', code: 'forbidden' } });
    }
    ipc.frame = { url: rendererUrl, parent: { url: rendererUrl, parent: null } };
    expect(await call({ action: 'useLocal' })).toMatchObject({ ok: false, error: { key: 'ipc.untrustedSender' } });
  });

  it('on the first run: the local workspace, not chosen yet; choosing it stores it and goes on without a restart', async () => {
    const dir = tempDir();
    const { bridge, relaunch } = setup(dir);
    expect(await bridge.invoke({ action: 'get' })).toEqual({ ok: true, value: { chosen: false, choice: { version: 1, kind: 'local' }, problem: null, status: null } });
    expect(await bridge.invoke({ action: 'useLocal' })).toEqual({ ok: true, value: { relaunch: false } });
    expect(readChoice(dir)).toEqual({ kind: 'ok', choice: { version: 1, kind: 'local' } });
    expect(await bridge.invoke({ action: 'get' })).toMatchObject({ ok: true, value: { chosen: true, problem: null } });
    expect(relaunch).not.toHaveBeenCalled();
  });

  it('a local workspace in use before the choice existed stays the choice: nobody is asked again', async () => {
    const { bridge } = setup(tempDir(), null, true);
    expect(await bridge.invoke({ action: 'get' })).toMatchObject({ ok: true, value: { chosen: true, choice: { kind: 'local' }, problem: null } });
  });

  it('a broken choice file: back to the choice, saying why', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, CHOICE_FILE), '{"version":1,"kind":"team","url":');
    const { bridge } = setup(dir);
    expect(await bridge.invoke({ action: 'get' })).toEqual({ ok: true, value: { chosen: false, choice: { version: 1, kind: 'local' }, problem: 'broken', status: null } });
  });

  it('a first look shows the fingerprint; confirming stores the pin and restarts; a swap in between is refused', async () => {
    const dir = tempDir();
    const server = await startFakeTeam(certA);
    cleanups.push(() => server.close());
    const { bridge, relaunch } = setup(dir);
    const probe = await bridge.invoke({ action: 'probe', url: server.url });
    expect(probe).toEqual({ ok: true, value: { url: server.url, fingerprint: certA.fingerprint, announced: certA.fingerprint, publicUrl: server.url, publiclyTrusted: false } });
    // Confirming a fingerprint the server does not present (B) is refused and nothing is stored.
    const wrong = await bridge.invoke({ action: 'useTeam', url: server.url, fingerprint: certB.fingerprint });
    expect(wrong).toMatchObject({ ok: false, error: { key: 'team.pinMismatch', params: { pinned: certB.fingerprint, presented: certA.fingerprint } } });
    expect(readChoice(dir)).toEqual({ kind: 'none' });
    expect(await bridge.invoke({ action: 'useTeam', url: server.url, fingerprint: certA.fingerprint })).toEqual({ ok: true, value: { relaunch: true } });
    const stored = JSON.parse(readFileSync(join(dir, CHOICE_FILE), 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ version: 1, kind: 'team', url: server.url, fingerprint: certA.fingerprint });
    await vi.waitFor(() => expect(relaunch).toHaveBeenCalledTimes(1));
    // Nothing secret went to the server on the way: only the public description was read.
    expect(server.calls).toEqual([]);
  });

  it('an address that is not a team server, or not reachable, is said plainly', async () => {
    const { bridge } = setup(tempDir());
    expect(await bridge.invoke({ action: 'probe', url: 'http://10.1.2.3:4870' })).toMatchObject({ ok: false, error: { key: 'team.badUrl' } });
    const refused = await bridge.invoke({ action: 'probe', url: 'https://127.0.0.1:1' });
    expect(refused).toMatchObject({ ok: false, error: { key: 'team.tlsFailed', params: { reason: 'team.reasonRefused' } } });
    expect((refused as { error: { message: string } }).error.message).toMatch(/nessun server in ascolto/);
  });

  it('in team mode: the state carries the link, and its changes reach the renderer as signals', async () => {
    const server = await startFakeTeam(certA);
    cleanups.push(() => server.close());
    const dir = tempDir();
    const signals: unknown[] = [];
    let sink: Parameters<typeof sendWorkspaceSignal>[0] | null = null;
    const team = new TeamClient({ url: server.url, pin: certA.fingerprint, onStatus: (status) => sink && sendWorkspaceSignal(sink, { kind: 'status', status }) });
    cleanups.push(() => team.close());
    const { ipc, bridge } = setup(dir, team);
    sink = ipc.webContents;
    bridge.onSignal((s) => signals.push(s));
    team.start();
    await vi.waitFor(() => expect(signals).toContainEqual({ kind: 'status', status: expect.objectContaining({ state: 'online' }) as unknown }));
    expect(await bridge.invoke({ action: 'get' })).toMatchObject({ ok: true, value: { chosen: true, choice: { kind: 'team', url: server.url, fingerprint: certA.fingerprint }, status: { state: 'online' } } });
  });
});
