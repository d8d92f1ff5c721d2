// The Electron shell cannot run here (no binary), so its security-relevant parts are
// tested with stand-ins for the electron module: window options, navigation and
// window.open, permission requests, IPC sender and argument checks, safeStorage, and the
// real entry point src/main/index.ts wired to a fake `electron`.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSenderCheck, registerIpc } from '../../src/main/ipc';
import { createSecretStore } from '../../src/main/secret-store';
import { denyAllPermissions, devToolsAllowed, hardenWebContents, vetExternalUrl, windowOptions } from '../../src/main/window';
import { IPC_CALL_CHANNEL, type IpcResult } from '../../src/shared/transport/ipc';
import { openTestApp, repoRoot, tempDir, adminSession } from './support/app';
import { createIpcStandIn } from './support/ipc-standin';

// ── A stand-in for the electron module, recording what main asks of it ───────────────────
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const appListeners = new Map<string, Listener[]>();
  const ipcHandlers = new Map<string, Listener>();
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((r) => (resolveReady = r));

  class FakeWebContents {
    sent: unknown[][] = [];
    listeners = new Map<string, Listener[]>();
    openHandler: Listener | null = null;
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    isDestroyed() {
      return false;
    }
    on(ev: string, l: Listener) {
      this.listeners.set(ev, [...(this.listeners.get(ev) ?? []), l]);
      return this;
    }
    setWindowOpenHandler(h: Listener) {
      this.openHandler = h;
    }
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
    static shown: FakeNotification[] = [];
    constructor(readonly options: { title: string; body: string }) {}
    static isSupported() {
      return true;
    }
    on() {
      return this;
    }
    show() {
      FakeNotification.shown.push(this);
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
  return { electron, appListeners, ipcHandlers, resolveReady, FakeBrowserWindow, FakeWebContents, FakeNotification };
});
vi.mock('electron', () => fake.electron);

