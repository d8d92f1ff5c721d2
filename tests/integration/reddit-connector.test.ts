// The Reddit connector with the real snoowrap (and its real `request` HTTP stack) against a
// fake Reddit on 127.0.0.1 over HTTPS, trusted through a CA made for this test only.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedditConnector, redditConfigProblem, threadIdFromUrl } from '../../src/connectors/inbound/reddit';
import type { ConnectorState, PollContext, PollOutcome } from '../../src/core/sources/ports';
import type { ConfigOf, SourceSecrets } from '../../src/shared/sources';
import { InboundMentionSchema } from '../../src/shared/schemas';
import { FakeReddit } from './support/fake-reddit';

const fake = new FakeReddit();
const T0 = 1_760_000_000; // seconds

function ctx(secrets: SourceSecrets, signal = new AbortController().signal): PollContext {
  return { signal, now: () => Date.now(), secrets, sourceName: 'Reddit brand' };
}
const pwSecrets = (): SourceSecrets => ({ clientSecret: fake.app.clientSecret, password: fake.app.password });
const cfg = (c: Partial<ConfigOf<'reddit'>>): ConfigOf<'reddit'> => ({
  mode: 'subreddit_posts',
  clientId: fake.app.clientId,
  username: fake.app.username,
  ...c,
});
function connector() {
  return createRedditConnector({ endpointDomain: fake.endpointDomain, requestOptions: { ca: fake.ca, lookup: fake.lookup }, timeoutMs: 5_000 });
}
function ok(o: PollOutcome): Extract<PollOutcome, { ok: true }> {
  if (!o.ok) throw new Error(`poll failed: ${o.error.kind} ${o.error.message}`);
  return o;
}

beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.posts = [];
  fake.comments = [];
  fake.log = [];
  fake.forced = [];
  fake.rate.used = 0;
  fake.tokenTtlS = 3600;
});

