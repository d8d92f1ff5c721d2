// Electron main process, thin: one window, the IPC adapter, and the inbound webhook
// server. Everything testable lives in ./window, ./ipc and ./secret-store.
import { app, BrowserWindow, dialog, ipcMain, Notification, safeStorage, session, shell } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DataDirLockedError, openApp, type CoreApp } from '../app/app';
import { ApiError } from '../shared/contract';
import { renderError, renderText, setErrorLanguage } from '../shared/errors';
import { consoleLogger, timersFromEnv } from '../core/platform';
import { startServer, type RunningServer } from '../server/index';
import { randomToken } from '../server/security';
import { envLanguage, PRODUCT_NAME, resolveDataDir } from '../server/user-data';
import { createSenderCheck, forwardEvents, openMomentIn, openNotificationIn, registerIpc } from './ipc';
import { followWorkspaceLanguage } from './language';
import { notifyCrises, notifyPersonal, notifyReviewers, notifyRiskChanges } from './notify';
import { createSecretStore, createVaultSecretStore } from './secret-store';
import { readChoice, type ChoiceRead } from './team/choice-file';
import { createWorkspaceController } from './team/controller';
import { TeamClient } from './team/team-client';
import { registerWorkspaceIpc, sendWorkspaceSignal } from './team/workspace-ipc';
import { notifyPersonalOverTeam } from './team/team-notify';
import type { WorkspaceChoice } from '../shared/workspace';
import { denyAllPermissions, devToolsAllowed, hardenWebContents, RENDERER_CSP, windowOptions } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const rendererIndex = join(here, '../renderer/index.html');
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const DEFAULT_WEBHOOK_PORT = 4870;

// The CLI and the desktop app must open the same folder; Chromium's own profile lives
// there too, and the single-instance lock is taken in it, so set it before anything else.
app.setName(PRODUCT_NAME);
const dataDir = resolveDataDir(undefined);
mkdirSync(dataDir, { recursive: true });
app.setPath('userData', dataDir);
// Until the workspace's setting is read, a start-up dialog speaks the environment's language.
setErrorLanguage(envLanguage(process.env));

let core: CoreApp | null = null;
let server: RunningServer | null = null;
let mainWindow: BrowserWindow | null = null;
/** The session the window's last call came with: who is signed in there. */
let windowSession: string | null = null;
/** In team mode: the link to the team workspace, in place of a local core app. */
let team: TeamClient | null = null;

export const secretStore = createSecretStore(safeStorage);

// Applies to every web contents ever created, including ones we did not expect.
// Electronegativity cannot see that the URL was vetted by the shared link policy first.
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => shell.openExternal(url))); // eng-disable OPEN_EXTERNAL_JS_CHECK: only URLs vetted by safeHref reach it (hardenWebContents)