// ── Window options and web contents ──────────────────────────────────────────────────────
describe('window options', () => {
  it('isolate and sandbox the renderer', () => {
    const o = windowOptions({ preloadPath: '/app/out/preload/index.cjs' });
    expect(o.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(windowOptions({ preloadPath: '/p', debug: true }).webPreferences?.devTools).toBe(true);
  });

  it('allow DevTools only on request', () => {
    expect(devToolsAllowed({}, true)).toBe(false);
    expect(devToolsAllowed({}, false)).toBe(false);
    expect(devToolsAllowed({ VEDETTA_DEBUG: '1' }, true)).toBe(true);
    expect(devToolsAllowed({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toBe(true);
    expect(devToolsAllowed({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true)).toBe(false);
  });
});

describe('navigation, window.open and permissions', () => {
  const setup = () => {
    const wc = new fake.FakeWebContents();
    const opened: string[] = [];
    hardenWebContents(wc as unknown as WebContents, (u) => void opened.push(u));
    const fire = (ev: string, url: string) => {
      let prevented = false;
      const event = { url, preventDefault: () => (prevented = true) };
      for (const l of wc.listeners.get(ev) ?? []) l(event, url);
      return prevented;
    };
    return { wc, opened, fire };
  };

  it('denies every navigation; http(s) links go to the system browser', async () => {
    const { opened, fire } = setup();
    expect(fire('will-navigate', 'https://example.com/post/1')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'javascript:alert(1)')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-attach-webview', 'about:blank')).toBe(true);
    // A subframe's navigation too, wherever it goes, and it opens nothing.
    expect(fire('will-frame-navigate', 'https://evil.example/frame')).toBe(true);
    expect(fire('will-frame-navigate', 'file:///etc/passwd')).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(opened).toEqual(['https://example.com/post/1']);
  });

  it('denies window.open; vetted http(s) URLs open externally', async () => {
    const { wc, opened } = setup();
    const handler = wc.openHandler!;
    expect(handler({ url: 'https://example.com/x' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'smb://server/share' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'https://user:pw@example.com/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'vedetta://internal' })).toEqual({ action: 'deny' });
    await new Promise((r) => setImmediate(r));
    // Credentials are stripped (src/shared/links.ts): the link opens where it truly goes.
    expect(opened).toEqual(['https://example.com/x', 'https://example.com/']);
  });

  it('vets external URLs', () => {
    expect(vetExternalUrl('http://example.com/a?b=1')).toBe('http://example.com/a?b=1');
    expect(vetExternalUrl('file:///C:/Windows')).toBeNull();
    expect(vetExternalUrl('ms-msdt:/id')).toBeNull();
    expect(vetExternalUrl('not a url')).toBeNull();
    expect(vetExternalUrl(`https://example.com/${'a'.repeat(5000)}`)).toBeNull();
  });

  it('denies every permission request and check', () => {
    const s = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    denyAllPermissions(s as never);
    const request = s.setPermissionRequestHandler.mock.calls[0]![0] as (wc: unknown, p: string, cb: (ok: boolean) => void) => void;
    for (const perm of ['media', 'geolocation', 'notifications', 'openExternal']) {
      const cb = vi.fn();
      request({}, perm, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    const check = s.setPermissionCheckHandler.mock.calls[0]![0] as () => boolean;
    expect(check()).toBe(false);
  });
});

// ── IPC ──────────────────────────────────────────────────────────────────────────────────
describe('IPC registration', () => {
  const rendererUrl = pathToFileURL(join(repoRoot, 'out/renderer/index.html')).href;

  it('answers our renderer and refuses foreign or nested frames', async () => {
    const t = openTestApp('desktop');
    const ipc = createIpcStandIn(rendererUrl);
    const unregister = registerIpc({ ipcMain: ipc.ipcMain, app: t.app, isTrustedSender: createSenderCheck({ rendererFileUrl: rendererUrl }) });
    try {
      const call = (msg: unknown) => ipc.ipcRenderer.invoke(IPC_CALL_CHANNEL, msg) as Promise<IpcResult>;
      expect(await call({ op: 'app.info', input: {} })).toMatchObject({ ok: true, value: { mode: 'desktop' } });
      expect(await call({ op: 'app.info', input: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid' } });

      for (const url of [
        'https://evil.example/',
        'file:///tmp/other/index.html',
        `${rendererUrl.replace('index.html', '')}other.html`,
        'about:blank',
        'devtools://devtools/bundled/inspector.html',
      ]) {
        ipc.frame = { url, parent: null };
        expect(await call({ op: 'app.info', input: {} }), url).toEqual({
          ok: false,
          error: { code: 'forbidden', key: 'ipc.untrustedSender', params: {}, message: 'Chiamata IPC da una pagina non autorizzata.' },
        });
      }
      ipc.frame = { url: rendererUrl, parent: { url: rendererUrl, parent: null } };
      expect(await call({ op: 'app.info', input: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

      ipc.frame = { url: `${rendererUrl}#/inbox`, parent: null };
      expect(await call({ op: 'app.info', input: {} })).toMatchObject({ ok: true });
    } finally {
      unregister();
      t.dispose();
    }
  });

  it('refuses malformed arguments before they reach core', async () => {
    const t = openTestApp('desktop');
    const dispatch = vi.fn(t.app.dispatch);
    const handlers = new Map<string, (e: IpcMainInvokeEvent, ...a: unknown[]) => unknown>();
    const unregister = registerIpc({
      ipcMain: { handle: (c: string, l: never) => void handlers.set(c, l), removeHandler: (c: string) => void handlers.delete(c) } as never,
      app: { dispatch },
      isTrustedSender: createSenderCheck({ rendererFileUrl: rendererUrl }),
    });
    const handler = handlers.get(IPC_CALL_CHANNEL)!;
    const event = { senderFrame: { url: rendererUrl, parent: null } } as unknown as IpcMainInvokeEvent;
    try {
      for (const args of [[], ['app.info'], [{ op: 5, input: {} }], [{ op: 'app.info', input: {}, extra: 1 }], [null], [[]], [{ op: 'app.info', input: {} }, 'more'], [{ op: '', input: {} }], [{ op: 'app.info', input: {}, session: 5 }]]) {
        const res = (await handler(event, ...args)) as IpcResult;
        expect(res, JSON.stringify(args)).toMatchObject({ ok: false, error: { code: 'invalid' } });
      }
      expect(dispatch).not.toHaveBeenCalled();
      // Well-formed envelope but wrong input: core's schema answers, still as data.
      const session = await adminSession(t.app);
      const res = (await handler(event, { op: 'mentions.get', input: { id: 'x' }, session })) as IpcResult;
      expect(res).toMatchObject({ ok: false, error: { code: 'invalid', details: expect.any(Array) as unknown } });
    } finally {
      unregister();
      t.dispose();
    }
  });

  it('trusts the dev server origin only in development', () => {
    const dev = createSenderCheck({ rendererFileUrl: rendererUrl, devServerUrl: 'http://localhost:5173' });
    expect(dev({ url: 'http://localhost:5173/', parent: null } as never)).toBe(true);
    expect(dev({ url: 'http://localhost:5174/', parent: null } as never)).toBe(false);
    const prod = createSenderCheck({ rendererFileUrl: rendererUrl });
    expect(prod({ url: 'http://localhost:5173/', parent: null } as never)).toBe(false);
    expect(prod(null)).toBe(false);
  });
});

describe('secret store', () => {
  it('round-trips and flags the Linux basic_text fallback as weak', () => {
    const s = createSecretStore(fake.electron.safeStorage, 'linux');
    expect(s.status()).toEqual({ available: true, weak: true, backend: 'basic_text' });
    const c = s.encrypt('api-key-123');
    expect(c).not.toContain('api-key-123');
    expect(s.decrypt(c)).toBe('api-key-123');
    expect(createSecretStore({ ...fake.electron.safeStorage, getSelectedStorageBackend: () => 'gnome_libsecret' as const }, 'linux').status().weak).toBe(false);
    expect(createSecretStore(fake.electron.safeStorage, 'darwin').status()).toEqual({ available: true, weak: false, backend: null });
    const none = createSecretStore({ ...fake.electron.safeStorage, isEncryptionAvailable: () => false }, 'win32');
    expect(() => none.encrypt('x')).toThrow(/non disponibile/);
  });
});

// ── The real entry point against the fake electron module ────────────────────────────────
describe('src/main/index.ts', () => {
  const dataDir = tempDir();
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.VEDETTA_DATA_DIR = dataDir;
    process.env.VEDETTA_PORT = '0';
    process.env.VEDETTA_WEBHOOK_TOKEN = 'wh-electron-shell';
    delete process.env.ELECTRON_RENDERER_URL;
    await import('../../src/main/index');
    fake.resolveReady();
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1), { timeout: 10_000 });
  });

  afterAll(() => {
    for (const l of fake.appListeners.get('before-quit') ?? []) l();
    process.env = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens the data folder as userData and takes the single-instance lock', () => {
    expect(fake.electron.app.setPath).toHaveBeenCalledWith('userData', dataDir);
    expect(fake.electron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(fake.electron.app.quit).not.toHaveBeenCalled();
  });

  it('creates a sandboxed, isolated window loading the built renderer', () => {
    const win = fake.FakeBrowserWindow.instances[0]!;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/out[\\/]preload[\\/]index\.cjs$|preload[\\/]index\.cjs$/);
    expect(String(win.loaded)).toMatch(/renderer[\\/]index\.html$/);
  });

  it('denies permissions, sets a CSP header and hardens every web contents', () => {
    const s = fake.electron.session.defaultSession;
    expect(s.setPermissionRequestHandler).toHaveBeenCalled();
    expect(s.setPermissionCheckHandler).toHaveBeenCalled();
    const onHeaders = s.webRequest.onHeadersReceived.mock.calls[0]![0] as (d: unknown, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void;
    let headers: Record<string, string[]> = {};
    onHeaders({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']?.[0]).toContain("script-src 'self'");

    const created = fake.appListeners.get('web-contents-created')![0]!;
    const wc = new fake.FakeWebContents();
    created({}, wc);
    expect(wc.openHandler).not.toBeNull();
    expect(wc.listeners.has('will-navigate')).toBe(true);
  });

  it('serves the contract on vedetta:call to the renderer only, and forwards events', async () => {
    const handler = fake.ipcHandlers.get(IPC_CALL_CHANNEL)!;
    const win = fake.FakeBrowserWindow.instances[0]!;
    const ours = { senderFrame: { url: pathToFileURL(String(win.loaded)).href, parent: null } };
    const info = (await handler(ours, { op: 'app.info', input: {} })) as IpcResult;
    expect(info).toMatchObject({ ok: true, value: { mode: 'desktop', dataDir } });
    // The desktop app also serves the inbound webhook on 127.0.0.1.
    const webhookUrl = (info as { value: { webhookUrl: string } }).value.webhookUrl;
    expect(webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/webhook\/mentions$/);

    const foreign = (await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, { op: 'app.info', input: {} })) as IpcResult;
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const res = await fetch(webhookUrl, {
      method: 'POST',
      headers: { authorization: 'Bearer wh-electron-shell', 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'Shell test', external_id: 'sh-1', text: 'Ciao dal webhook' }),
    });
    expect(res.status).toBe(202);
    await vi.waitFor(() => expect(win.webContents.sent.some(([ch, msg]) => ch === 'vedetta:event' && (msg as { event: string }).event === 'mentions.added')).toBe(true));
  });

  it('announces a crisis that opens with a system notification', async () => {
    const handler = fake.ipcHandlers.get(IPC_CALL_CHANNEL)!;
    const win = fake.FakeBrowserWindow.instances[0]!;
    const ours = { senderFrame: { url: pathToFileURL(String(win.loaded)).href, parent: null } };
    // IPC calls always carry the session: the first run creates the admin, as the UI does.
    const setup = (await handler(ours, { op: 'auth.setup', input: { username: 'admin', displayName: 'Admin', password: 'password-di-prova' }, session: null })) as IpcResult;
    if (!setup.ok) throw new Error(JSON.stringify(setup.error));
    const session = (setup.value as { token: string }).token;
    const call = async (op: string, input: unknown) => {
      const r = (await handler(ours, { op, input, session })) as IpcResult;
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return (r as { value: unknown }).value;
    };
    const brand = (await call('perimeters.brandCreate', { name: 'Brand di prova' })) as { id: number };
    await call('perimeters.themeCreate', { brandId: brand.id, name: 'Capsule ammuffite', query: 'muffa', swot: 'threat', stance: 'sensitive' });
    const info = (await call('app.info', {})) as { webhookUrl: string };
    // After what the earlier tests posted (stream time only moves forward).
    const t0 = Date.now() + 1_000;
    const quiet = Array.from({ length: 60 }, (_, i) => ({ source: 'Shell test', external_id: `nq${i}`, text: `Tutto tranquillo ${i}`, published_at: new Date(t0 + i * 60_000).toISOString() }));
    const burst = Array.from({ length: 10 }, (_, i) => ({ source: 'Shell test', external_id: `nb${i}`, text: 'Muffa nel caffè, che schifo! Vergogna', published_at: new Date(t0 + 3_600_000 + i * 5_000).toISOString() }));
    for (const body of [quiet, burst]) {
      const res = await fetch(info.webhookUrl, {
        method: 'POST',
        headers: { authorization: 'Bearer wh-electron-shell', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(202);
    }
    await vi.waitFor(() => expect(fake.FakeNotification.shown.map((n) => n.options.title)).toEqual(['Crisi aperta']), { timeout: 10_000 });
    expect(fake.FakeNotification.shown[0]!.options.body).toContain('\u2068Capsule ammuffite\u2069');
  });

  it('the built preload, when present, is CommonJS requiring only electron', () => {
    const built = join(repoRoot, 'out/preload/index.cjs');
    if (!existsSync(built)) return; // `npm test` builds first; a bare `vitest run` may not have.
    const code = readFileSync(built, 'utf8');
    expect(code).not.toMatch(/^\s*import\s.+from\s/m);
    expect(code).not.toMatch(/^\s*export\s/m);
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(required).toContain('electron');
    // A sandboxed preload can only require a few built-ins; everything else must be bundled.
    expect(required.filter((r) => !['electron', 'events', 'timers', 'url'].includes(r!))).toEqual([]);
    // The schemas carry codes, not text, and the catalogue is built in a pure call: the
    // preload words nothing, so neither a schema's text nor the CLI's lines are bundled in it.
    expect(code).not.toContain('servono text o title');
    expect(code).not.toContain('Cartella dati:   {dir}');
  });
});
