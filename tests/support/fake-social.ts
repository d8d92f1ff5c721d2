// Small fake Mastodon instance and Discourse forum on 127.0.0.1, answering the documented
// JSON of the endpoints Vedetta reads (Mastodon: /api/v1/timelines/tag/:tag with since_id
// and X-RateLimit-* headers; Discourse: /latest.json and /t/:id.json with Api-Key/Api-Username).
// Shared by the core integration tests and the E2E test, where the real CLI polls them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Forced {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

interface Logged {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

abstract class FakeServer {
  log: Logged[] = [];
  /** Next answers to force, whatever the path. */
  forced: Forced[] = [];
  private server: http.Server | null = null;
  base = '';

  protected abstract route(url: URL, req: http.IncomingMessage, json: (status: number, body: unknown, headers?: Record<string, string>) => void): void;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      this.log.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
      const f = this.forced.shift();
      if (f) {
        res.writeHead(f.status, { 'Content-Type': 'application/json', ...f.headers }).end(f.body ?? '{"error":"forced"}');
        return;
      }
      this.route(url, req, (status, body, headers = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
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
}

export interface FakeStatus {
  id: string;
  username: string;
  content: string;
  tags: string[];
  created_at: string;
  in_reply_to_id?: string;
  favs?: number;
}

export class FakeMastodon extends FakeServer {
  statuses: FakeStatus[] = [];
  /** When set, timelines need "Authorization: Bearer <token>" (as instances with authorized fetch do). */
  token: string | null = null;
  remaining = 299;
  resetAt = '2030-01-01T00:05:00.000Z';

  protected route(url: URL, req: http.IncomingMessage, json: (status: number, body: unknown, headers?: Record<string, string>) => void): void {
    this.remaining = Math.max(0, this.remaining - 1);
    const rate = { 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': String(this.remaining), 'X-RateLimit-Reset': this.resetAt };
    if (this.token && req.headers.authorization !== `Bearer ${this.token}`) {
      json(401, { error: 'The access token is invalid' }, rate);
      return;
    }
    const m = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(url.pathname);
    if (!m) {
      json(404, { error: 'Record not found' }, rate);
      return;
    }
    const tag = decodeURIComponent(m[1]!).toLowerCase();
    const since = url.searchParams.get('since_id');
    const max = url.searchParams.get('max_id');
    const limit = Math.min(40, Number(url.searchParams.get('limit') ?? 20));
    const host = new URL(this.base).host;
    const list = this.statuses
      .filter((s) => s.tags.some((t) => t.toLowerCase() === tag))
      .filter((s) => (!since || BigInt(s.id) > BigInt(since)) && (!max || BigInt(s.id) < BigInt(max)))
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .slice(0, limit)
      .map((s) => ({
        id: s.id,
        created_at: s.created_at,
        in_reply_to_id: s.in_reply_to_id ?? null,
        in_reply_to_account_id: null,
        sensitive: false,
        spoiler_text: '',
        visibility: 'public',
        language: 'it',
        uri: `${this.base}/users/${s.username}/statuses/${s.id}`,
        url: `${this.base}/@${s.username}/${s.id}`,
        replies_count: 0,
        reblogs_count: 1,
        favourites_count: s.favs ?? 0,
        content: s.content,
        reblog: null,
        account: { id: `a-${s.username}`, username: s.username, acct: s.username, display_name: s.username, url: `http://${host}/@${s.username}` },
        media_attachments: [],
        mentions: [],
        tags: s.tags.map((t) => ({ name: t, url: `${this.base}/tags/${t}` })),
        emojis: [],
      }));
    json(200, list, rate);
  }
}

export interface FakeTopic {
  id: number;
  title: string;
  slug: string;
  username: string;
  userId: number;
  created_at: string;
  cooked: string;
  replies: number;
}

export class FakeDiscourse extends FakeServer {
  topics: FakeTopic[] = [];
  /** When set, every request needs these Api-Key / Api-Username headers (a private forum). */
  apiKey: { key: string; username: string } | null = null;

  protected route(url: URL, req: http.IncomingMessage, json: (status: number, body: unknown, headers?: Record<string, string>) => void): void {
    if (this.apiKey && (req.headers['api-key'] !== this.apiKey.key || req.headers['api-username'] !== this.apiKey.username)) {
      json(403, { errors: ['You are not permitted to view the requested resource.'], error_type: 'invalid_access' });
      return;
    }
    if (url.pathname === '/latest.json') {
      json(200, {
        users: this.topics.map((t) => ({ id: t.userId, username: t.username, avatar_template: '/a/{size}.png' })),
        primary_groups: [],
        topic_list: {
          can_create_topic: false,
          per_page: 30,
          topics: [...this.topics]
            .sort((a, b) => b.created_at.localeCompare(a.created_at))
            .map((t) => ({
              id: t.id,
              title: t.title,
              fancy_title: t.title,
              slug: t.slug,
              posts_count: t.replies + 1,
              reply_count: t.replies,
              created_at: t.created_at,
              last_posted_at: t.created_at,
              bumped_at: t.created_at,
              like_count: 4,
              views: 30,
              category_id: 1,
              posters: [{ extras: 'latest', description: 'Original Poster, Most Recent Poster', user_id: t.userId, primary_group_id: null }],
            })),
        },
      });
      return;
    }
    const m = /^\/t\/(\d+)\.json$/.exec(url.pathname);
    const t = m ? this.topics.find((x) => x.id === Number(m[1])) : undefined;
    if (!t) {
      json(404, { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' });
      return;
    }
    json(200, {
      id: t.id,
      title: t.title,
      slug: t.slug,
      posts_count: t.replies + 1,
      post_stream: {
        posts: [{ id: t.id * 100, username: t.username, created_at: t.created_at, cooked: t.cooked, post_number: 1, reply_to_post_number: null, reply_count: t.replies, topic_id: t.id, topic_slug: t.slug, actions_summary: [{ id: 2, count: 4 }] }],
        stream: [t.id * 100],
      },
    });
  }
}
