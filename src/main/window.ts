// Window options and web-contents hardening, kept apart from the Electron entry point so
// tests can check them with stand-ins (Electron itself cannot run on the CI machines).
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { safeHref } from '../shared/links';

/**
 * `debug`: DevTools allowed (VEDETTA_DEBUG=1, or an unpackaged development run). A shipped
 * app has none: they would hand anyone at the keyboard the session and the IPC bridge.
 */
export function windowOptions({ preloadPath, debug = false }: { preloadPath: string; debug?: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Vedetta',
    show: false,
    backgroundColor: '#111418',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // A middle click would ask for a new window; the open handler denies it anyway, and
      // without the event no page code can even try.
      disableBlinkFeatures: 'Auxclick',
      devTools: debug,
    },
  };
}

/**
 * Links leave the app only as the shared link policy allows (src/shared/links.ts): http(s),
 * credentials stripped; no file:, no javascript:, no custom protocol handlers that could
 * start other programs.
 */
export function vetExternalUrl(raw: string): string | null {
  return safeHref(raw);
}

export type OpenExternal = (url: string) => Promise<void> | void;
type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** DevTools only on request: VEDETTA_DEBUG=1, or a development run of the unpackaged app. */
export function devToolsAllowed(env: NodeJS.ProcessEnv, packaged: boolean): boolean {
  return env.VEDETTA_DEBUG === '1' || (!packaged && Boolean(env.ELECTRON_RENDERER_URL));
}

/**
 * The renderer is a single page: any navigation away from it is refused, and http(s)
 * links (from <a href> or window.open) go to the system browser after vetting.
 */
export function hardenWebContents(contents: HardenableContents, openExternal: OpenExternal): void {
  const toBrowser = (url: string): void => {
    const safe = vetExternalUrl(url);
    if (safe) void Promise.resolve(openExternal(safe)).catch(() => {});
  };
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    toBrowser(event.url ?? url);
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
  });
  // Any frame, subframes included (an <iframe> a CSP gap let in, a frame's own links):
  // nothing inside the window navigates anywhere.
  contents.on('will-frame-navigate', (event) => {
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    toBrowser(url);
    return { action: 'deny' };
  });
}

/** No camera, microphone, notifications prompt, geolocation… for any page. */
export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Same policy as the renderer's meta tag (and browser mode's header). */
export { CSP as RENDERER_CSP } from '../server/static';
