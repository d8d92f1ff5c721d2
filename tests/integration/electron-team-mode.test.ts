// The real entry point src/main/index.ts, against a stand-in `electron` module (its binary
// cannot run here), started with a team workspace chosen in userData: no local database is
// opened, the renderer's calls go to the team server with the session as Bearer (the sender
// check still first), its events reach the window on the usual channel, the link's state on
// the workspace channel, and choosing the local workspace restarts the app on it.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHOICE_FILE } from '../../src/main/team/choice-file';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type IpcResult } from '../../src/shared/transport/ipc';
import { IPC_WORKSPACE_CHANNEL, IPC_WORKSPACE_SIGNAL_CHANNEL, type WorkspaceResult } from '../../src/shared/transport/workspace-ipc';
import { tempDir } from './support/app';
import { makeCert, startFakeTeam, type FakeTeam } from './support/fake-team-server';

const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const appListeners = new Map<string, Listener[]>();
  const ipcHandlers = new Map<string, Listener>();
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((r) => (resolveReady = r));
  class FakeWebContents {
    sent: unknown[][] = [];
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    isDestroyed() {
      return false;
    }
    on() {
      return this;
    }
    setWindowOpenHandler() {}
  }
  class FakeBrowserWindow {
    static instances: FakeBrowserWindow[] = [];
    webContents = new FakeWebContents();
    loaded: string | null = null;
    constructor(readonly options: Record<string, unknown>) {
      FakeBrowserWindow.instances.push(this);
    }
    on() {
      return this;
    }
    once() {
      return this;
    }
    async loadFile(f: string) {
      this.loaded = f;
    }
    async loadURL(u: string) {
      this.loaded = u;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
    show() {}
  }
  class FakeNotification {
    static shown: { title: string; body: string }[] = [];
    constructor(readonly options: { title: string; body: string }) {}
    static isSupported() {
      return true;
    }
    on() {
      return this;
    }
    show() {
      FakeNotification.shown.push(this.options);
    }
  }
  const electron = {
    Notification: FakeNotification,
    app: {
      isPackaged: false,
      setName: vi.fn(),
      setPath: vi.fn(),
      getAppPath: vi.fn(() => process.cwd()),
      requestSingleInstanceLock: vi.fn(() => true),
      on: vi.fn((ev: string, l: Listener) => {
        appListeners.set(ev, [...(appListeners.get(ev) ?? []), l]);
      }),
      quit: vi.fn(),
      exit: vi.fn(),
      relaunch: vi.fn(),
      whenReady: vi.fn(() => ready),
    },
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: vi.fn((ch: string, l: Listener) => void ipcHandlers.set(ch, l)),
      removeHandler: vi.fn((ch: string) => void ipcHandlers.delete(ch)),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        webRequest: { onHeadersReceived: vi.fn() },
      },
    },
    shell: { openExternal: vi.fn(async () => {}) },
    dialog: { showErrorBox: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(`enc:${s}`),
      decryptString: (b: Buffer) => b.toString().replace(/^enc:/, ''),
      getSelectedStorageBackend: () => 'basic_text' as const,
    },
  };
  return { electron, appListeners, ipcHandlers, resolveReady, FakeBrowserWindow, FakeNotification };
});
vi.mock('electron', () => fake.electron);

