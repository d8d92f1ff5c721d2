// Local receivers for publishing tests, on 127.0.0.1:
// - FakeMastodonWriter: POST /api/v1/statuses (Bearer token, in_reply_to_id, Idempotency-Key
//   honoured as Mastodon does: a repeated key returns the status it already made),
//   GET /api/v1/accounts/verify_credentials, GET /api/v1/accounts/:id/statuses,
//   GET /api/v2/search?resolve=true (a remote status by URL → a local id).
// - FakeWebhookReceiver: checks X-Vedetta-Signature (HMAC-SHA256 of "timestamp.body") and
//   dedupes on Idempotency-Key, as the webhook contract asks a receiver to do.
// Faults for both: `forced` answers, and `dropNext` (store, then cut the connection).
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Forced {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

abstract class Receiver {
  forced: Forced[] = [];
  /** Store the next accepted post, then destroy the socket without answering. */
  dropNext = false;
  /** Every request, in order. */
  requests: { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  base = '';
  private server: http.Server | null = null;

  protected abstract route(req: http.IncomingMessage, url: URL, body: string, res: http.ServerResponse): void;

  /**
   * What the platform says of itself (Mastodon's instance limits), answered apart: the forced
   * answers and the request log are about the publishing calls. True when it answered.
   */
  protected metadata(_url: URL, _res: http.ServerResponse): boolean {
    return false;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        if (this.metadata(url, res)) return;
        this.requests.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body });
        const f = this.forced.shift();
        if (f) {
          res.writeHead(f.status, { 'content-type': 'application/json', ...f.headers }).end(f.body ?? '{"error":"forced"}');
          return;
        }
        this.route(req, url, body, res);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = null;
  }

  protected json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  }

  /** Cuts the connection instead of answering, when dropNext is set. Returns true if it did. */
  protected drop(req: http.IncomingMessage): boolean {
    if (!this.dropNext) return false;
    this.dropNext = false;
    req.socket.destroy();
    return true;
  }
}

export interface WrittenStatus {
  id: string;
  text: string;
  inReplyToId: string | null;
  idempotencyKey: string | null;
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export class FakeMastodonWriter extends Receiver {
  token = 'masto-token-123';
  account = { id: '109', username: 'brand', acct: 'brand' };
  /** Statuses that exist on the instance (to reply to), by local id; remote ones by URL. */
  known = new Set<string>(['4001']);
  remote = new Map<string, string>();
  statuses: WrittenStatus[] = [];
  /** What /api/v2/instance says of the statuses' length; null: the instance has no such endpoint (404). */
  maxChars: number | null = 500;
  private keys = new Map<string, WrittenStatus>();
  private nextId = 5000;

  private view(s: WrittenStatus): unknown {
    return {
      id: s.id,
      created_at: new Date().toISOString(),
      in_reply_to_id: s.inReplyToId,
      visibility: 'public',
      url: `${this.base}/@${this.account.username}/${s.id}`,
      uri: `${this.base}/users/${this.account.username}/statuses/${s.id}`,
      content: `<p>${escapeHtml(s.text).replace(/\n\n/g, '</p><p>').replace(/\n/g, '<br />')}</p>`,
      account: this.account,
    };
  }

  protected override metadata(url: URL, res: http.ServerResponse): boolean {
    if (url.pathname !== '/api/v2/instance') return false;
    if (this.maxChars === null) this.json(res, 404, { error: 'Not found' });
    else this.json(res, 200, { domain: 'brand.social', configuration: { statuses: { max_characters: this.maxChars } } });
    return true;
  }

  protected route(req: http.IncomingMessage, url: URL, body: string, res: http.ServerResponse): void {
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.json(res, 401, { error: 'The access token is invalid' });
    if (req.method === 'POST' && url.pathname === '/api/v1/statuses') {
      const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      const again = key ? this.keys.get(key) : undefined;
      if (again) return this.json(res, 200, this.view(again));
      let p: { status?: unknown; in_reply_to_id?: unknown };
      try {
        p = JSON.parse(body) as typeof p;
      } catch {
        return this.json(res, 422, { error: 'Validation failed: body' });
      }
      if (typeof p.status !== 'string' || !p.status.trim()) return this.json(res, 422, { error: "Validation failed: Text can't be blank" });
      const reply = typeof p.in_reply_to_id === 'string' ? p.in_reply_to_id : null;
      if (reply && !this.known.has(reply)) return this.json(res, 404, { error: 'Record not found' });
      const s: WrittenStatus = { id: String(this.nextId++), text: p.status, inReplyToId: reply, idempotencyKey: key };
      this.statuses.push(s);
      if (key) this.keys.set(key, s);
      if (this.drop(req)) return;
      return this.json(res, 200, this.view(s));
    }
    if (url.pathname === '/api/v1/accounts/verify_credentials') return this.json(res, 200, { ...this.account, display_name: 'Brand' });
    const m = /^\/api\/v1\/accounts\/([^/]+)\/statuses$/.exec(url.pathname);
    if (m) {
      if (m[1] !== this.account.id) return this.json(res, 200, []);
      return this.json(res, 200, [...this.statuses].reverse().slice(0, Number(url.searchParams.get('limit') ?? 20)).map((s) => this.view(s)));
    }
    if (url.pathname === '/api/v2/search') {
      const id = this.remote.get(url.searchParams.get('q') ?? '');
      return this.json(res, 200, { accounts: [], hashtags: [], statuses: id ? [{ id, url: url.searchParams.get('q') }] : [] });
    }
    return this.json(res, 404, { error: 'Record not found' });
  }
}

export interface Delivery {
  key: string;
  timestamp: string;
  payload: Record<string, unknown>;
}

export class FakeWebhookReceiver extends Receiver {
  secret = 'whsec-0123456789abcdef';
  /** Unique deliveries (deduped on Idempotency-Key): what "posted" means for a webhook. */
  deliveries: Delivery[] = [];
  /** Every signed request that arrived, duplicates included. */
  received = 0;
  private seen = new Map<string, string>();

  verify(timestamp: string, body: string, signature: string): boolean {
    const want = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex')}`);
    const got = Buffer.from(signature);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  protected route(req: http.IncomingMessage, url: URL, body: string, res: http.ServerResponse): void {
    if (req.method !== 'POST') return this.json(res, 405, { error: 'POST only' });
    const ts = String(req.headers['x-vedetta-timestamp'] ?? '');
    const sig = String(req.headers['x-vedetta-signature'] ?? '');
    if (!this.verify(ts, body, sig)) return this.json(res, 401, { error: 'bad signature' });
    this.received++;
    const key = String(req.headers['idempotency-key'] ?? '');
    const payload = JSON.parse(body) as Record<string, unknown>;
    if (payload.type === 'vedetta.ping') return this.json(res, 200, { ok: true });
    const existing = this.seen.get(key);
    if (existing) return this.json(res, 200, { id: existing, url: `${this.base}/posts/${existing}`, duplicate: true });
    const id = `wh-${this.deliveries.length + 1}`;
    this.deliveries.push({ key, timestamp: ts, payload });
    this.seen.set(key, id);
    if (this.drop(req)) return;
    return this.json(res, 200, { id, url: `${this.base}/posts/${id}` });
  }
}
