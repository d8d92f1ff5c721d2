// The event socket: GET /api/v1/events?token=<per-run token>, upgraded to a WebSocket that
// carries every app event to a client signed in. The per-run token opens it; the client then
// says which session it carries (`{"session": "…"}`, again whenever it changes) and gets
// events only while that session lasts. When it ends (signed out, "esci ovunque", the person
// disabled, expired) the socket is closed with WS_SESSION_ENDED and the page signs out.
// A client that falls `maxBuffered` behind is dropped: it reconnects and reloads its view.
// On a team server there is no per-run token: the handshake's cookie or Bearer session opens
// the socket, which carries that session from the start (a message may still change it).
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { CoreApp } from '../app/app';
import type { Actor } from '../shared/auth';
import { ApiError } from '../shared/contract';
import { COOKIE_SESSION, EVENTS_PATH, TOKEN_QUERY, WS_SESSION_ENDED } from '../shared/transport/http-paths';
import { hostAllowed, originAllowed, tokensEqual } from './security';

const WS_PING_MS = 30_000;
/**
 * Events are sent in small batches: what the app says within this window goes out together,
 * and adjacent events of one name that carry only `items` (mentions.added at a webhook's pace)
 * become one. At 500 mentions/s to 50 clients that is ~5,000 frames/s instead of 25,000, each
 * encrypted once per client on a team server; the window costs at most this much latency.
 */
const COALESCE_MS = 10;

export interface EventSocketOptions {
  app: CoreApp;
  /** The per-run token that opens the socket; null on a team server. */
  token: string | null;
  /** Team server: the session the handshake carries (cookie or Bearer), which opens the socket. */
  handshakeSession: ((req: IncomingMessage) => string | null) | null;
  /** The scheme of our own Origin. */
  scheme: 'http:' | 'https:';
  /** The Host names allowed (known once the server listens). */
  hosts: () => Set<string>;
  /** How far a socket may fall behind before it is dropped. */
  maxBuffered: number;
}

export function attachEventSocket(server: Server, o: EventSocketOptions): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  /** The session each socket carries, once its client has said it. */
  const sessions = new WeakMap<WebSocket, { token: string; actor: Actor }>();
  const endSocket = (ws: WebSocket): void => {
    sessions.delete(ws);
    ws.close(WS_SESSION_ENDED, 'session ended');
  };
  const recheckSessions = (): void => {
    for (const ws of wss.clients) {
      const s = sessions.get(ws);
      if (s && !o.app.auth.peek(s.token)) endSocket(ws);
    }
  };
  const stopSessionWatch = o.app.auth.onSessionsEnded(recheckSessions);
  const takeSessionMessage = (ws: WebSocket, data: unknown): void => {
    let msg: unknown;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null || !('session' in msg)) return;
    const token = (msg as { session: unknown }).session;
    if (token === null) {
      sessions.delete(ws);
      return;
    }
    // "My cookie": the handshake already said which session (a page cannot read its cookie).
    if (token === COOKIE_SESSION) return;
    bindSession(ws, token);
  };
  const bindSession = (ws: WebSocket, token: unknown): void => {
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) return;
    const actor = o.app.auth.peek(token);
    if (!actor) return endSocket(ws);
    sessions.set(ws, { token, actor });
    // Said back, so a client may wait until its events flow (the UI's client ignores it).
    ws.send(JSON.stringify({ session: 'ok' }));
  };

  const refuseUpgrade = (socket: Duplex, status: number, reason: ApiError): void => {
    const body = JSON.stringify({ error: reason.toBody() });
    socket.end(
      `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Forbidden'}\r\n` +
        'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    socket.destroy();
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const [pathname, query = ''] = (req.url ?? '/').split('?');
    if (pathname !== EVENTS_PATH) return refuseUpgrade(socket, 404, new ApiError('server.unknownPath'));
    if (!hostAllowed(req, o.hosts())) return refuseUpgrade(socket, 403, new ApiError('server.hostRefused'));
    if (!originAllowed(req, o.hosts(), o.scheme)) return refuseUpgrade(socket, 403, new ApiError('server.originRefused'));
    if (o.token !== null && !tokensEqual(new URLSearchParams(query).get(TOKEN_QUERY), o.token)) {
      return refuseUpgrade(socket, 401, new ApiError('server.badToken'));
    }
    // A stale cookie (a page reloaded after its session ended) opens a socket that carries no
    // session, like a page before sign-in: refusing it would only make the page retry.
    const handshake = o.handshakeSession?.(req) ?? null;
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      ws.on('error', () => ws.terminate());
      // Clients listen; the one thing they say is which session they carry.
      ws.on('message', (data) => takeSessionMessage(ws, data));
      if (handshake !== null && o.app.auth.peek(handshake)) bindSession(ws, handshake);
      wss.emit('connection', ws, req);
    });
  });

  let pending: { event: string; payload: unknown }[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const flush = (): void => {
    flushTimer = null;
    const batch = coalesce(pending);
    pending = [];
    const msgs = batch.map((e) => JSON.stringify(e));
    for (const ws of wss.clients) {
      if (ws.readyState !== WebSocket.OPEN || !sessions.has(ws)) continue;
      if (ws.bufferedAmount > o.maxBuffered) {
        ws.terminate();
        continue;
      }
      for (const msg of msgs) ws.send(msg);
    }
  };
  const unsubscribe = o.app.events.subscribe((event, payload) => {
    if (wss.clients.size === 0) return;
    pending.push({ event, payload });
    flushTimer ??= setTimeout(flush, COALESCE_MS);
  });

  const pinger = setInterval(() => {
    // Sessions also end by time (expiry, idleness): checked at each ping.
    recheckSessions();
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, WS_PING_MS);
  pinger.unref();

  return {
    close() {
      unsubscribe();
      if (flushTimer) clearTimeout(flushTimer);
      stopSessionWatch();
      clearInterval(pinger);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

/** Adjacent events of one name whose payload is only `{ items }` are merged, in order. */
function coalesce(events: { event: string; payload: unknown }[]): { event: string; payload: unknown }[] {
  const out: { event: string; payload: unknown }[] = [];
  for (const e of events) {
    const last = out.at(-1);
    const items = onlyItems(e.payload);
    const lastItems = last && last.event === e.event ? onlyItems(last.payload) : null;
    if (last && items && lastItems) last.payload = { items: lastItems.concat(items) };
    else out.push({ event: e.event, payload: e.payload });
  }
  return out;
}

function onlyItems(payload: unknown): unknown[] | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const keys = Object.keys(payload);
  const items = (payload as { items?: unknown }).items;
  return keys.length === 1 && Array.isArray(items) ? items : null;
}