describe('src/main/index.ts on a team workspace', () => {
  const dataDir = tempDir();
  const saved = { ...process.env };
  let server: FakeTeam;
  let fingerprint: string;
  const note = (id: number, title: string) => ({ id, kind: 'assigned', subject: { kind: 'moment', id: 7 }, title, by: { id: 3, displayName: 'Marco' }, at: id, read: false });
  /** Giulia's notifications on the server: one there before she signed in on this desktop. */
  const notes = [note(1, 'Vecchia crisi')];

  beforeAll(async () => {
    const cert = await makeCert();
    fingerprint = cert.fingerprint;
    server = await startFakeTeam(cert);
    server.handlers.set('notifications.list', () => ({ status: 200, body: { items: notes, unread: notes.filter((n) => !n.read).length } }));
    writeFileSync(join(dataDir, CHOICE_FILE), JSON.stringify({ version: 1, kind: 'team', url: server.url, fingerprint }));
    process.env.VEDETTA_DATA_DIR = dataDir;
    process.env.VEDETTA_PORT = '0';
    delete process.env.ELECTRON_RENDERER_URL;
    await import('../../src/main/index');
    fake.resolveReady();
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1), { timeout: 10_000 });
  });

  afterAll(async () => {
    for (const l of fake.appListeners.get('before-quit') ?? []) l();
    process.env = saved;
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ours = () => ({ senderFrame: { url: pathToFileURL(String(fake.FakeBrowserWindow.instances[0]!.loaded)).href, parent: null } });

  it('opens no local workspace: no database in the data folder', () => {
    expect(existsSync(join(dataDir, 'vedetta.db'))).toBe(false);
    expect(fake.electron.dialog.showErrorBox).not.toHaveBeenCalled();
  });

  it('forwards the renderer calls to the team server with the session as Bearer, after the same sender check', async () => {
    const handler = fake.ipcHandlers.get(IPC_CALL_CHANNEL)!;
    const status = (await handler(ours(), { op: 'auth.status', input: {}, session: 'tok-giulia' })) as IpcResult;
    expect(status).toMatchObject({ ok: true, value: { actor: { username: 'giulia' } } });
    expect(server.calls.at(-1)).toMatchObject({ op: 'auth.status', authorization: 'Bearer tok-giulia', origin: null });
    const n = server.calls.length;
    const foreign = (await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, { op: 'auth.status', input: {}, session: 'tok-giulia' })) as IpcResult;
    expect(foreign).toMatchObject({ ok: false, error: { key: 'ipc.untrustedSender' } });
    const malformed = (await handler(ours(), { op: 'auth.status', input: {}, session: 5 })) as IpcResult;
    expect(malformed).toMatchObject({ ok: false, error: { key: 'ipc.malformed' } });
    expect(server.calls.length).toBe(n);
  });

  it("pushes the server's events and the link's state to the window", async () => {
    const win = fake.FakeBrowserWindow.instances[0]!;
    await vi.waitFor(() => expect(server.sockets()).toHaveLength(1));
    server.emit('sources.changed', {});
    await vi.waitFor(() => expect(win.webContents.sent).toContainEqual([IPC_EVENT_CHANNEL, { event: 'sources.changed', payload: {} }]));
    const signals = win.webContents.sent.filter(([ch]) => ch === IPC_WORKSPACE_SIGNAL_CHANNEL).map(([, s]) => s as { kind: string; status?: { state: string } });
    expect(signals.some((s) => s.kind === 'status' && s.status?.state === 'online')).toBe(true);
    const ws = fake.ipcHandlers.get(IPC_WORKSPACE_CHANNEL)!;
    const state = (await ws(ours(), { action: 'get' })) as WorkspaceResult;
    expect(state).toMatchObject({ ok: true, value: { chosen: true, choice: { kind: 'team', url: server.url, fingerprint }, status: { state: 'online', pinned: fingerprint } } });
  });

  it("tells the person signed in here of a response waiting for their role only (the team's others are not this desktop's)", async () => {
    // Giulia (legal) is signed in on this window (her auth.status above).
    await vi.waitFor(() => expect(server.sockets()).toHaveLength(1));
    server.emit('responses.changed', { id: 1, next: { role: 'owner', kind: 'owner', title: 'Risposta sulla muffa', dueAt: null } });
    server.emit('responses.changed', { id: 2, next: { role: 'legal', kind: 'legal', title: 'Risposta sul lotto', dueAt: null } });
    await vi.waitFor(() => expect(fake.FakeNotification.shown.map((n) => n.title)).toEqual(['Risposta da approvare: revisione legale']));
  });

  it('tells her of a new assignment, read with her session; what was there before, and others\' news, stay quiet', async () => {
    await vi.waitFor(() => expect(server.calls.some((c) => c.op === 'notifications.list' && c.authorization === 'Bearer tok-giulia')).toBe(true));
    const before = fake.FakeNotification.shown.length;
    notes.unshift(note(2, 'Muffa nelle capsule'));
    server.emit('notifications.changed', { userIds: [3] });
    server.emit('notifications.changed', { userIds: [2] });
    await vi.waitFor(() => expect(fake.FakeNotification.shown.length).toBe(before + 1));
    expect(fake.FakeNotification.shown.at(-1)!.body).toContain('Muffa nelle capsule');
    expect(fake.FakeNotification.shown.at(-1)!.body).toContain('Marco');
    expect(fake.FakeNotification.shown.some((n) => n.body.includes('Vecchia crisi'))).toBe(false);
    // Heard again (read elsewhere, say): not shown twice.
    server.emit('notifications.changed', { userIds: [2] });
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.FakeNotification.shown.length).toBe(before + 1);
  });

  it('choosing the local workspace stores it and restarts the app on it', async () => {
    const ws = fake.ipcHandlers.get(IPC_WORKSPACE_CHANNEL)!;
    expect(await ws(ours(), { action: 'useLocal' })).toEqual({ ok: true, value: { relaunch: true } });
    await vi.waitFor(() => expect(fake.electron.app.relaunch).toHaveBeenCalledTimes(1));
    expect(fake.electron.app.exit).toHaveBeenCalledWith(0);
  });
});
