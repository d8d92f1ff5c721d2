// The Discourse connector against a local server answering Discourse's documented JSON
// (/latest.json, /search.json, /t/{id}.json, /t/{id}/posts.json?post_ids[]=…).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscourseConnector, discoursePostId } from '../../src/connectors/inbound/discourse';
import type { PollContext, PollOutcome } from '../../src/core/sources/ports';
import type { ConfigOf, SourceSecrets } from '../../src/shared/sources';
import { normalizeMention } from '../../src/core/ingest/normalize';

interface Post {
  id: number;
  topic_id: number;
  post_number: number;
  username: string;
  created_at: string;
  cooked: string;
  reply_to_post_number: number | null;
  like?: number;
}
interface Topic {
  id: number;
  title: string;
  slug: string;
  created_at: string;
  user_id: number;
}

let server: http.Server;
let base = '';
let topics: Topic[] = [];
let posts: Post[] = [];
let log: { path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders }[] = [];
let forced: { status: number; headers?: Record<string, string>; body?: string }[] = [];
const users = [
  { id: 1, username: 'giulia', name: 'Giulia', avatar_template: '/a/{size}.png' },
  { id: 2, username: 'marco', name: 'Marco', avatar_template: '/b/{size}.png' },
];

const postJson = (p: Post): Record<string, unknown> => ({
  id: p.id,
  name: p.username,
  username: p.username,
  avatar_template: '/x/{size}.png',
  created_at: p.created_at,
  cooked: p.cooked,
  post_number: p.post_number,
  post_type: 1,
  updated_at: p.created_at,
  reply_count: posts.filter((q) => q.topic_id === p.topic_id && q.reply_to_post_number === p.post_number).length,
  reply_to_post_number: p.reply_to_post_number,
  quote_count: 0,
  incoming_link_count: 0,
  reads: 3,
  score: 0.4,
  yours: false,
  topic_id: p.topic_id,
  topic_slug: topics.find((t) => t.id === p.topic_id)?.slug,
  actions_summary: p.like ? [{ id: 2, count: p.like }] : [],
});

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  log.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  };
  const f = forced.shift();
  if (f) {
    res.writeHead(f.status, f.headers ?? { 'Content-Type': 'application/json' }).end(f.body ?? '{"errors":["error"]}');
    return;
  }
  const p = url.pathname.replace(/^\/forum/, '');
  if (p === '/latest.json') {
    const list = [...topics].sort((a, b) => b.created_at.localeCompare(a.created_at));
    return json(200, {
      users,
      primary_groups: [],
      topic_list: {
        can_create_topic: false,
        per_page: 30,
        topics: list.map((t) => ({
          id: t.id,
          title: t.title,
          fancy_title: t.title,
          slug: t.slug,
          posts_count: posts.filter((q) => q.topic_id === t.id).length,
          reply_count: 0,
          highest_post_number: posts.filter((q) => q.topic_id === t.id).length,
          created_at: t.created_at,
          last_posted_at: t.created_at,
          bumped: true,
          bumped_at: t.created_at,
          like_count: 2,
          views: 10,
          category_id: 1,
          posters: [{ extras: 'latest', description: 'Original Poster, Most Recent Poster', user_id: t.user_id, primary_group_id: null }],
        })),
      },
    });
  }
  if (p === '/search.json') {
    const q = (url.searchParams.get('q') ?? '').replace(/\s*order:latest\s*/, '').toLowerCase();
    const found = posts.filter((x) => x.cooked.toLowerCase().includes(q)).sort((a, b) => b.created_at.localeCompare(a.created_at));
    return json(200, {
      posts: found.map((x) => ({
        id: x.id,
        name: x.username,
        username: x.username,
        avatar_template: '/x/{size}.png',
        created_at: x.created_at,
        like_count: x.like ?? 0,
        blurb: x.cooked.replace(/<[^>]+>/g, '').slice(0, 200),
        post_number: x.post_number,
        topic_id: x.topic_id,
      })),
      topics: topics.filter((t) => found.some((x) => x.topic_id === t.id)).map((t) => ({ id: t.id, title: t.title, fancy_title: t.title, slug: t.slug, posts_count: 1 })),
      users: [],
      categories: [],
      tags: [],
      groups: [],
      grouped_search_result: { more_posts: null, post_ids: found.map((x) => x.id), term: q },
    });
  }
  let m = /^\/t\/(\d+)\.json$/.exec(p);
  if (m) {
    const t = topics.find((x) => x.id === Number(m![1]));
    if (!t) return json(404, { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' });
    const all = posts.filter((x) => x.topic_id === t.id).sort((a, b) => a.post_number - b.post_number);
    return json(200, {
      id: t.id,
      title: t.title,
      fancy_title: t.title,
      slug: t.slug,
      posts_count: all.length,
      created_at: t.created_at,
      post_stream: { posts: all.slice(0, 20).map(postJson), stream: all.map((x) => x.id) },
    });
  }
  m = /^\/t\/(\d+)\/posts\.json$/.exec(p);
  if (m) {
    const ids = url.searchParams.getAll('post_ids[]').map(Number);
    if (ids.length > 20) return json(400, { errors: ['too many'] });
    return json(200, { post_stream: { posts: posts.filter((x) => ids.includes(x.id)).map(postJson) }, id: Number(m[1]) });
  }
  json(404, { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' });
}

beforeAll(async () => {
  server = http.createServer(route);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  topics = [];
  posts = [];
  log = [];
  forced = [];
});

const ctx = (secrets: SourceSecrets = {}): PollContext => ({ signal: new AbortController().signal, now: () => Date.now(), secrets, sourceName: 'Forum caffè' });
const cfg = (c: Partial<ConfigOf<'discourse'>>): ConfigOf<'discourse'> => ({ baseUrl: base, mode: 'latest', ...c });
function ok(o: PollOutcome): Extract<PollOutcome, { ok: true }> {
  if (!o.ok) throw new Error(`poll failed: ${o.error.kind} ${o.error.message}`);
  return o;
}
const host = (): string => new URL(base).host;

describe('discourse connector', () => {
  it('latest topics: new topics with their first post, cooked HTML made safe, only new ones on the next poll', async () => {
    topics = [{ id: 10, title: 'Aurora: il caffè è peggiorato?', slug: 'aurora-il-caffe-e-peggiorato', created_at: '2025-06-10T08:00:00.000Z', user_id: 1 }];
    posts = [
      {
        id: 100,
        topic_id: 10,
        post_number: 1,
        username: 'giulia',
        created_at: '2025-06-10T08:00:00.000Z',
        cooked:
          '<aside class="quote" data-username="marco"><blockquote><p>testo di un altro</p></blockquote></aside>' +
          '<p>Da una settimana <strong>non</strong> è più lo stesso <img src="/images/emoji/twitter/frowning.png?v=12" title=":frowning:" class="emoji" alt=":frowning:"> ' +
          '<a href="/t/altro/11">vedi</a></p><script>alert(1)</script>',
        reply_to_post_number: null,
        like: 4,
      },
    ];
    const c = createDiscourseConnector();
    const out = ok(await c.poll(cfg({}), {}, ctx()));
    expect(out.items).toHaveLength(1);
    const item = out.items[0]!;
    expect(item).toMatchObject({
      external_id: discoursePostId(host(), 10, 1),
      thread_id: discoursePostId(host(), 10, 1),
      title: 'Aurora: il caffè è peggiorato?',
      author: 'giulia',
      url: `${base}/t/aurora-il-caffe-e-peggiorato/10`,
      likes: 4,
      comments: 0,
      published_at: '2025-06-10T08:00:00.000Z',
    });
    expect(item.parent_id).toBeUndefined();
    expect(item.text).toContain(`href="${base}/t/altro/11"`);
    const stored = normalizeMention(item, { secret: 's', now: Date.now() });
    expect(stored.text).toBe('Da una settimana non è più lo stesso :frowning: vedi');
    expect(stored.text).not.toMatch(/alert|testo di un altro|</);
    // Next poll: the same topic is not new; a new one is.
    topics.push({ id: 11, title: 'Nuovo', slug: 'nuovo', created_at: '2025-06-11T08:00:00.000Z', user_id: 2 });
    posts.push({ id: 110, topic_id: 11, post_number: 1, username: 'marco', created_at: '2025-06-11T08:00:00.000Z', cooked: '<p>ciao</p>', reply_to_post_number: null });
    const next = ok(await c.poll(cfg({}), out.state, ctx()));
    expect(next.items.map((i) => i.external_id)).toEqual([discoursePostId(host(), 11, 1)]);
    const third = ok(await c.poll(cfg({}), next.state, ctx()));
    expect(third.items).toHaveLength(0);
    expect(third.notModified).toBe(true);
  });

  it('a forum under a path, with an API key sent as Api-Key / Api-Username headers', async () => {
    topics = [{ id: 5, title: 'Privato', slug: 'privato', created_at: '2025-06-10T08:00:00.000Z', user_id: 1 }];
    const out = ok(await createDiscourseConnector({ maxTopicFetches: 0 }).poll(cfg({ baseUrl: `${base}/forum/`, apiUsername: 'system' }), {}, ctx({ apiKey: 'k-123' })));
    // Without fetching the first post, the topic still comes with its title and original poster.
    expect(out.items[0]).toMatchObject({ title: 'Privato', author: 'giulia', url: `${base}/forum/t/privato/5` });
    expect(log[0]?.path).toBe('/forum/latest.json');
    expect(log[0]?.headers['api-key']).toBe('k-123');
    expect(log[0]?.headers['api-username']).toBe('system');
    const missingUser = await createDiscourseConnector().poll(cfg({}), {}, ctx({ apiKey: 'k' }));
    expect(missingUser).toMatchObject({ ok: false, error: { kind: 'config', permanent: true } });
  });

  it('search: newest posts with the words, as replies in their topic', async () => {
    topics = [{ id: 20, title: 'Colazione', slug: 'colazione', created_at: '2025-06-01T08:00:00.000Z', user_id: 1 }];
    posts = [
      { id: 200, topic_id: 20, post_number: 1, username: 'giulia', created_at: '2025-06-01T08:00:00.000Z', cooked: '<p>dove fare colazione?</p>', reply_to_post_number: null },
      { id: 201, topic_id: 20, post_number: 2, username: 'marco', created_at: '2025-06-01T09:00:00.000Z', cooked: '<p>Da Aurora, ottimo</p>', reply_to_post_number: 1, like: 2 },
    ];
    const c = createDiscourseConnector();
    const out = ok(await c.poll(cfg({ mode: 'search', query: 'aurora' }), {}, ctx()));
    expect(log[0]?.query.get('q')).toBe('aurora order:latest');
    expect(out.items).toHaveLength(1);
    expect(out.items[0]).toMatchObject({
      external_id: discoursePostId(host(), 20, 2),
      parent_id: discoursePostId(host(), 20, 1),
      thread_id: discoursePostId(host(), 20, 1),
      text: 'Da Aurora, ottimo',
      likes: 2,
      url: `${base}/t/colazione/20/2`,
    });
    const again = ok(await c.poll(cfg({ mode: 'search', query: 'aurora' }), out.state, ctx()));
    expect(again.items).toHaveLength(0);
  });

  it("a topic's posts: beyond the first 20 through posts.json, reply_to_post_number as parent, then only new posts", async () => {
    topics = [{ id: 30, title: 'Thread lungo', slug: 'thread-lungo', created_at: '2025-06-01T08:00:00.000Z', user_id: 1 }];
    for (let n = 1; n <= 45; n++) {
      posts.push({
        id: 3000 + n,
        topic_id: 30,
        post_number: n,
        username: n % 2 ? 'giulia' : 'marco',
        created_at: new Date(Date.UTC(2025, 5, 1, 8, n)).toISOString(),
        cooked: `<p>messaggio ${n}</p>`,
        reply_to_post_number: n > 2 && n % 5 === 0 ? n - 1 : null,
      });
    }
    const c = createDiscourseConnector();
    const out = ok(await c.poll(cfg({ mode: 'topic', topicId: 30 }), {}, ctx()));
    expect(out.items).toHaveLength(45);
    expect(new Set(out.items.map((i) => i.external_id)).size).toBe(45);
    const fetches = log.filter((l) => l.path === '/t/30/posts.json');
    expect(fetches).toHaveLength(2);
    expect(fetches[0]!.query.getAll('post_ids[]')).toHaveLength(20);
    const p10 = out.items.find((i) => i.external_id === discoursePostId(host(), 30, 10));
    expect(p10?.parent_id).toBe(discoursePostId(host(), 30, 9));
    const p7 = out.items.find((i) => i.external_id === discoursePostId(host(), 30, 7));
    expect(p7?.parent_id).toBe(discoursePostId(host(), 30, 1));
    posts.push({ id: 3046, topic_id: 30, post_number: 46, username: 'marco', created_at: '2025-06-02T08:00:00.000Z', cooked: '<p>nuovo</p>', reply_to_post_number: 45 });
    const next = ok(await c.poll(cfg({ mode: 'topic', topicId: 30 }), out.state, ctx()));
    expect(next.items.map((i) => i.text)).toEqual(['<p>nuovo</p>']);
  });

  it('errors in plain Italian: 429 with Retry-After, 404, 403, an HTML page instead of JSON, a closed port', async () => {
    const c = createDiscourseConnector();
    forced.push({ status: 429, headers: { 'Retry-After': '30', 'Content-Type': 'application/json' } });
    const limited = await c.poll(cfg({}), {}, ctx());
    expect(limited).toMatchObject({ ok: false, error: { kind: 'rate_limited', httpStatus: 429, retryAfterMs: 30_000, message: 'troppe richieste al forum (429): riprovo tra 30 secondi' } });
    const missing = await c.poll(cfg({ mode: 'topic', topicId: 999 }), {}, ctx());
    expect(missing).toMatchObject({ ok: false, error: { httpStatus: 404, permanent: true } });
    forced.push({ status: 403 });
    const denied = await c.poll(cfg({}), {}, ctx());
    expect(denied).toMatchObject({ ok: false, error: { kind: 'auth', permanent: true, httpStatus: 403 } });
    forced.push({ status: 200, headers: { 'Content-Type': 'text/html' }, body: '<!doctype html><html><body>Login</body></html>' });
    const html = await c.poll(cfg({}), {}, ctx());
    expect(html).toMatchObject({ ok: false, error: { kind: 'bad_json' } });
    if (!html.ok) expect(html.error.message).toMatch(/pagina web/);
    forced.push({ status: 200, body: '{"hello": 1}' });
    const other = await c.poll(cfg({}), {}, ctx());
    expect(other).toMatchObject({ ok: false, error: { kind: 'not_discourse', permanent: true } });
    const closed = await c.poll(cfg({ baseUrl: 'http://127.0.0.1:1' }), {}, ctx());
    expect(closed).toMatchObject({ ok: false, error: { kind: 'network', message: 'il server del forum rifiuta la connessione' } });
  });
});