describe('reddit connector (snoowrap over HTTPS, test CA)', () => {
  it('logs in with a script app (password grant) and maps new posts with score, comments and thread ids', async () => {
    fake.posts = [
      { id: 'aaa1', subreddit: 'italy', title: 'Caffè Aurora ha chiuso?', selftext: 'Qualcuno sa **perché**?', author: 'mario', created_utc: T0, score: 42, num_comments: 7 },
      { id: 'aaa2', subreddit: 'italy', title: 'Link a un articolo', author: 'lucia', created_utc: T0 + 10, url: 'https://news.example/a?utm_source=x', is_self: false },
      { id: 'bbb1', subreddit: 'other', title: 'fuori', author: 'x', created_utc: T0 + 20 },
    ];
    const c = connector();
    const out = ok(await c.poll(cfg({ subreddit: 'r/italy' }), {}, ctx(pwSecrets())));
    expect(out.items.map((i) => i.external_id)).toEqual(['t3_aaa2', 't3_aaa1']);
    const first = out.items[1]!;
    expect(first).toMatchObject({
      source: 'Reddit brand',
      title: 'Caffè Aurora ha chiuso?',
      text: 'Qualcuno sa **perché**?',
      author: 'mario',
      score: 42,
      comments: 7,
      thread_id: 't3_aaa1',
      url: 'https://www.reddit.com/r/italy/comments/aaa1/caff_aurora_ha_chiuso_/',
      published_at: new Date(T0 * 1000).toISOString(),
    });
    expect(out.items[0]!.text).toBe('https://news.example/a?utm_source=x');
    for (const i of out.items) expect(InboundMentionSchema.safeParse(i).success).toBe(true);
    const token = fake.log.find((l) => l.path === '/api/v1/access_token');
    expect(token?.form?.get('grant_type')).toBe('password');
    expect(token?.form?.get('username')).toBe('brand_bot');
    expect(fake.log.find((l) => l.path === '/r/italy/new')?.auth).toMatch(/^Bearer tok-/i);
    // Rate-limit headers reported to the scheduler.
    expect(out.rateLimit).toEqual({ remaining: 99, resetMs: 420_000 });
    expect(out.minDelayMs).toBeUndefined();
  });

  it('keeps its cursor: the next poll brings only what is new, and pages with `after` when a page is all new', async () => {
    fake.posts = [{ id: 'p0', subreddit: 'italy', title: 'vecchio', author: 'a', created_utc: T0 }];
    const c = connector();
    const first = ok(await c.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets())));
    expect(first.items).toHaveLength(1);
    const again = ok(await c.poll(cfg({ subreddit: 'italy' }), first.state, ctx(pwSecrets())));
    expect(again.items).toHaveLength(0);
    expect(again.notModified).toBe(true);
    // 150 new posts: more than one page of 100.
    for (let i = 1; i <= 150; i++) fake.posts.push({ id: `n${i}`, subreddit: 'italy', title: `nuovo ${i}`, author: `u${i}`, created_utc: T0 + 1000 + i });
    fake.log = [];
    const third = ok(await c.poll(cfg({ subreddit: 'italy' }), again.state, ctx(pwSecrets())));
    expect(third.items).toHaveLength(150);
    expect(new Set(third.items.map((i) => i.external_id)).size).toBe(150);
    const pages = fake.log.filter((l) => l.path === '/r/italy/new');
    expect(pages).toHaveLength(2);
    expect(pages[1]!.query.get('after')).toBe('t3_n51');
    // The token is reused between polls.
    expect(fake.log.filter((l) => l.path === '/api/v1/access_token')).toHaveLength(0);
  });

  it('new comments of subreddits keep thread and parent ids', async () => {
    fake.posts = [{ id: 'th1', subreddit: 'italy', title: 'post', author: 'a', created_utc: T0 }];
    fake.comments = [
      { id: 'c1', link_id: 't3_th1', parent_id: 't3_th1', subreddit: 'italy', body: 'primo commento', author: 'b', created_utc: T0 + 5, score: 3 },
      { id: 'c2', link_id: 't3_th1', parent_id: 't1_c1', subreddit: 'italy', body: 'risposta', author: 'c', created_utc: T0 + 6 },
      { id: 'c3', link_id: 't3_th1', parent_id: 't3_th1', subreddit: 'italy', body: '[removed]', author: '[deleted]', created_utc: T0 + 7 },
    ];
    const out = ok(await connector().poll(cfg({ mode: 'subreddit_comments', subreddit: 'italy' }), {}, ctx(pwSecrets())));
    expect(out.items.map((i) => [i.external_id, i.thread_id, i.parent_id])).toEqual([
      ['t1_c2', 't3_th1', 't1_c1'],
      ['t1_c1', 't3_th1', 't3_th1'],
    ]);
    expect(out.items[1]!.score).toBe(3);
    expect(out.problems).toEqual([{ index: 0, reason: 'commento t1_c3 rimosso o vuoto', ref: { key: 'reddit.commentEmpty', params: { name: 't1_c3' } }, hint: 't1_c3' }]);
  });

  it('searches everywhere or only in chosen subreddits, newest first, with a refresh token', async () => {
    fake.posts = [
      { id: 's1', subreddit: 'italy', title: 'Aurora caffè buono', author: 'a', created_utc: T0 },
      { id: 's2', subreddit: 'milano', title: 'aurora a Milano', author: 'b', created_utc: T0 + 1 },
      { id: 's3', subreddit: 'milano', title: 'altro', author: 'c', created_utc: T0 + 2 },
    ];
    const secrets: SourceSecrets = { clientSecret: fake.app.clientSecret, refreshToken: fake.app.refreshToken };
    const everywhere = ok(await connector().poll(cfg({ mode: 'search', query: 'aurora', username: undefined }), {}, ctx(secrets)));
    expect(everywhere.items.map((i) => i.external_id)).toEqual(['t3_s2', 't3_s1']);
    const search = fake.log.find((l) => l.path === '/search');
    expect(search?.query.get('sort')).toBe('new');
    expect(fake.log.find((l) => l.path === '/api/v1/access_token')?.form?.get('grant_type')).toBe('refresh_token');
    const inMilano = ok(await connector().poll(cfg({ mode: 'search', query: 'aurora', subreddit: 'milano' }), {}, ctx(secrets)));
    expect(inMilano.items.map((i) => i.external_id)).toEqual(['t3_s2']);
    expect(fake.log.some((l) => l.path === '/r/milano/search' && l.query.get('restrict_sr') !== null)).toBe(true);
  });

  it("follows one thread's comments (the brand's own post), nested replies included", async () => {
    fake.posts = [{ id: 'brand1', subreddit: 'CaffeAurora', title: 'Il nostro nuovo menu', author: 'caffe_aurora', created_utc: T0, num_comments: 3 }];
    fake.comments = [
      { id: 'k1', link_id: 't3_brand1', parent_id: 't3_brand1', subreddit: 'CaffeAurora', body: 'bello!', author: 'a', created_utc: T0 + 1 },
      { id: 'k2', link_id: 't3_brand1', parent_id: 't1_k1', subreddit: 'CaffeAurora', body: 'concordo', author: 'b', created_utc: T0 + 2 },
      { id: 'k3', link_id: 't3_brand1', parent_id: 't1_k2', subreddit: 'CaffeAurora', body: 'anche io', author: 'c', created_utc: T0 + 3 },
    ];
    const c = connector();
    const config = cfg({ mode: 'thread', threadUrl: 'https://www.reddit.com/r/CaffeAurora/comments/brand1/il_nostro_nuovo_menu/' });
    const out = ok(await c.poll(config, {}, ctx(pwSecrets())));
    const byId = Object.fromEntries(out.items.map((i) => [i.external_id, i]));
    expect(Object.keys(byId).sort()).toEqual(['t1_k1', 't1_k2', 't1_k3', 't3_brand1']);
    expect(byId.t1_k3).toMatchObject({ thread_id: 't3_brand1', parent_id: 't1_k2', text: 'anche io' });
    expect(fake.log.find((l) => l.path === '/comments/brand1')?.query.get('sort')).toBe('new');
    fake.comments.push({ id: 'k4', link_id: 't3_brand1', parent_id: 't1_k1', subreddit: 'CaffeAurora', body: 'nuovo', author: 'd', created_utc: T0 + 100 });
    const next = ok(await c.poll(config, out.state, ctx(pwSecrets())));
    expect(next.items.map((i) => i.external_id)).toEqual(['t1_k4']);
  });

  it('gets a new access token when the old one has expired', async () => {
    fake.tokenTtlS = 0; // expired as soon as issued
    const c = connector();
    ok(await c.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets())));
    ok(await c.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets())));
    const tokens = fake.log.filter((l) => l.path === '/api/v1/access_token');
    expect(tokens).toHaveLength(2);
    const used = fake.log.filter((l) => l.path === '/r/italy/new').map((l) => l.auth);
    expect(new Set(used).size).toBe(2);
  });

  it('reports a nearly spent budget as a minimum delay until the reset', async () => {
    fake.rate.used = 97;
    fake.posts = [{ id: 'r1', subreddit: 'italy', title: 't', author: 'a', created_utc: T0 }];
    const out = ok(await connector().poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets())));
    expect(out.rateLimit).toEqual({ remaining: 2, resetMs: 420_000 });
    expect(out.minDelayMs).toBe(420_000);
  });

  it('a 429 is one failed poll with retryAfterMs, and snoowrap does not retry on its own', async () => {
    const c = connector();
    ok(await c.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets()))); // token
    fake.log = [];
    fake.forced.push({ status: 429, headers: { 'retry-after': '37' }, body: '{"message": "Too Many Requests", "error": 429}' });
    const out = await c.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets()));
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error).toMatchObject({ kind: 'rate_limited', httpStatus: 429, retryAfterMs: 37_000 });
    expect(out.error.message).toContain('troppe richieste a Reddit (429)');
    expect(fake.log.filter((l) => l.host === 'oauth.reddit.com')).toHaveLength(1);
  });

  it('a 503 is reported once (no internal retry storm)', async () => {
    const c = connector();
    ok(await c.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets())));
    fake.log = [];
    fake.forced.push({ status: 503 }, { status: 503 }, { status: 503 });
    const out = await c.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets()));
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toMatchObject({ kind: 'http_status', httpStatus: 503, message: 'Reddit ha risposto 503' });
    expect(fake.log.filter((l) => l.host === 'oauth.reddit.com')).toHaveLength(1);
  });

  it('wrong password, wrong client secret and a private subreddit are permanent auth errors in Italian', async () => {
    const wrongPw = await connector().poll(cfg({ subreddit: 'italy' }), {}, ctx({ clientSecret: fake.app.clientSecret, password: 'sbagliata' }));
    expect(wrongPw).toMatchObject({ ok: false, error: { kind: 'auth', permanent: true } });
    if (!wrongPw.ok) expect(wrongPw.error.message).toMatch(/nome utente e password/);
    const wrongSecret = await connector().poll(cfg({ subreddit: 'italy' }), {}, ctx({ clientSecret: 'nope', password: fake.app.password }));
    expect(wrongSecret).toMatchObject({ ok: false, error: { kind: 'auth', permanent: true, httpStatus: 401 } });
    const c = connector();
    ok(await c.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets())));
    fake.forced.push({ status: 403, body: '{"reason": "private", "message": "Forbidden", "error": 403}' });
    const priv = await c.poll(cfg({ subreddit: 'segreto' }), {}, ctx(pwSecrets()));
    expect(priv).toMatchObject({ ok: false, error: { kind: 'auth', permanent: true, httpStatus: 403, message: "Reddit nega l'accesso (403): il subreddit è privato" } });
  });

  it('refuses incomplete settings before any request, and fails cleanly when Reddit is unreachable', async () => {
    expect(redditConfigProblem(cfg({ subreddit: 'no spaces!' }), pwSecrets())).toMatch(/subreddit/);
    expect(redditConfigProblem(cfg({ mode: 'search' }), pwSecrets())).toMatch(/cercare/);
    expect(redditConfigProblem(cfg({ subreddit: 'italy' }), {})).toMatch(/credenziali/);
    expect(threadIdFromUrl('https://redd.it/ABC12')).toBe('abc12');
    const out = await connector().poll(cfg({ mode: 'thread', threadUrl: 'https://example.com/x' }), {}, ctx(pwSecrets()));
    expect(out).toMatchObject({ ok: false, error: { kind: 'config', permanent: true } });
    const down = createRedditConnector({ endpointDomain: 'reddit.com:1', requestOptions: { ca: fake.ca, lookup: fake.lookup }, timeoutMs: 2_000 });
    const res = await down.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets()));
    expect(res).toMatchObject({ ok: false, error: { kind: 'network', message: 'Reddit rifiuta la connessione' } });
  });

  it('does not trust a certificate from a CA the process does not know', async () => {
    const c = createRedditConnector({ endpointDomain: fake.endpointDomain, requestOptions: { lookup: fake.lookup }, timeoutMs: 3_000 });
    const out = await c.poll(cfg({ subreddit: 'italy' }), {} as ConnectorState, ctx(pwSecrets()));
    expect(out).toMatchObject({ ok: false, error: { kind: 'network' } });
    if (!out.ok) expect(out.error.message).toMatch(/certificato/);
  });

  it('a body over the cap and a server that never finishes end the poll with a clear error', async () => {
    const c = createRedditConnector({ endpointDomain: fake.endpointDomain, requestOptions: { ca: fake.ca, lookup: fake.lookup }, timeoutMs: 5_000, maxBytes: 50_000, pollTimeoutMs: 1_500 });
    ok(await c.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets())));
    fake.forced.push({ status: 200, body: JSON.stringify({ kind: 'Listing', data: { children: [], pad: 'x'.repeat(200_000) } }) });
    const big = await c.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets()));
    expect(big).toMatchObject({ ok: false, error: { kind: 'too_large' } });
    if (!big.ok) expect(big.error.message).toMatch(/supera il limite/);
    fake.forced.push({ status: 200, hang: true });
    const hung = await c.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets()));
    expect(hung).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    if (!hung.ok) expect(hung.error.message).toMatch(/non ha finito di rispondere/);
    // The client still works afterwards.
    fake.posts = [{ id: 'after', subreddit: 'italy', title: 'dopo', author: 'a', created_utc: T0 }];
    expect(ok(await c.poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets()))).items).toHaveLength(1);
  });

  it('an aborted poll ends at once', async () => {
    const ac = new AbortController();
    ac.abort();
    const out = await connector().poll(cfg({ subreddit: 'italy' }), {}, ctx(pwSecrets(), ac.signal));
    expect(out).toMatchObject({ ok: false, error: { kind: 'aborted' } });
  });
});
