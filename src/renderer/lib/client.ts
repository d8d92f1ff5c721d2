// How the UI reaches the backend: the preload's window.vedetta in Electron, otherwise the
// HTTP + WebSocket client with the per-run token handed over through the URL fragment.
import type { VedettaApi } from '../../shared/contract';
import { createBridgeClient } from '../../shared/transport/bridge-client';
import { createHttpClient, type FetchFn, type WebSocketCtor } from '../../shared/transport/http-client';
import { CODE_FRAGMENT, OPEN_PATH, TEAM_PATH, TOKEN_FRAGMENT } from '../../shared/transport/http-paths';

const TOKEN_KEY = 'vedetta.token';

export type Connection =
  | { kind: 'desktop'; api: VedettaApi; ready: Promise<void>; close(): void }
  | { kind: 'browser'; api: VedettaApi; ready: Promise<void>; close(): void }
  | { kind: 'no-token' }
  | { kind: 'code-spent' };

/**
 * The per-run token of this tab. `#code=…` (what `npm start` and `vedetta serve` hand out) is
 * traded once with the server for the token; `#token=…` (tests, VEDETTA_TOKEN set by hand)
 * is the token itself. Either is kept for this tab only (sessionStorage) and cleared from
 * the address bar so it is not bookmarked, shared or left in history.
 */
export async function takeToken(): Promise<string | 'code-spent' | null> {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  const params = new URLSearchParams(hash);
  const code = params.get(CODE_FRAGMENT);
  const fromHash = params.get(TOKEN_FRAGMENT);
  if (code || fromHash) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  const token = fromHash ?? (code ? await tradeCode(code) : null);
  if (token) {
    try {
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      /* storage disabled: the token still works for this page load */
    }
    return token;
  }
  let kept: string | null = null;
  try {
    kept = sessionStorage.getItem(TOKEN_KEY);
  } catch {
    /* storage disabled */
  }
  // A spent code in a tab that already holds a token (a reload of the launcher's address) is
  // no problem; without one, the gate says why.
  return kept ?? (code ? 'code-spent' : null);
}

async function tradeCode(code: string): Promise<string | null> {
  try {
    const res = await fetch(`${location.origin}${OPEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    if (res.status !== 200) return null;
    const body = (await res.json()) as { token?: unknown };
    return typeof body.token === 'string' && body.token.length > 0 ? body.token : null;
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

/**
 * `session` gives the signed-in person's token at each call (null before sign-in);
 * `onSessionEnded` hears that the server ended it (browser mode: the event socket says so).
 */
export async function connect(onConnectionChange: (online: boolean) => void, session: () => string | null, onSessionEnded: () => void = () => {}): Promise<Connection> {
  if (window.vedetta) {
    onConnectionChange(true);
    return { kind: 'desktop', api: createBridgeClient(window.vedetta, session), ready: Promise.resolve(), close: () => {} };
  }
  // A team server has no per-run token: each person signs in, the session is a cookie.
  const team = await isTeamServer();
  const token = team ? null : await takeToken();
  if (token === 'code-spent') return { kind: 'code-spent' };
  if (!team && !token) return { kind: 'no-token' };
  const client = createHttpClient({
    baseUrl: location.origin,
    token,
    cookieSession: team,
    session,
    fetch: globalThis.fetch.bind(globalThis) as unknown as FetchFn,
    WebSocket: globalThis.WebSocket as unknown as WebSocketCtor,
    onConnectionChange,
    onSessionEnded,
  });
  return { kind: 'browser', api: client, ready: client.ready, close: () => client.close() };
}

/** Asked before anything else; a local server answers 404 (no such path), a team server its identity. */
async function isTeamServer(): Promise<boolean> {
  if (location.protocol !== 'https:') return false;
  try {
    const res = await fetch(`${location.origin}${TEAM_PATH}`, { method: 'GET' });
    if (res.status !== 200) return false;
    const body = (await res.json()) as { workspace?: unknown };
    return body.workspace === 'team';
  } catch {
    return false;
  }
}
