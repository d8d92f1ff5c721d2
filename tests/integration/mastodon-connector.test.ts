// The Mastodon connector against a local server answering Mastodon's documented REST API:
// /api/v1/timelines/tag/:hashtag, /api/v1/accounts/lookup, /api/v1/accounts/:id/statuses,
// since_id / max_id paging, X-RateLimit-* headers and 429.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountParam, createMastodonConnector, mastodonStatusId } from '../../src/connectors/inbound/mastodon';
import type { PollContext, PollOutcome } from '../../src/core/sources/ports';
import type { ConfigOf, SourceSecrets } from '../../src/shared/sources';
import { normalizeMention } from '../../src/core/ingest/normalize';

interface S {
  id: string;
  acct: string;
  accountId: string;
  content: string;
  tags: string[];
  created_at: string;
  in_reply_to_id?: string;
  spoiler_text?: string;
  language?: string;
  favs?: number;
  reblog_of?: string;
}

let server: http.Server;
let base = '';
let statuses: S[] = [];
let log: { path: string; query: URLSearchParams; auth?: string }[] = [];
let forced: { status: number; headers?: Record<string, string>; big?: boolean; drip?: boolean }[] = [];
let remaining = 299;
let requireToken = false;
const RESET = '2030-01-01T00:05:00.000Z';

const accounts: Record<string, { id: string; username: string; acct: string }> = {
  '101': { id: '101', username: 'caffeaurora', acct: 'caffeaurora' },
  '102': { id: '102', username: 'luca', acct: 'luca@altra.social' },
};

function statusJson(s: S): Record<string, unknown> {
  const a = accounts[s.accountId]!;
  const inner = s.reblog_of ? statuses.find((x) => x.id === s.reblog_of) : undefined;
  return {
    id: s.id,
    created_at: s.created_at,
    in_reply_to_id: s.in_reply_to_id ?? null,
    in_reply_to_account_id: null,
    sensitive: Boolean(s.spoiler_text),
    spoiler_text: s.spoiler_text ?? '',
    visibility: 'public',
    language: s.language ?? 'it',
    uri: `https://${new URL(base).host}/users/${a.username}/statuses/${s.id}`,
    url: `https://${new URL(base).host}/@${a.username}/${s.id}`,
    replies_count: 1,
    reblogs_count: 2,
    favourites_count: s.favs ?? 0,
    content: s.content,
    reblog: inner ? statusJson(inner) : null,
    account: { id: a.id, username: a.username, acct: a.acct, display_name: a.username, url: `https://x/@${a.username}` },
    media_attachments: [],
    mentions: [],
    tags: s.tags.map((t) => ({ name: t, url: `https://x/tags/${t}` })),
    emojis: [],
  };
}

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  log.push({ path: url.pathname, query: url.searchParams, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
  remaining = Math.max(0, remaining - 1);
  const rate = { 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': String(remaining), 'X-RateLimit-Reset': RESET };
  const json = (status: number, body: unknown, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...rate, ...extra }).end(JSON.stringify(body));
  };
  const f = forced.shift();
  if (f?.big) return json(200, Array.from({ length: 5_000 }, (_, i) => ({ id: String(i), content: 'x'.repeat(100) })));
  if (f?.drip) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('[');
    return; // never finishes
  }
  if (f) return json(f.status, { error: 'Too many requests' }, f.headers);
  if (requireToken && req.headers.authorization !== 'Bearer tok-ok') return json(401, { error: 'The access token is invalid' });
  const page = (list: S[]): void => {
    const since = url.searchParams.get('since_id');
    const max = url.searchParams.get('max_id');
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 20), 40);
    const sorted = [...list].sort((a, b) => Number(BigInt(b.id) - BigInt(a.id)));
    const filtered = sorted.filter((s) => (!since || BigInt(s.id) > BigInt(since)) && (!max || BigInt(s.id) < BigInt(max)));
    json(200, filtered.slice(0, limit).map(statusJson));
  };
  let m = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(url.pathname);
  if (m) {
    const tag = decodeURIComponent(m[1]!).toLowerCase();
    return page(statuses.filter((s) => s.tags.includes(tag) && !s.reblog_of));
  }
  if (url.pathname === '/api/v1/accounts/lookup') {
    const acct = url.searchParams.get('acct');
    const a = Object.values(accounts).find((x) => x.acct === acct || x.username === acct);
    return a ? json(200, { ...a, display_name: a.username }) : json(404, { error: 'Record not found' });
  }
  m = /^\/api\/v1\/accounts\/(\d+)\/statuses$/.exec(url.pathname);
  if (m) {
    const exclude = url.searchParams.get('exclude_reblogs') === 'true';
    return page(statuses.filter((s) => s.accountId === m![1] && (!exclude || !s.reblog_of)));
  }
  json(404, { error: 'Not found' });
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
  statuses = [];
  log = [];
  forced = [];
  remaining = 299;
  requireToken = false;
});

