// A small stand-in for a team server (`vedetta serve` in team mode) speaking its wire protocol
// over real TLS on 127.0.0.1: GET /api/v1/team, POST /api/v1/rpc/<op> with a Bearer session,
// and the event WebSocket (Bearer at the handshake, `{"session"}` acked, 4401 when the session
// ends). Tests use it to check the desktop client's pinning, reconnection and waiting calls;
// the real server is tested against the client in team-workspace-server.test.ts.
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { generate } from 'selfsigned';
import { WebSocketServer, type WebSocket } from 'ws';

export interface TestCert {
  key: string;
  cert: string;
  fingerprint: string;
}

/** A self-signed certificate for localhost and 127.0.0.1, as `vedetta serve --tls-self-signed` makes. */
export async function makeCert(o: { notBeforeDate?: Date } = {}): Promise<TestCert> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...(o.notBeforeDate ? { notBeforeDate: o.notBeforeDate } : {}),
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  } as never);
  return { key: pems.private, cert: pems.cert, fingerprint: new X509Certificate(pems.cert).fingerprint256 };
}

export interface RpcCall {
  op: string;
  body: unknown;
  authorization: string | null;
  origin: string | null;
}

export type RpcHandler = (body: unknown, session: string | null) => { status: number; body: unknown };

export interface FakeTeam {
  url: string;
  port: number;
  calls: RpcCall[];
  /** Sockets whose session was acked. */
  sockets(): WebSocket[];
  /** Upgrades seen, with the Authorization header each carried. */
  upgrades: (string | null)[];
  handlers: Map<string, RpcHandler>;
  sessions: Set<string>;
  emit(event: string, payload: unknown): void;
  /** Ends a session as the server does: its sockets closed with 4401. */
  endSession(token: string): void;
  close(): Promise<void>;
}

const ACTOR = { userId: 2, username: 'giulia', displayName: 'Giulia', roles: ['legal'] };

export async function startFakeTeam(cert: TestCert, port = 0, o: { pingMs?: number } = {}): Promise<FakeTeam> {
  const calls: RpcCall[] = [];
  const upgrades: (string | null)[] = [];
  const sessions = new Set<string>(['tok-giulia']);
  const handlers = new Map<string, RpcHandler>();
  handlers.set('auth.status', (_b, s) => ({ status: 200, body: { needsSetup: false, actor: s && sessions.has(s) ? ACTOR : null } }));
  handlers.set('auth.signIn', () => ({ status: 200, body: { token: 'tok-giulia', actor: ACTOR, expiresAt: 1 } }));
  const acked = new Set<WebSocket>();
  const open = new Set<Socket>();

  const bearer = (h: string | undefined): string | null => (h?.startsWith('Bearer ') ? h.slice(7) : null);
  const server: Server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/api/v1/team') return send(200, { workspace: 'team', publicUrl: url, fingerprint: cert.fingerprint });
    const m = /^\/api\/v1\/rpc\/([\w.]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return send(404, { error: { code: 'not_found', key: 'server.unknownPath', params: {}, message: 'no' } });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const op = m[1]!;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
      const session = bearer(req.headers.authorization);
      calls.push({ op, body, authorization: req.headers.authorization ?? null, origin: (req.headers.origin as string | undefined) ?? null });
      if (session !== null && !sessions.has(session)) {
        return send(401, { error: { code: 'unauthorized', key: 'session.expired', params: {}, message: 'Sessione scaduta' } });
      }
      const h = handlers.get(op);
      if (!h) return send(400, { error: { code: 'invalid', key: 'request.unknownOp', params: { op }, message: `op ${op}` } });
      const r = h(body, session);
      send(r.status, r.body);
    });
  });
  server.on('connection', (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    upgrades.push(req.headers.authorization ?? null);
    const token = bearer(req.headers.authorization);
    if (req.url !== '/api/v1/events' || (token !== null && !sessions.has(token))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // As the real server does every 30 s: what tells a client its link is alive.
      const pinger = o.pingMs ? setInterval(() => ws.ping(), o.pingMs) : null;
      ws.on('close', () => pinger && clearInterval(pinger));
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { session?: unknown };
        if (typeof msg.session === 'string' && sessions.has(msg.session)) {
          acked.add(ws);
          (ws as WebSocket & { session?: string }).session = msg.session;
          ws.send(JSON.stringify({ session: 'ok' }));
        } else ws.close(4401, 'session ended');
      });
      ws.on('close', () => acked.delete(ws));
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const actualPort = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${actualPort}`;
  return {
    url,
    port: actualPort,
    calls,
    upgrades,
    handlers,
    sessions,
    sockets: () => [...acked],
    emit(event, payload) {
      for (const ws of acked) ws.send(JSON.stringify({ event, payload }));
    },
    endSession(token) {
      sessions.delete(token);
      for (const ws of acked) if ((ws as WebSocket & { session?: string }).session === token) ws.close(4401, 'session ended');
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      for (const s of open) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
