// The contract over HTTP + WebSocket: browser mode on 127.0.0.1, a team server over HTTPS
// (team.ts), E2E tests, the inbound webhook. Everything here is transport; validation and
// meaning live in core's dispatcher.
//
// Local mode (the default) opens with a per-run token:
//   POST /api/v1/rpc/:op            Bearer <ui token>       → app.dispatch(op, body, { session })
//                                   X-Vedetta-Session: <session token of the signed-in person>
//   GET  /api/v1/events?token=…     WebSocket upgrade       → every app.events event, once the
//                                   client has sent {"session": "<session token>"}; closed
//                                   with 4401 when that session ends
//   POST /api/v1/webhook/mentions   Bearer <webhook key>    → app.ingestWebhook(body)
//   POST /api/v1/webhook/metrics    Bearer <webhook key>    → app.ingestMetricsWebhook(body)
//   GET  /…                         the built renderer (staticDir)
//
// Team mode (`team` given: HTTPS, any bind address) has no per-run token: each call carries
// the person's session, as a cookie (browsers) or `Authorization: Bearer <session token>`
// (desktop, CLI, scripts); the event socket takes it at the handshake; GET /api/v1/team says
// the server's public URL and certificate fingerprint; /api/v1/open does not exist.
//
// Body limits: rpc bodies up to RPC_BODY_LIMIT (1 MiB) — the UI sends files in pieces under it
// (import.begin / chunk / end) — except `import.file`, whose JSON
// may carry a whole file: LIMITS.importFileBytes + 1 MiB of envelope (larger files, or files
// whose JSON escaping pushes them over, are for `vedetta import`). Webhook bodies up to
// LIMITS.webhookBodyBytes. Bytes are counted as they arrive; past the limit we answer 413
// and close the connection without reading the rest.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { CoreApp } from '../app/app';
import { toApiError } from '../core/api/dispatch';
import { ApiError, plainDetail } from '../shared/contract';
import { LIMITS } from '../shared/schemas';
import { CODE_FRAGMENT, COOKIE_SESSION, EVENTS_PATH, OPEN_PATH, RPC_PREFIX, SESSION_HEADER, TEAM_PATH, WEBHOOK_MENTIONS_PATH, WEBHOOK_METRICS_PATH } from '../shared/transport/http-paths';
import { closeAfterResponse, parseJsonBody, readBody, sendError, sendJson } from './http-util';
import { OpenCodes } from './open-codes';
import { allowedHosts, bearerToken, hostAllowed, originAllowed, tokensEqual } from './security';
import { attachEventSocket } from './events-socket';
import { createStaticHandler } from './static';
import { clearSessionCookie, setSessionCookie, teamSession, wantsCookie, type TeamServerOptions } from './team';

export const RPC_BODY_LIMIT = 1024 * 1024;
/** `{ "code": "…" }` and nothing more. */
const OPEN_BODY_LIMIT = 1024;
export const IMPORT_RPC_BODY_LIMIT = LIMITS.importFileBytes + 1024 * 1024;
/** A client that falls this far behind is dropped; it reconnects and reloads its view. */
const WS_MAX_BUFFERED = 16 * 1024 * 1024;

export interface StartServerOptions {
  app: CoreApp;
  /** Loopback in local mode (the Host check refuses any other name); any address in team mode. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Token of the UI (rpc + events) in local mode; a team server has none. */
  token?: string;
  /** A team server: HTTPS with this certificate, sessions by cookie or Bearer, public URL checks. */
  team?: TeamServerOptions;
  /**
   * VEDETTA_WEBHOOK_TOKEN: the webhook key of that name takes this token at start. Other keys
   * are made by administrators in Impostazioni → Webhook (core/webhooks).
   */
  webhookToken?: string;
  /** Built renderer to serve at `/` (normally out/renderer); API only when absent. */
  staticDir?: string;
  /** Clock of the one-time open codes (tests). */
  now?: () => number;
  /** How far an event socket may fall behind before it is dropped (tests make it small). */
  wsMaxBuffered?: number;
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:4870 (no trailing slash). */
  url: string;
  port: number;
  webhookUrl: string;
  /**
   * An address that opens the UI once: `/#code=…`, traded by the page for the per-run token.
   * What `serve` prints and the launcher hands to Chromium instead of the token itself.
   */
  openUrl(ttlMs?: number): string;
  close(): Promise<void>;
}