const ctx = (secrets: SourceSecrets = {}): PollContext => ({ signal: new AbortController().signal, now: () => Date.parse('2030-01-01T00:00:00.000Z'), secrets, sourceName: 'Mastodon #caffeaurora' });
const cfg = (c: Partial<ConfigOf<'mastodon'>>): ConfigOf<'mastodon'> => ({ instanceUrl: base, mode: 'hashtag', hashtag: '#CaffeAurora', ...c });
function ok(o: PollOutcome): Extract<PollOutcome, { ok: true }> {
  if (!o.ok) throw new Error(`poll failed: ${o.error.kind} ${o.error.message}`);
  return o;
}
const host = (): string => new URL(base).host;

describe('mastodon connector', () => {
  it('hashtag timeline: HTML content to safe text, CW kept, reply parent, counts, rate limit, since_id next time', async () => {
    statuses = [
      { id: '110000000000000001', acct: 'caffeaurora', accountId: '101', content: '<p>Nuovo menu! <a href="https://x/tags/caffeaurora" class="mention hashtag" rel="tag">#<span>caffeaurora</span></a></p>', tags: ['caffeaurora'], created_at: '2029-12-31T10:00:00.000Z', favs: 5 },
      { id: '110000000000000002', acct: 'luca', accountId: '102', content: '<p>bello <script>x()</script><a href="https://example.com/very/long"><span class="invisible">https://</span><span class="ellipsis">example.com/ve</span><span class="invisible">ry/long</span></a></p>', tags: ['caffeaurora'], created_at: '2029-12-31T11:00:00.000Z', in_reply_to_id: '110000000000000001', spoiler_text: 'prezzi', language: 'it' },
    ];
    const c = createMastodonConnector();
    const out = ok(await c.poll(cfg({}), {}, ctx()));
    expect(log[0]?.path).toBe('/api/v1/timelines/tag/CaffeAurora');
    expect(out.items.map((i) => i.external_id)).toEqual([mastodonStatusId(host(), '110000000000000002'), mastodonStatusId(host(), '110000000000000001')]);
    const [reply, root] = out.items;
    expect(root).toMatchObject({ author: `caffeaurora@${host()}`, likes: 5, comments: 1, shares: 2, thread_id: root!.external_id, url: `https://${host()}/@caffeaurora/110000000000000001` });
    expect(reply).toMatchObject({ parent_id: root!.external_id, author: 'luca@altra.social', lang: 'it' });
    expect(reply!.thread_id).toBeUndefined();
    const text = normalizeMention(reply!, { secret: 's', now: 0 }).text;
    expect(text).toBe('[CW: prezzi]\nbello https://example.com/very/long');
    expect(out.rateLimit).toEqual({ remaining: 298, resetMs: 300_000 });
    expect(out.state.sinceId).toBe('110000000000000002');
    statuses.push({ id: '110000000000000003', acct: 'caffeaurora', accountId: '101', content: '<p>terzo</p>', tags: ['caffeaurora'], created_at: '2029-12-31T12:00:00.000Z' });
    const next = ok(await c.poll(cfg({}), out.state, ctx()));
    expect(log[log.length - 1]?.query.get('since_id')).toBe('110000000000000002');
    expect(next.items.map((i) => i.text)).toEqual(['<p>terzo</p>']);
  });

  it('pages back with max_id when more than a page is new, without gaps or repeats', async () => {
    const c = createMastodonConnector();
    statuses = [{ id: '1000', acct: 'caffeaurora', accountId: '101', content: 'primo', tags: ['caffeaurora'], created_at: '2029-12-31T00:00:00.000Z' }];
    const first = ok(await c.poll(cfg({}), {}, ctx()));
    for (let i = 1; i <= 90; i++) statuses.push({ id: String(1000 + i), acct: 'luca', accountId: '102', content: `n${i}`, tags: ['caffeaurora'], created_at: '2029-12-31T01:00:00.000Z' });
    log = [];
    const next = ok(await c.poll(cfg({}), first.state, ctx()));
    expect(next.items).toHaveLength(90);
    expect(new Set(next.items.map((i) => i.external_id)).size).toBe(90);
    expect(log.map((l) => l.query.get('max_id'))).toEqual([null, '1051', '1011']);
    expect(next.state.sinceId).toBe('1090');
  });

  it("an account's statuses: lookup once, then the statuses without reblogs; a bearer token when given", async () => {
    requireToken = true;
    statuses = [
      { id: '2001', acct: 'caffeaurora', accountId: '101', content: '<p>ciao</p>', tags: [], created_at: '2029-12-31T00:00:00.000Z' },
      { id: '2002', acct: 'caffeaurora', accountId: '101', content: '', tags: [], created_at: '2029-12-31T00:01:00.000Z', reblog_of: '2001' },
    ];
    const c = createMastodonConnector();
    const out = ok(await c.poll(cfg({ mode: 'account', account: '@caffeaurora' }), {}, ctx({ accessToken: 'tok-ok' })));
    expect(out.items.map((i) => i.external_id)).toEqual([mastodonStatusId(host(), '2001')]);
    expect(log.map((l) => l.path)).toEqual(['/api/v1/accounts/lookup', '/api/v1/accounts/101/statuses']);
    expect(log[1]?.query.get('exclude_reblogs')).toBe('true');
    expect(log.every((l) => l.auth === 'Bearer tok-ok')).toBe(true);
    log = [];
    ok(await c.poll(cfg({ mode: 'account', account: '@caffeaurora' }), out.state, ctx({ accessToken: 'tok-ok' })));
    expect(log.map((l) => l.path)).toEqual(['/api/v1/accounts/101/statuses']);
    const bad = await c.poll(cfg({}), {}, ctx({ accessToken: 'wrong' }));
    expect(bad).toMatchObject({ ok: false, error: { kind: 'auth', permanent: true, httpStatus: 401 } });
  });

  it('a body over the cap and a server that stops sending end the poll with a clear error', async () => {
    const c = createMastodonConnector({ maxBytes: 100_000, timeoutMs: 1_500 });
    forced.push({ status: 200, big: true });
    const big = await c.poll(cfg({}), {}, ctx());
    expect(big).toMatchObject({ ok: false, error: { kind: 'too_large', message: "la risposta dell'istanza Mastodon supera il limite di 98 KB" } });
    forced.push({ status: 200, drip: true });
    const slow = await c.poll(cfg({}), {}, ctx());
    expect(slow).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    if (!slow.ok) expect(slow.error.message).toMatch(/^l'istanza Mastodon non (ha risposto|invia dati)/);
  });

  it('429 with X-RateLimit-Reset becomes retryAfterMs; unknown accounts and bad settings are explained', async () => {
    const c = createMastodonConnector();
    forced.push({ status: 429, headers: { 'X-RateLimit-Reset': new Date(Date.now() + 120_000).toISOString() } });
    const limited = await c.poll(cfg({}), {}, ctx());
    expect(limited.ok).toBe(false);
    if (!limited.ok) {
      expect(limited.error.kind).toBe('rate_limited');
      expect(limited.error.retryAfterMs).toBeGreaterThan(60_000);
      expect(limited.error.retryAfterMs).toBeLessThanOrEqual(120_000);
      expect(limited.error.message).toMatch(/^troppe richieste all'istanza Mastodon \(429\)/);
    }
    const missing = await c.poll(cfg({ mode: 'account', account: 'nessuno' }), {}, ctx());
    expect(missing).toMatchObject({ ok: false, error: { httpStatus: 404, permanent: true, message: `l'account nessuno non esiste su ${host()} (404)` } });
    const badTag = await c.poll(cfg({ hashtag: 'due parole' }), {}, ctx());
    expect(badTag).toMatchObject({ ok: false, error: { kind: 'config', permanent: true } });
    expect(accountParam('https://mastodon.uno/@caffeaurora')).toBe('caffeaurora@mastodon.uno');
  });
});