if (!app.requestSingleInstanceLock()) {
  // Another Vedetta window owns this data folder; it is brought to the front instead.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', shutdown);
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      // Ours say what to do; anything else (a library's or the system's words) is said as unexpected.
      dialog.showErrorBox(renderError('app.startFailed'), err instanceof ApiError ? err.message : renderError('app.unexpected', { reason: err instanceof Error ? err.message : String(err) }));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  // Which workspace: the local one (the default, and what a missing or broken choice file
  // gives, the renderer then showing the choice) or a team workspace over HTTPS.
  const chosen = readChoice(dataDir);
  if (chosen.kind === 'ok' && chosen.choice.kind === 'team') {
    await startTeam(chosen.choice);
    return;
  }
  const resourcesDir = app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources');
  let coreApp: CoreApp;
  try {
    coreApp = openApp({
      platform: (() => {
        const vaultStore = createVaultSecretStore(safeStorage);
        return { dataDir, resourcesDir, now: () => Date.now(), logger: consoleLogger, timers: timersFromEnv(process.env), ...(vaultStore ? { secretStore: vaultStore } : {}) };
      })(),
      mode: 'desktop',
    });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      // e.g. `vedetta serve` already runs on this folder.
      dialog.showErrorBox(renderError('app.inUse'), err.message);
      app.exit(1);
      return;
    }
    throw err;
  }
  core = coreApp;
  // The process speaks the workspace's language from here on (dialogs, notifications, its log).
  const language = followWorkspaceLanguage(coreApp, process.env);
  await language.refresh();
  coreApp.startSources();

  const s = secretStore.status();
  if (s.weak) consoleLogger.warn('safeStorage uses basic_text: stored credentials are only obfuscated on this system');

  secureSession();
  registerWorkspace(chosen, null, !coreApp.auth.needsSetup());
  registerIpc({
    ipcMain,
    app: coreApp,
    isTrustedSender: trustedSender(),
    log: consoleLogger,
    afterCall: (op, session) => {
      if (op === 'settings.update') void language.refresh();
      // The window's person: whose assignments and notes this desktop announces.
      windowSession = session;
    },
  });

  await startWebhookServer(coreApp);
  createWindow(coreApp);
  // A crisis that opens is announced by the system even when the window is in the background.
  // Notifications speak the workspace's language. Its setting changes only through a call, and
  // in the desktop app only the window can make one (the server's API token is never shown),
  // so following the window's settings.update is enough.
  const locale = (): 'it' | 'en' => language.current();
  notifyCrises({
    app: coreApp,
    Notification,
    locale,
    // The notification links to the moment: the window comes forward showing it.
    onClick: (m) => {
      if (!mainWindow) return;
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
      openMomentIn(mainWindow.webContents, m.id);
    },
  });
  // The next reviewer of a response hears it from the system too.
  notifyReviewers({
    app: coreApp,
    Notification,
    locale,
    onClick: () => {
      if (!mainWindow) return;
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    },
  });
  // An assignment or a note for the person signed in on the window, announced to them only.
  notifyPersonal({
    app: coreApp,
    Notification,
    locale,
    userId: () => (windowSession ? (coreApp.auth.peek(windowSession)?.userId ?? null) : null),
    onClick: (n) => {
      if (!mainWindow) return;
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
      openNotificationIn(mainWindow.webContents, n);
    },
  });
  // A moment changing risk area is announced the same way.
  notifyRiskChanges({
    app: coreApp,
    Notification,
    locale,
    onClick: () => {
      if (!mainWindow) return;
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    },
  });
}

function secureSession(): void {
  denyAllPermissions(session.defaultSession);
  if (!devServerUrl) {
    // The built index.html carries the same policy as a meta tag; the header also covers
    // responses the meta tag cannot (and frame-ancestors). The dev server needs Vite's
    // injected styles and HMR, so it is left to the meta tag.
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
    });
  }
}

const trustedSender = () => createSenderCheck({ rendererFileUrl: pathToFileURL(rendererIndex).href, devServerUrl });

/** The workspace channel: which workspace is open, the first look at a team server, a new choice. */
function registerWorkspace(read: ChoiceRead, link: TeamClient | null, existingLocal = false): void {
  registerWorkspaceIpc({
    ipcMain,
    isTrustedSender: trustedSender(),
    log: consoleLogger,
    controller: createWorkspaceController({
      dir: dataDir,
      read,
      existingLocal,
      team: link,
      relaunch: () => {
        app.relaunch();
        app.exit(0);
      },
    }),
  });
}

/**
 * Team mode: no local database, sources or webhook server here (the team server has them);
 * the renderer's calls go to the team server through the TeamClient, with the same sender and
 * argument checks, and its events come back on the same channel, so the UI is the same.
 */
