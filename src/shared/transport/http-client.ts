// The contract over HTTP + WebSocket, for browser mode and tests. Standard fetch and
// WebSocket are injected so this file needs neither the DOM nor Node.
import {
  ApiError,
  ApiErrorSchema,
  isEventName,
  type EventName,
  type EventPayload,
  type OpInput,
  type OpName,
  type OpOutput,
  type VedettaApi,
} from '../contract';
import { RPC_PREFIX, EVENTS_PATH, SESSION_HEADER, TOKEN_QUERY, WS_SESSION_ENDED } from './http-paths';

export interface MinimalWebSocket {
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number }) => void) | null;
  onopen: ((ev: unknown) => void) | null;
  readonly readyState: number;
  send(data: string): void;
  close(): void;
}
export type WebSocketCtor = new (url: string) => MinimalWebSocket;
export type FetchFn = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{
  status: number;
  json(): Promise<unknown>;
}>;

export interface HttpClientOptions {
  /** e.g. http://127.0.0.1:4870 */
  baseUrl: string;
  /** The per-run token of a local server; null on a team server (the session is the key). */
  token: string | null;
  /**
   * A team server's browser page: its session is an HttpOnly cookie the page cannot read, so
   * `session()` only says whether there is one, and a change opens a new event socket whose
   * handshake carries the new cookie.
   */
  cookieSession?: boolean;
  /** The current session token at each call (null before sign-in). */
  session?: () => string | null;
  /**
   * The server closed the event socket because the session it carried ended (signed out
   * elsewhere, "esci ovunque", disabled, expired): the UI signs the person out at once.
   */
  onSessionEnded?: () => void;
  fetch: FetchFn;
  WebSocket: WebSocketCtor;
  /** Called when the event stream drops or comes back, so the UI can say "offline". */
  onConnectionChange?: (connected: boolean) => void;
}

export type HttpClient = VedettaApi & { close(): void; ready: Promise<void> };

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  let socket: MinimalWebSocket | null = null;
  let closed = false;
  let retryMs = 500;
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((r) => (resolveReady = r));

  /** The session the socket was last told of (undefined: nothing said on this socket yet). */
  let told: string | null | undefined;
  /** Events come only for a signed-in session: the socket is told which one, when it changes. */
  const tellSession = (): void => {
    const current = opts.session?.() ?? null;
    if (!socket || socket.readyState !== 1 || current === told) return;
    if (opts.cookieSession) {
      // The first look at a fresh socket: its handshake carried whatever cookie there is.
      const fresh = told === undefined;
      told = current;
      if (!fresh) reopen();
      return;
    }
    socket.send(JSON.stringify({ session: current }));
    told = current;
  };
  /** A new socket at once, the old one let go quietly (no "offline", no planned retry). */
  const reopen = (): void => {
    const old = socket;
    if (old) {
      old.onclose = null;
      old.onmessage = null;
      old.close();
    }
    connect();
  };

  let retry: ReturnType<typeof setTimeout> | null = null;
  const connect = (): void => {
    retry = null;
    if (closed) return;
    const query = opts.token === null ? '' : `?${TOKEN_QUERY}=${encodeURIComponent(opts.token)}`;
    const wsUrl = `${opts.baseUrl.replace(/^http/, 'ws')}${EVENTS_PATH}${query}`;
    const ws = new opts.WebSocket(wsUrl);
    socket = ws;
    ws.onopen = () => {
      retryMs = 500;
      told = undefined;
      tellSession();
      opts.onConnectionChange?.(true);
      resolveReady();
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let msg: unknown;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (typeof msg !== 'object' || msg === null) return;
      const { event, payload } = msg as { event?: unknown; payload?: unknown };
      if (!isEventName(event)) return;
      for (const l of listeners.get(event) ?? []) l(payload);
    };
    ws.onclose = (ev) => {
      if (closed) return;
      if (ev.code === WS_SESSION_ENDED) {
        told = undefined;
        opts.onSessionEnded?.();
      }
      opts.onConnectionChange?.(false);
      // Reconnect with capped backoff: the server may be restarting.
      retry = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };
  connect();

  return {
    ready,
    async call<K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>> {
      tellSession();
      const res = await opts.fetch(`${opts.baseUrl}${RPC_PREFIX}${op}`, {
        method: 'POST',
        headers: sessionHeaders(opts.token, opts.cookieSession ? null : (opts.session?.() ?? null)),
        body: JSON.stringify(input ?? {}),
      });
      const body = await res.json().catch(() => null);
      if (res.status === 200) return body as OpOutput<K>;
      const err = ApiErrorSchema.safeParse((body as { error?: unknown } | null)?.error);
      if (err.success) throw ApiError.fromBody(err.data);
      throw new ApiError('transport.httpStatus', { status: res.status });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    close() {
      closed = true;
      // A reconnection already planned would open a socket nobody closes.
      if (retry) clearTimeout(retry);
      socket?.close();
    },
  };
}

function sessionHeaders(token: string | null, session: string | null): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) h.authorization = `Bearer ${token}`;
  if (session) h[SESSION_HEADER] = session;
  return h;
}
