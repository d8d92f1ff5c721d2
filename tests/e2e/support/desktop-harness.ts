// The desktop renderer in Chromium, without Electron (its binary cannot run here): the built
// renderer is served from 127.0.0.1, and a stand-in `window.vedetta` — the same shape the
// preload exposes — carries its calls to the real main-side modules in this process (the
// contract's and the workspace's IPC handlers, through the in-process IPC stand-in and the
// real preload bridges). Main's pushes (events, the workspace's signals) come back the same way.
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createIpcBridge, createWorkspaceBridge } from '../../../src/preload/ipc-client';
import { IPC_EVENT_CHANNEL } from '../../../src/shared/transport/ipc';
import type { WorkspaceRequest } from '../../../src/shared/workspace';
import { createIpcStandIn, type IpcStandIn } from '../../integration/support/ipc-standin';
import { openBrowser, type BrowserSession } from './browser';

export const repoRoot = join(import.meta.dirname, '../../..');
/** The built renderer (`npx electron-vite build`); VEDETTA_TEST_RENDERER points at another build. */
export const rendererDir = process.env.VEDETTA_TEST_RENDERER ?? join(repoRoot, 'out/renderer');
/** What main's sender check trusts: the built index.html, as in the packaged app. */
export const rendererFileUrl = pathToFileURL(join(rendererDir, 'index.html')).href;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.woff2': 'font/woff2' };

async function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
    const file = join(rendererDir, path === '/' ? 'index.html' : path);
    try {
      if (!file.startsWith(rendererDir) || !statSync(file).isFile()) throw new Error('no');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The page's side: what the preload would expose, forwarding to the bindings below. */
function installBridge(): void {
  type Listener = (payload: unknown) => void;
  const listeners = new Map<string, Set<Listener>>();
  const signals = new Set<Listener>();
  const w = window as unknown as Record<string, unknown>;
  w.__vedettaEmit = (msg: { event: string; payload: unknown }) => {
    for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
  };
  w.__vedettaSignal = (msg: unknown) => {
    for (const l of signals) l(msg);
  };
  const call = w.__vedettaCall as (op: string, input: unknown, session: string | null) => Promise<unknown>;
  const ws = w.__vedettaWorkspace as (req: unknown) => Promise<unknown>;
  w.vedetta = {
    invoke: (op: string, input: unknown, session?: string | null) => call(op, input, session ?? null),
    on: (event: string, l: Listener) => {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(l);
      return () => set.delete(l);
    },
    workspace: {
      invoke: (req: unknown) => ws(req),
      onSignal: (l: Listener) => {
        signals.add(l);
        return () => signals.delete(l);
      },
    },
  };
}

export interface DesktopWindow {
  b: BrowserSession;
  /** Main's side: register the handlers on `ipc.ipcMain`, push on `ipc.webContents`. */
  ipc: IpcStandIn;
  /** A fresh main process (after a relaunch): a new stand-in, the page reloaded on it. */
  relaunch(register: (ipc: IpcStandIn) => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the desktop renderer; `register` wires main's handlers on the stand-in before the page
 * loads (as main does before the window is created).
 */
export async function openDesktop(register: (ipc: IpcStandIn) => void): Promise<DesktopWindow> {
  const site = await serveRenderer();
  const b = await openBrowser('about:blank');
  let ipc = createIpcStandIn(rendererFileUrl);
  let bridge = createIpcBridge(ipc.ipcRenderer);
  let workspace = createWorkspaceBridge(ipc.ipcRenderer);
  const wire = (): void => {
    // Main's pushes reach the page as the preload's listeners would hand them on.
    ipc.ipcRenderer.on(IPC_EVENT_CHANNEL, (_e, msg) => void b.page.evaluate((m) => (window as unknown as { __vedettaEmit(m: unknown): void }).__vedettaEmit(m), msg).catch(() => {}));
    workspace.onSignal((msg) => void b.page.evaluate((m) => (window as unknown as { __vedettaSignal(m: unknown): void }).__vedettaSignal(m), msg).catch(() => {}));
  };
  register(ipc);
  wire();
  await b.page.exposeFunction('__vedettaCall', (op: string, input: unknown, session: string | null) => bridge.invoke(op, input, session));
  await b.page.exposeFunction('__vedettaWorkspace', (req: WorkspaceRequest) => workspace.invoke(req));
  await b.page.addInitScript(installBridge);
  await b.page.goto(site.url);
  return {
    b,
    get ipc() {
      return ipc;
    },
    async relaunch(registerAgain) {
      bridge.dispose();
      workspace.dispose();
      ipc.destroy();
      ipc = createIpcStandIn(rendererFileUrl);
      bridge = createIpcBridge(ipc.ipcRenderer);
      workspace = createWorkspaceBridge(ipc.ipcRenderer);
      registerAgain(ipc);
      wire();
      await b.page.reload();
    },
    async close() {
      bridge.dispose();
      workspace.dispose();
      await b.close();
      await site.close();
    },
  };
}