async function startTeam(choice: Extract<WorkspaceChoice, { kind: 'team' }>): Promise<void> {
  const link = new TeamClient({
    url: choice.url,
    pin: choice.fingerprint,
    log: consoleLogger,
    onStatus: (status) => {
      if (mainWindow) sendWorkspaceSignal(mainWindow.webContents, { kind: 'status', status });
    },
    onSessionEnded: () => {
      if (mainWindow) sendWorkspaceSignal(mainWindow.webContents, { kind: 'sessionEnded' });
    },
  });
  team = link;
  secureSession();
  registerWorkspace({ kind: 'ok', choice }, link);
  registerIpc({ ipcMain, app: link, isTrustedSender: trustedSender(), log: consoleLogger });
  link.start();
  createWindow(link);
  // The process speaks the environment's language: the workspace's setting needs a session,
  // which only the window holds.
  const locale = (): 'it' | 'en' => envLanguage(process.env);
  const bringForward = (): void => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  };
  notifyCrises({
    app: link,
    Notification,
    locale,
    onClick: (m) => {
      bringForward();
      if (mainWindow) openMomentIn(mainWindow.webContents, m.id);
    },
  });
  // On a team, only the person whose role is next hears it (signed out: nobody on this desktop).
  notifyReviewers({ app: link, Notification, locale, roles: () => link.actor()?.roles ?? [], onClick: bringForward });
  // An assignment or a note for the person signed in here, read with their session.
  notifyPersonalOverTeam({
    link,
    Notification,
    locale,
    log: consoleLogger,
    onClick: (n) => {
      bringForward();
      if (mainWindow) openNotificationIn(mainWindow.webContents, n);
    },
  });
  notifyRiskChanges({ app: link, Notification, locale, onClick: bringForward });
}

function createWindow(coreApp: Pick<CoreApp, 'events'>): void {
  // The options come from windowOptions(), which Electronegativity cannot read through:
  // contextIsolation and sandbox on, Auxclick off there, asserted by electron-shell.test.ts.
  const win = new BrowserWindow(windowOptions({ preloadPath, debug: devToolsAllowed(process.env, app.isPackaged) })); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
  mainWindow = win;
  const stopEvents = forwardEvents(coreApp, win.webContents);
  win.on('closed', () => {
    stopEvents();
    mainWindow = null;
  });
  win.once('ready-to-show', () => win.show());
  // A form with unsaved edits holds the close or reload (the page's beforeunload): Electron
  // would then do nothing at all, so the person is asked, in the workspace's language.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      message: renderText('desktop.unsaved.message'),
      detail: renderText('desktop.unsaved.detail'),
      buttons: [renderText('desktop.unsaved.leave'), renderText('desktop.unsaved.stay')],
      defaultId: 1,
      cancelId: 1,
    });
    // Preventing this event lets the unload go ahead.
    if (choice === 0) event.preventDefault();
  });
  // A page that fails to load (a missing build, the dev server gone) leaves the reason in the log.
  const loading = devServerUrl ? win.loadURL(devServerUrl) : win.loadFile(rendererIndex);
  loading.catch((err: unknown) => consoleLogger.error('window: the UI did not load', { error: err instanceof Error ? err.message : String(err) }));
}

/**
 * The inbound webhook is a public integration point, so the desktop app serves it too, on
 * 127.0.0.1 only. VEDETTA_WEBHOOK=off turns it off; VEDETTA_PORT picks the port (busy →
 * a free one). Its keys are made by an administrator in Impostazioni → Webhook;
 * VEDETTA_WEBHOOK_TOKEN fixes one more at each start.
 */
async function startWebhookServer(coreApp: CoreApp): Promise<void> {
  if (process.env.VEDETTA_WEBHOOK === 'off') return;
  const webhookToken = process.env.VEDETTA_WEBHOOK_TOKEN || undefined;
  // The UI talks over IPC; this token only exists because the server always requires one.
  const token = randomToken();
  const wanted = Number(process.env.VEDETTA_PORT ?? DEFAULT_WEBHOOK_PORT);
  try {
    server = await startServer({ app: coreApp, port: wanted, token, ...(webhookToken ? { webhookToken } : {}) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    consoleLogger.warn(`port ${wanted} busy, webhook on a free port`);
    server = await startServer({ app: coreApp, port: 0, token, ...(webhookToken ? { webhookToken } : {}) });
  }
  // No token is printed: an administrator makes the keys in Impostazioni → Webhook.
  consoleLogger.info(`webhook: POST ${server.webhookUrl} (chiavi: Impostazioni → Webhook)`);
}

function shutdown(): void {
  const srv = server;
  server = null;
  void srv?.close();
  team?.close();
  team = null;
  core?.close();
  core = null;
}
