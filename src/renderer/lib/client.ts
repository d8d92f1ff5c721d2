// How the UI reaches the backend: the preload's window.vedetta in Electron, otherwise the
// HTTP + WebSocket client with the per-run token handed over in the URL fragment.
import type { VedettaApi } from '../../shared/contract';
import { createBridgeClient } from '../../shared/transport/bridge-client';
import { createHttpClient, type FetchFn, type WebSocketCtor } from '../../shared/transport/http-client';
import { TOKEN_FRAGMENT } from '../../shared/transport/http-paths';

const TOKEN_KEY = 'vedetta.token';

export type Connection =
  | { kind: 'desktop'; api: VedettaApi; ready: Promise<void>; close(): void }
  | { kind: 'browser'; api: VedettaApi; ready: Promise<void>; close(): void }
  | { kind: 'no-token' };

/**
 * Take the token from `#token=…`, keep it for this tab only (sessionStorage) and clear it
 * from the address bar so it is not bookmarked, shared or left in history.
 */
export function takeToken(): string | null {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  const fromHash = new URLSearchParams(hash).get(TOKEN_FRAGMENT);
  if (fromHash) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromHash);
    } catch {
      /* storage disabled: the token still works for this page load */
    }
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* nothing stored */
  }
}

/** `session` gives the signed-in person's token at each call (null before sign-in). */
export function connect(onConnectionChange: (online: boolean) => void, session: () => string | null): Connection {
  if (window.vedetta) {
    onConnectionChange(true);
    return { kind: 'desktop', api: createBridgeClient(window.vedetta, session), ready: Promise.resolve(), close: () => {} };
  }
  const token = takeToken();
  if (!token) return { kind: 'no-token' };
  const client = createHttpClient({
    baseUrl: location.origin,
    token,
    session,
    fetch: globalThis.fetch.bind(globalThis) as unknown as FetchFn,
    WebSocket: globalThis.WebSocket as unknown as WebSocketCtor,
    onConnectionChange,
  });
  return { kind: 'browser', api: client, ready: client.ready, close: () => client.close() };
}
