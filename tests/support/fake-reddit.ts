// A fake Reddit on 127.0.0.1 over HTTPS (test-only CA): the OAuth token endpoint on
// www.<domain>/api/v1/access_token (HTTP Basic client auth, password or refresh_token grant)
// and the OAuth API on oauth.<domain> answering Listings of t3/t1 things with `after`
// cursors and X-Ratelimit-* headers, as Reddit documents them. The write side used by
// publishing: POST /api/comment (form thing_id, text, api_type=json → json.data.things),
// GET /api/v1/me and GET /user/NAME/comments (what reconciliation reads). Faults: `forced`
// answers, and `dropNextComment` (the comment is stored, then the connection is cut before
// any answer: the "did it post?" case).
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import type { AddressInfo, LookupFunction } from 'node:net';
import { makeTestTls } from './test-ca';

export interface FakePost {
  id: string;
  subreddit: string;
  title: string;
  selftext?: string;
  author: string;
  created_utc: number;
  score?: number;
  num_comments?: number;
  url?: string;
  is_self?: boolean;
}
export interface FakeComment {
  id: string;
  link_id: string; // t3_…
  parent_id: string; // t3_… or t1_…
  subreddit: string;
  body: string;
  author: string;
  created_utc: number;
  score?: number;
}

export interface FakeRedditLog {
  path: string;
  query: URLSearchParams;
  host: string;
  auth?: string;
  form?: URLSearchParams;
}

export class FakeReddit {
  posts: FakePost[] = [];
  comments: FakeComment[] = [];
  app = { clientId: 'app-id', clientSecret: 'app-secret', username: 'brand_bot', password: 'pw-segreta', refreshToken: 'rt-123' };
  /** Requests, in order. */
  log: FakeRedditLog[] = [];
  /** Next answers to force on the API host (status, headers, body). */
  forced: { status: number; headers?: Record<string, string>; body?: string; hang?: boolean }[] = [];
  rate = { used: 0, limit: 100, resetS: 420 };
  tokenTtlS = 3600;
  /** Store the next comment, then destroy the socket without answering. */
  dropNextComment = false;
  private nextCommentId = 1;
  private tokens = new Set<string>();
  private server!: https.Server;
  port = 0;
  ca = '';

  async start(): Promise<void> {
    const tls = makeTestTls(['www.reddit.com', 'oauth.reddit.com']);
    this.ca = tls.ca;
    this.server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => this.route(req, res, body));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Comments the app's account posted (what publishing tests count). */
  posted(): FakeComment[] {
    return this.comments.filter((c) => c.author === this.app.username);
  }

  /**
   * What a `vedetta serve` child needs to publish here: its CA written to a file in `dir`
   * and the test-only variables naming this server (see src/cli/test-hooks.ts).
   */
  publishEnv(dir: string): Record<string, string> {
    const caFile = join(dir, `fake-reddit-ca-${this.port}.pem`);
    writeFileSync(caFile, this.ca);
    return { VEDETTA_TEST_REDDIT_DOMAIN: this.endpointDomain, VEDETTA_TEST_REDDIT_CA_FILE: caFile };
  }

  get endpointDomain(): string {
    return `reddit.com:${this.port}`;
  }

  /** Resolves every name to 127.0.0.1: the client under test keeps its real host names (and TLS checks). */
  readonly lookup: LookupFunction = (_hostname, options, callback) => {
    const cb = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    if (all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
    else cb(null, '127.0.0.1', 4);
  };

  private json(res: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(body));
  }

  private rateHeaders(): Record<string, string> {
    this.rate.used++;
    return {
      'x-ratelimit-used': String(this.rate.used),
      'x-ratelimit-remaining': (this.rate.limit - this.rate.used).toFixed(1),
      'x-ratelimit-reset': String(this.rate.resetS),
    };
  }