export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const { app, webhookToken, team } = opts;
  const token = team ? null : (opts.token ?? '');
  /** Our own Origin's scheme: what a browser page of ours sends. */
  const scheme = team ? 'https:' : 'http:';
  const host = opts.host ?? '127.0.0.1';
  if (token === '') throw new Error('startServer: token is required (local mode)');
  if (token !== null && token === webhookToken) throw new Error('startServer: the webhook token must differ from the UI token');
  if (webhookToken) app.webhooks.fixFromEnvironment(webhookToken);

  const log = app.platform.logger;
  const openCodes = new OpenCodes(opts.now);
  const serveStatic = createStaticHandler(opts.staticDir);
  let hosts = new Set<string>();
  /** Base URL, known once the server listens (port 0 picks one). */
  let url = '';

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      log.error('http handler failed', { err: String(err) });
      if (!res.headersSent) sendError(res, toApiError(err));
      else res.destroy();
    });
  };
  // TLS 1.2 at least (Node's default floor too, said here so nobody lowers it by accident).
  const server: Server = team ? createHttpsServer({ cert: team.tls.cert, key: team.tls.key, minVersion: 'TLSv1.2' }, onRequest) : createServer(onRequest);
  // Slow-loris guard; generous enough for a large import over loopback.
  server.requestTimeout = 5 * 60_000;
  server.headersTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, hosts)) {
      closeAfterResponse(req, res);
      sendError(res, new ApiError('server.hostRefused'));
      return;
    }
    const rawUrl = req.url ?? '/';
    const pathname = rawUrl.split('?')[0] ?? '/';

    if (pathname === OPEN_PATH && !team) return handleOpen(req, res);
    if (pathname === TEAM_PATH && team) {
      sendJson(res, 200, { workspace: 'team', publicUrl: url, fingerprint: team.tls.fingerprint });
      return;
    }
    if (pathname.startsWith(RPC_PREFIX)) return handleRpc(req, res, pathname.slice(RPC_PREFIX.length));
    if (pathname === WEBHOOK_MENTIONS_PATH) return handleInbound(mentionsWebhook, req, res);
    if (pathname === WEBHOOK_METRICS_PATH) return handleInbound(metricsWebhook, req, res);
    if (pathname === EVENTS_PATH) {
      sendJson(res, 426, { error: new ApiError('server.websocketOnly').toBody() }, { upgrade: 'websocket' });
      return;
    }
    if (pathname.startsWith('/api/')) {
      sendError(res, new ApiError('server.unknownApi'));
      return;
    }
    return serveStatic(req, res, pathname);
  }

  /** POST, and from our own origin when a browser sends one; else answered (405, 403) and false. */
  function postFromOurPage(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') {
      closeAfterResponse(req, res);
      sendJson(res, 405, { error: new ApiError('server.postOnly').toBody() }, { allow: 'POST' });
      return false;
    }
    if (!originAllowed(req, hosts, scheme)) {
      closeAfterResponse(req, res);
      sendError(res, new ApiError('server.originRefused'));
      return false;
    }
    return true;
  }

  // The page trades its one-time code for the per-run token. Same Host and Origin checks as
  // every call; a code works once, so a second page (or a replay) gets 401 and the gate.
  async function handleOpen(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!postFromOurPage(req, res)) return;
    try {
      let buf: Buffer;
      try {
        buf = await readBody(req, OPEN_BODY_LIMIT);
      } catch (e) {
        closeAfterResponse(req, res);
        throw e;
      }
      const body = parseJsonBody(buf, { emptyAs: {} });
      const code = body !== null && typeof body === 'object' ? (body as { code?: unknown }).code : undefined;
      if (!openCodes.redeem(code)) throw new ApiError('server.openCodeSpent');
      sendJson(res, 200, { token });
    } catch (err) {
      sendError(res, toApiError(err));
    }
  }

  async function handleRpc(req: IncomingMessage, res: ServerResponse, rawOp: string): Promise<void> {
    if (!postFromOurPage(req, res)) return;
    if (token !== null && !tokensEqual(bearerToken(req), token)) {
      closeAfterResponse(req, res);
      sendError(res, new ApiError('server.badToken'));
      return;
    }
    let op: string;
    try {
      op = decodeURIComponent(rawOp);
    } catch {
      op = rawOp;
    }
    try {
      const limit = op === 'import.file' ? IMPORT_RPC_BODY_LIMIT : RPC_BODY_LIMIT;
      let buf: Buffer;
      try {
        buf = await readBody(req, limit);
      } catch (e) {
        closeAfterResponse(req, res);
        throw e;
      }
      const input = parseJsonBody(buf, { emptyAs: {} });
      const session = team ? (teamSession(req, hosts)?.token ?? null) : sessionHeader(req);
      const value = await app.dispatch(op, input, { session, address: req.socket.remoteAddress ?? null });
      sendJson(res, 200, team ? teamAnswer(op, value, req, res) : (value ?? null));
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.code === 'internal') log.error('rpc failed', { op: op.slice(0, 80), err: errText(err) });
      sendError(res, apiErr);
    }
  }

  // Durability of the 202: it is sent only after the batch's SQLite transaction has
  // committed. The database runs in WAL mode with synchronous=NORMAL (better-sqlite3's
  // build default), so an acknowledged batch survives a crash or kill of Vedetta, but the
  // last transactions before a power loss or OS crash may be lost. A sender that needs more
  // should re-send after such an event; re-sending stores nothing twice.
  interface WebhookKind<R extends { accepted: number; duplicates: number; rejected: { index: number; reason: string }[] }> {
    name: string;
    kind: 'mentions' | 'metrics';
    ingest(body: unknown): R;
    /** True when nothing in the body could be used: answered 400 with the reasons. */
    nothingUsable(result: R): boolean;
    nothing: 'webhook.noValidMentions' | 'webhook.noValidPoints';
  }

  const mentionsWebhook: WebhookKind<ReturnType<CoreApp['ingestWebhook']>> = {
    name: 'webhook',
    kind: 'mentions',
    ingest(body) {
      if (body === null || typeof body !== 'object') {
        throw new ApiError('webhook.badBody');
      }
      if (Array.isArray(body)) {
        if (body.length === 0) throw new ApiError('webhook.emptyArray');
        if (body.length > LIMITS.batchMax) {
          throw new ApiError('webhook.tooMany', { max: LIMITS.batchMax, count: body.length });
        }
      }
      return app.ingestWebhook(body);
    },
    nothingUsable: (r) => r.accepted === 0 && r.duplicates === 0 && r.rejected.length > 0,
    nothing: 'webhook.noValidMentions',
  };

  // Metric points of owned content: same token, limits and durability as the mentions webhook.
  const metricsWebhook: WebhookKind<ReturnType<CoreApp['ingestMetricsWebhook']>> = {
    name: 'metrics webhook',
    kind: 'metrics',
    ingest: (body) => app.ingestMetricsWebhook(body),
    nothingUsable: (r) => r.accepted + r.duplicates + r.updated + r.contents === 0 && r.rejected.length > 0,
    nothing: 'webhook.noValidPoints',
  };

  async function handleInbound<R extends { accepted: number; duplicates: number; rejected: { index: number; reason: string }[] }>(
    kind: WebhookKind<R>,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    if (req.method !== 'POST') {
      closeAfterResponse(req, res);
      sendJson(res, 405, { error: new ApiError('server.postOnly').toBody() }, { allow: 'POST' });
      return;
    }
    // A key is found by its token's hash (core/webhooks): no comparison runs on the secret.
    const key = app.webhooks.resolve(bearerToken(req));
    if (!key) {
      app.webhooks.noteRefused(kind.kind);
      closeAfterResponse(req, res);
      sendError(res, new ApiError('webhook.badToken'));
      return;
    }
    // Every request a key opens is attributed to it, whatever became of its items.
    let result: R | null = null;
    try {
      let buf: Buffer;
      try {
        buf = await readBody(req, LIMITS.webhookBodyBytes);
      } catch (e) {
        closeAfterResponse(req, res);
        throw e;
      }
      result = kind.ingest(parseJsonBody(buf));
      if (kind.nothingUsable(result)) {
        const err = new ApiError(kind.nothing, {}, result.rejected.slice(0, 100).map((r) => plainDetail(`[${r.index}] ${r.reason}`)));
        sendError(res, err, { rejected: result.rejected });
        return;
      }
      sendJson(res, 202, result);
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.code === 'internal') log.error(`${kind.name} failed`, { err: errText(err) });
      sendError(res, apiErr);
    } finally {
      app.webhooks.noteUse(key, kind.kind, { accepted: result?.accepted ?? 0, duplicates: result?.duplicates ?? 0, rejected: result?.rejected.length ?? 0 });
    }
  }

  /** A browser signing in on a team server gets the cookie; its scripts get only COOKIE_SESSION. */
  function teamAnswer(op: string, value: unknown, req: IncomingMessage, res: ServerResponse): unknown {
    if (op === 'auth.signOut') clearSessionCookie(res);
    if ((op === 'auth.signIn' || op === 'auth.setup' || op === 'auth.demoSignIn') && wantsCookie(req)) {
      const grant = value as { token: string; expiresAt: number };
      // The session's expiry is on core's clock: the cookie's Max-Age counts from the same one.
      setSessionCookie(res, grant.token, grant.expiresAt, app.platform.now());
      return { ...grant, token: COOKIE_SESSION };
    }
    return value ?? null;
  }

  // ── WebSocket events (events-socket.ts) ─────────────────────────────────────────────
  const events = attachEventSocket(server, {
    app,
    token,
    handshakeSession: team ? (req) => teamSession(req, hosts)?.token ?? null : null,
    scheme,
    hosts: () => hosts,
    maxBuffered: opts.wsMaxBuffered ?? WS_MAX_BUFFERED,
  });

  // ── Listen ──────────────────────────────────────────────────────────────────────────
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(opts.port ?? 0, host);
  });
  server.on('error', (e) => log.error('http server error', { err: String(e) }));

  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('startServer: no TCP address');
  const port = address.port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  url = team?.publicUrl ? team.publicUrl.replace(/\/+$/, '') : `${team ? 'https' : 'http'}://${urlHost}:${port}`;
  hosts = allowedHosts(host, port, team ? url : undefined);
  const webhookUrl = `${url}${WEBHOOK_MENTIONS_PATH}`;
  app.setWebhookEndpoints({ mentionsUrl: webhookUrl, metricsUrl: `${url}${WEBHOOK_METRICS_PATH}` });
  if (team) app.setTeamServer({ publicUrl: url, fingerprint: team.tls.fingerprint, selfSigned: team.tls.selfSigned });

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    webhookUrl,
    openUrl(ttlMs) {
      // A team server opens on its sign-in screen: there is no per-run token to hand over.
      return team ? `${url}/` : `${url}/#${CODE_FRAGMENT}=${openCodes.mint(ttlMs)}`;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        events.close();
        try {
          app.setWebhookEndpoints(null);
          if (team) app.setTeamServer(null);
        } catch {
          // The app may already be closed; nothing left to tell it.
        }
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Local mode: the signed-in person's session travels beside the per-run token. */
function sessionHeader(req: IncomingMessage): string | null {
  const header = req.headers[SESSION_HEADER];
  return typeof header === 'string' && header.length > 0 && header.length <= 200 ? header : null;
}

function errText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