  private route(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: string): void {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `https://${host}`);
    const entry: FakeRedditLog = { path: url.pathname, query: url.searchParams, host };
    if (req.headers.authorization) entry.auth = req.headers.authorization;
    this.log.push(entry);
    if (host === 'www.reddit.com' && url.pathname === '/api/v1/access_token' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      entry.form = form;
      const expected = `Basic ${Buffer.from(`${this.app.clientId}:${this.app.clientSecret}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return this.json(res, 401, { message: 'Unauthorized', error: 401 });
      const grant = form.get('grant_type');
      const okGrant =
        (grant === 'password' && form.get('username') === this.app.username && form.get('password') === this.app.password) ||
        (grant === 'refresh_token' && form.get('refresh_token') === this.app.refreshToken);
      // Reddit answers a wrong password with 200 and an error field.
      if (!okGrant) return this.json(res, 200, { error: 'invalid_grant' });
      const token = `tok-${this.tokens.size + 1}`;
      this.tokens.add(token);
      return this.json(res, 200, { access_token: token, token_type: 'bearer', expires_in: this.tokenTtlS, scope: '*' });
    }
    if (host !== 'oauth.reddit.com') return this.json(res, 404, { message: 'Not Found', error: 404 });
    const token = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) return this.json(res, 401, { message: 'Unauthorized', error: 401 });
    let m0: RegExpExecArray | null;
    const forced = this.forced.shift();
    if (forced?.hang) {
      // Headers and a first byte, then silence: a connection that never finishes.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{');
      return;
    }
    if (forced) {
      res.writeHead(forced.status, { 'Content-Type': 'application/json', ...this.rateHeaders(), ...forced.headers }).end(forced.body ?? '{}');
      return;
    }
    const headers = this.rateHeaders();
    if (url.pathname === '/api/comment' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      entry.form = form;
      const thing = form.get('thing_id') ?? '';
      const text = form.get('text') ?? '';
      const post = /^t3_/.test(thing) ? this.posts.find((p) => `t3_${p.id}` === thing) : undefined;
      const parent = /^t1_/.test(thing) ? this.comments.find((c) => `t1_${c.id}` === thing) : undefined;
      if (!post && !parent) {
        return this.json(res, 200, { json: { errors: [['DELETED_COMMENT', 'that comment has been deleted', 'parent']] } }, headers);
      }
      const c: FakeComment = {
        id: `pub${(this.nextCommentId++).toString(36)}`,
        link_id: post ? `t3_${post.id}` : parent!.link_id,
        parent_id: thing,
        subreddit: post?.subreddit ?? parent!.subreddit,
        // Reddit returns bodies HTML-escaped (&amp; &lt; &gt;), as here.
        body: text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
        author: this.app.username,
        created_utc: Math.floor(Date.now() / 1000),
      };
      this.comments.push(c);
      if (this.dropNextComment) {
        this.dropNextComment = false;
        req.socket.destroy();
        return;
      }
      return this.json(res, 200, { json: { errors: [], data: { things: [this.t1(c, false)] } } }, headers);
    }
    if (url.pathname === '/api/v1/me') {
      return this.json(res, 200, { name: this.app.username, id: 'u1', created_utc: 1_600_000_000 }, headers);
    }
    if ((m0 = /^\/user\/([A-Za-z0-9_-]+)\/comments\/?$/.exec(url.pathname))) {
      const list = this.comments.filter((c) => c.author.toLowerCase() === m0![1]!.toLowerCase());
      return this.json(res, 200, this.listing(list.map((c) => this.t1(c, true)), Math.min(Number(url.searchParams.get('limit') ?? 25), 100), url.searchParams.get('after')), headers);
    }
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 25), 100);
    const after = url.searchParams.get('after');
    let m: RegExpExecArray | null;
    if ((m = /^\/r\/([A-Za-z0-9_+]+)\/new\/?$/.exec(url.pathname))) {
      const subs = m[1]!.toLowerCase().split('+');
      const list = this.posts.filter((p) => subs.includes(p.subreddit.toLowerCase()));
      return this.json(res, 200, this.listing(list.map((p) => this.t3(p)), limit, after), headers);
    }
    if ((m = /^\/r\/([A-Za-z0-9_+]+)\/comments\/?$/.exec(url.pathname))) {
      const subs = m[1]!.toLowerCase().split('+');
      const list = this.comments.filter((c) => subs.includes(c.subreddit.toLowerCase()));
      return this.json(res, 200, this.listing(list.map((c) => this.t1(c, true)), limit, after), headers);
    }
    if ((m = /^(?:\/r\/([A-Za-z0-9_+]+))?\/search\/?$/.exec(url.pathname))) {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const subs = m[1] && url.searchParams.get('restrict_sr') ? m[1].toLowerCase().split('+') : null;
      const list = this.posts.filter(
        (p) => (!subs || subs.includes(p.subreddit.toLowerCase())) && `${p.title} ${p.selftext ?? ''}`.toLowerCase().includes(q),
      );
      return this.json(res, 200, this.listing(list.map((p) => this.t3(p)), limit, after), headers);
    }
    if ((m = /^\/comments\/([a-z0-9]+)\/?$/.exec(url.pathname))) {
      const post = this.posts.find((p) => p.id === m![1]);
      if (!post) return this.json(res, 404, { message: 'Not Found', error: 404 }, headers);
      const tree = (parent: string): unknown[] =>
        this.comments
          .filter((c) => c.parent_id === parent)
          .sort((a, b) => b.created_utc - a.created_utc)
          .map((c) => {
            const t = this.t1(c, false);
            const replies = tree(`t1_${c.id}`);
            (t.data as Record<string, unknown>).replies = replies.length ? { kind: 'Listing', data: { after: null, before: null, children: replies } } : '';
            return t;
          });
      return this.json(
        res,
        200,
        [
          { kind: 'Listing', data: { after: null, before: null, dist: 1, children: [this.t3(post)] } },
          { kind: 'Listing', data: { after: null, before: null, children: tree(`t3_${post.id}`) } },
        ],
        headers,
      );
    }
    return this.json(res, 404, { message: 'Not Found', error: 404 }, headers);
  }

  /** Newest first, `limit` per page; `after` is the fullname of the last item of the previous page. */
  private listing(things: { kind: string; data: Record<string, unknown> }[], limit: number, after: string | null): unknown {
    const sorted = [...things].sort((a, b) => (b.data.created_utc as number) - (a.data.created_utc as number));
    const start = after ? sorted.findIndex((t) => t.data.name === after) + 1 : 0;
    const page = sorted.slice(start, start + limit);
    const more = start + limit < sorted.length;
    return {
      kind: 'Listing',
      data: { after: more ? (page[page.length - 1]?.data.name ?? null) : null, before: null, dist: page.length, modhash: '', geo_filter: '', children: page },
    };
  }

  private t3(p: FakePost): { kind: string; data: Record<string, unknown> } {
    const slug = p.title.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40);
    const permalink = `/r/${p.subreddit}/comments/${p.id}/${slug}/`;
    return {
      kind: 't3',
      data: {
        id: p.id,
        name: `t3_${p.id}`,
        subreddit: p.subreddit,
        subreddit_name_prefixed: `r/${p.subreddit}`,
        title: p.title,
        selftext: p.selftext ?? '',
        author: p.author,
        created_utc: p.created_utc,
        score: p.score ?? 1,
        ups: p.score ?? 1,
        num_comments: p.num_comments ?? 0,
        permalink,
        url: p.url ?? `https://www.reddit.com${permalink}`,
        is_self: p.is_self ?? true,
        over_18: false,
      },
    };
  }

  private t1(c: FakeComment, withLinkTitle: boolean): { kind: string; data: Record<string, unknown> } {
    const post = this.posts.find((p) => `t3_${p.id}` === c.link_id);
    return {
      kind: 't1',
      data: {
        id: c.id,
        name: `t1_${c.id}`,
        subreddit: c.subreddit,
        body: c.body,
        author: c.author,
        created_utc: c.created_utc,
        score: c.score ?? 1,
        link_id: c.link_id,
        parent_id: c.parent_id,
        permalink: `/r/${c.subreddit}/comments/${c.link_id.slice(3)}/x/${c.id}/`,
        ...(withLinkTitle && post ? { link_title: post.title } : {}),
        replies: '',
      },
    };
  }
}
