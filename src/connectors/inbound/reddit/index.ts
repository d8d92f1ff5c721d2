// Over 500 lines (~510): one connector behind one interface, and the snoowrap quirks its parts
// share (pacing off, error mapping) read best together; its seams, if it grows, are the OAuth
// client, the listing/search fetch and the mapping of snoowrap's objects.
// Reddit through its OAuth API, with snoowrap kept behind the Connector interface: snoowrap
// has been unmaintained since 2023 (issue #370) and only this folder knows it exists.
//
// snoowrap's own pacing is switched off (no request delay, no retries, rate-limit errors
// not queued): the scheduler owns pacing, backoff and Retry-After, so one failing request
// is one failed poll, reported with what Reddit said.
import type { LookupFunction } from 'node:net';
import Snoowrap from 'snoowrap';
import type { InboundMention } from '../../../shared/schemas';
import type { ConfigOf, SourceSecrets } from '../../../shared/sources';
import { renderText, type ErrorParams, type TextCode, type TextRef } from '../../../shared/errors';
import { connectorError, skipReason, type Connector, type ConnectorError, type ConnectorState, type ItemProblem, type PollContext, type PollOutcome } from '../../../core/sources/ports';
import { resetToDelay } from '../http/json-api';

type RedditConfig = ConfigOf<'reddit'>;

export interface RedditConnectorOptions {
  /** "reddit.com" in production; tests point it at a local server ("reddit.com:PORT"). */
  endpointDomain?: string;
  /** Extra options for every HTTP request (tests: a test-only CA and a DNS override). */
  requestOptions?: { ca?: string | Buffer; lookup?: LookupFunction };
  userAgent?: string;
  timeoutMs?: number;
  /** Most pages read per poll when a busy listing has more new items than one page. */
  maxPages?: number;
  /** Cap on one response body (decompressed); `request` itself has none. */
  maxBytes?: number;
  /** Deadline for a whole poll (token + pages); `request`'s timeout is per socket read. */
  pollTimeoutMs?: number;
}

/** Ends a poll from inside the HTTP layer (body too large) or from its deadline. */
class PollStop extends Error {
  constructor(
    readonly kind: 'too_large' | 'timeout',
    readonly key: TextCode,
    readonly params: ErrorParams,
  ) {
    super(renderText(key, params, 'it'));
    this.name = 'PollStop';
  }
}

/** What Reddit said in its rate-limit headers on the last response. */
interface RateHeaders {
  used?: number;
  remaining?: number;
  resetMs?: number;
}

interface RawResponse {
  statusCode?: number;
  headers?: Record<string, string | string[] | undefined>;
}

/** request-promise's request: a promise that can also be aborted. */
type RequestLike = Promise<unknown> & { abort?: () => void };

type RawRequest = (options: Record<string, unknown>) => RequestLike;

const SUBREDDIT = /^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/;
const PAGE = 100;
/** Items are taken again if newer than the cursor minus this: Reddit's listings lag a little. */
const OVERLAP_S = 600;
const RECENT_MAX = 1_000;

/** The subreddit part of the config as Reddit wants it ("a+b"), or an Italian reason. */
export function subredditParam(raw: string | undefined): string | null {
  if (!raw) return null;
  const parts = raw
    .split(/[+,\s]+/)
    .map((p) => p.trim().replace(/^\/?r\//i, '').replace(/\/$/, ''))
    .filter(Boolean);
  if (parts.length === 0 || !parts.every((p) => SUBREDDIT.test(p))) return null;
  return parts.join('+');
}

/** The base-36 id of a thread from its URL (reddit.com/r/x/comments/ID/…, redd.it/ID). */
export function threadIdFromUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  if (/^redd\.it$/i.test(u.hostname)) return /^\/([a-z0-9]+)\/?$/i.exec(u.pathname)?.[1]?.toLowerCase() ?? null;
  if (!/(^|\.)reddit\.com$/i.test(u.hostname)) return null;
  return /\/comments\/([a-z0-9]+)/i.exec(u.pathname)?.[1]?.toLowerCase() ?? null;
}

/** What is missing or wrong in a Reddit source's settings, as a text of the catalogue; null when usable. */
export function redditConfigProblemCode(config: RedditConfig, secrets: SourceSecrets): TextCode | null {
  switch (config.mode) {
    case 'subreddit_posts':
    case 'subreddit_comments':
      if (!subredditParam(config.subreddit)) return 'reddit.configSubreddit';
      break;
    case 'search':
      if (!config.query) return 'reddit.configQuery';
      if (config.subreddit && !subredditParam(config.subreddit)) return 'reddit.configSearchSubreddit';
      break;
    case 'thread':
      if (!threadIdFromUrl(config.threadUrl)) return 'reddit.configThread';
      break;
  }
  if (!secrets.refreshToken && !(config.username && secrets.password)) return 'reddit.configCredentials';
  if (!secrets.clientSecret && !secrets.refreshToken) return 'reddit.configSecret';
  return null;
}

/** The same, worded in Italian (logs, tests). */
export function redditConfigProblem(config: RedditConfig, secrets: SourceSecrets): string | null {
  const code = redditConfigProblemCode(config, secrets);
  return code === null ? null : renderText(code, {}, 'it');
}

/** A Reddit "thing" (t3 post or t1 comment) as snoowrap's toJSON gives it. */
interface Thing {
  name?: unknown;
  id?: unknown;
  title?: unknown;
  selftext?: unknown;
  body?: unknown;
  author?: unknown;
  created_utc?: unknown;
  permalink?: unknown;
  url?: unknown;
  is_self?: unknown;
  score?: unknown;
  num_comments?: unknown;
  link_id?: unknown;
  parent_id?: unknown;
  link_title?: unknown;
  subreddit?: unknown;
  replies?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined);

function authorOf(t: Thing): string | undefined {
  const a = typeof t.author === 'object' && t.author !== null ? (t.author as { name?: unknown }).name : t.author;
  const name = str(a);
  return name === undefined || name === '[deleted]' ? undefined : name;
}

/** One post or comment → a mention; null (with a reason) when it has nothing usable. */
export function thingToMention(t: Thing, source: string, origin: string): { item: InboundMention } | { reason: string; ref: TextRef } {
  const name = str(t.name);
  if (!name || !/^t[13]_[a-z0-9]+$/i.test(name)) return skipReason('reddit.noName');
  const isPost = name.startsWith('t3_');
  const created = typeof t.created_utc === 'number' ? t.created_utc : undefined;
  const permalink = str(t.permalink);
  const author = authorOf(t);
  const base: InboundMention = {
    source,
    external_id: name,
    text: '',
    ...(permalink ? { url: new URL(permalink, origin).href } : {}),
    ...(author ? { author } : {}),
    ...(created !== undefined ? { published_at: new Date(created * 1000).toISOString() } : {}),
    ...(int(t.score) !== undefined ? { score: int(t.score) } : {}),
  };
  if (isPost) {
    const title = str(t.title);
    let text = str(t.selftext) ?? '';
    if (text === '[removed]' || text === '[deleted]') text = '';
    // A link post's words are its title; the link itself is what people are talking about.
    if (!text && t.is_self === false && str(t.url)) text = str(t.url) ?? '';
    const item: InboundMention = {
      ...base,
      text,
      thread_id: name,
      ...(title ? { title: title.slice(0, 1_000) } : {}),
      ...(int(t.num_comments) !== undefined ? { comments: Math.max(0, int(t.num_comments) ?? 0) } : {}),
    };
    if (!item.text && !item.title) return skipReason('reddit.postEmpty', { name });
    return { item };
  }
  const body = str(t.body);
  if (!body || body === '[removed]' || body === '[deleted]') return skipReason('reddit.commentEmpty', { name });
  const linkId = str(t.link_id);
  const parentId = str(t.parent_id);
  return {
    item: {
      ...base,
      text: body,
      ...(linkId ? { thread_id: linkId } : {}),
      ...(parentId ? { parent_id: parentId } : {}),
    },
  };
}

/** Comments of a thread, depth first, from the nested `replies` listings. */
function flattenComments(list: unknown, out: Thing[]): void {
  if (!Array.isArray(list)) return;
  for (const c of list) {
    if (typeof c !== 'object' || c === null) continue;
    const t = c as Thing;
    if (typeof t.name === 'string' && t.name.startsWith('t1_')) out.push(t);
    flattenComments(t.replies, out);
  }
}

interface Cursor {
  /** created_utc (seconds) of the newest item seen. */
  since: number;
  /** Names seen within the overlap window: a lagging listing does not bring them back. */
  recent: string[];
}

function readCursor(state: ConnectorState): Cursor | null {
  const c = state.cursor as Partial<Cursor> | undefined;
  if (!c || typeof c.since !== 'number' || !Array.isArray(c.recent)) return null;
  return { since: c.since, recent: c.recent.filter((x): x is string => typeof x === 'string') };
}

function errorFromReddit(e: unknown, rate: RateHeaders, now: number): ConnectorError {
  const err = e as {
    name?: string;
    statusCode?: number;
    message?: string;
    error?: { code?: string; reason?: string; error?: string } | string;
    cause?: { code?: string };
    response?: RawResponse;
  };
  if (err?.name === 'AbortError') return connectorError('aborted', 'reddit.aborted');
  if (e instanceof PollStop) return connectorError(e.kind, e.key, e.params);
  const status = typeof err?.statusCode === 'number' ? err.statusCode : undefined;
  if (status !== undefined) {
    const headers = err.response?.headers ?? {};
    const h = (n: string): string | undefined => {
      const v = headers[n];
      return Array.isArray(v) ? v[0] : v;
    };
    const retryAfter = h('retry-after');
    let retryAfterMs = retryAfter && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) * 1000 : undefined;
    if (retryAfterMs === undefined && h('x-ratelimit-reset')) retryAfterMs = resetToDelay(h('x-ratelimit-reset') ?? '', now);
    if (retryAfterMs === undefined && status === 429) retryAfterMs = rate.resetMs;
    const reason = typeof err.error === 'object' && err.error ? (err.error.reason ?? err.error.error) : undefined;
    const base = { httpStatus: status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    if (status === 401) return connectorError('auth', 'reddit.credentials', {}, { ...base, permanent: true });
    if (status === 403) {
      const why: TextCode = reason === 'private' ? 'reddit.private' : reason === 'banned' ? 'reddit.banned' : 'reddit.deniedPlain';
      return connectorError('auth', 'reddit.denied', { why }, { ...base, permanent: true });
    }
    if (status === 404) return connectorError('http_status', 'reddit.notFound', {}, { ...base, permanent: true });
    if (status === 429) {
      return retryAfterMs !== undefined
        ? connectorError('rate_limited', 'reddit.throttledWait', { seconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) }, base)
        : connectorError('rate_limited', 'reddit.throttled', {}, base);
    }
    return connectorError('http_status', 'reddit.status', { status }, base);
  }
  const msg = String(err?.message ?? e);
  if (/invalid.grant/i.test(msg)) return connectorError('auth', 'reddit.badLogin', {}, { permanent: true });
  if (/Reddit returned an error/i.test(msg)) {
    return connectorError('auth', 'reddit.refused', { reason: msg.replace(/^.*Reddit returned an error:\s*/i, '') }, { permanent: true });
  }
  if (err?.name === 'RateLimitError') {
    return connectorError('rate_limited', 'reddit.quota', {}, rate.resetMs !== undefined ? { retryAfterMs: rate.resetMs } : {});
  }
  const code = err?.cause?.code ?? (/\b(E[A-Z]+|ETIMEDOUT|ESOCKETTIMEDOUT)\b/.exec(msg)?.[1] ?? '');
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return connectorError('timeout', 'reddit.timeout');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return connectorError('network', 'reddit.hostNotFound');
  if (code === 'ECONNREFUSED') return connectorError('network', 'reddit.connRefused');
  if (code === 'ECONNRESET') return connectorError('network', 'reddit.connReset');
  if (/certificate|self.signed|CERT_/i.test(msg)) return connectorError('network', 'reddit.cert');
  if (/JSON|Unexpected token/i.test(msg)) return connectorError('bad_json', 'reddit.badJson');
  return connectorError('network', 'reddit.other', { reason: msg.slice(0, 200) });
}

interface Client {
  r: Snoowrap;
  rate: RateHeaders;
  inflight: Set<RequestLike>;
  /** Set for the duration of a poll: stops it with a PollStop. */
  stop: ((e: PollStop) => void) | null;
}

export function createRedditConnector(options: RedditConnectorOptions = {}): Connector<'reddit'> {
  const endpointDomain = options.endpointDomain ?? 'reddit.com';
  const origin = `https://www.${endpointDomain.replace(/:\d+$/, '')}`;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxPages = options.maxPages ?? 3;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const pollTimeoutMs = options.pollTimeoutMs ?? timeoutMs * 3;
  const userAgent = options.userAgent ?? 'desktop:vedetta:0.1 (social listening)';
  // One client per app + account keeps the access token between polls (an hour at Reddit).
  const clients = new Map<string, Client>();

  function clientFor(config: RedditConfig, secrets: SourceSecrets, sourceName: string): Client {
    // Per source: a client's in-flight requests and stop belong to one poll at a time.
    const key = JSON.stringify([sourceName, config.clientId, config.username ?? '', secrets.clientSecret ?? '', secrets.password ?? '', secrets.refreshToken ?? '']);
    const existing = clients.get(key);
    if (existing) return existing;
    const rate: RateHeaders = {};
    const inflight = new Set<RequestLike>();
    const extra = options.requestOptions ?? {};
    // snoowrap documents subclassing rawRequest as the way to customise its HTTP layer:
    // here it records the rate-limit headers and lets a poll abort its requests.
    class Requester extends Snoowrap {
      override rawRequest(opts: Record<string, unknown>): RequestLike {
        const userTransform = opts.transform as ((body: unknown, res: RawResponse) => unknown) | undefined;
        const record = (res: RawResponse | undefined): void => {
          const h = res?.headers ?? {};
          const one = (n: string): string | undefined => {
            const v = h[n];
            return Array.isArray(v) ? v[0] : v;
          };
          const used = one('x-ratelimit-used');
          const remaining = one('x-ratelimit-remaining');
          const reset = one('x-ratelimit-reset');
          if (remaining !== undefined && Number.isFinite(Number(remaining))) rate.remaining = Math.floor(Number(remaining));
          if (used !== undefined && Number.isFinite(Number(used))) rate.used = Number(used);
          if (reset !== undefined && Number.isFinite(Number(reset))) rate.resetMs = Number(reset) * 1000;
        };
        const parent = (Snoowrap.prototype as unknown as { rawRequest: RawRequest }).rawRequest;
        const req = parent.call(this, {
          ...opts,
          ...extra,
          timeout: timeoutMs,
          // request follows redirects for GET by default; a bounded number is enough.
          maxRedirects: 3,
          transform: (body: unknown, res: RawResponse, full: boolean) => {
            record(res);
            if (userTransform) return userTransform(body, res);
            return full ? res : body;
          },
        });
        inflight.add(req);
        // request buffers the whole body with no limit: count it as it arrives.
        let bytes = 0;
        (req as unknown as { on?: (ev: string, fn: (chunk: Buffer) => void) => void }).on?.('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > maxBytes) {
            req.abort?.();
            client.stop?.(new PollStop('too_large', 'reddit.tooLarge', { mb: Math.round(maxBytes / 1048576) }));
          }
        });
        const done = (): void => {
          inflight.delete(req);
        };
        Promise.resolve(req).then(done, done);
        return req;
      }
    }
    const r = new Requester({
      userAgent,
      clientId: config.clientId,
      clientSecret: secrets.clientSecret ?? '',
      ...(secrets.refreshToken
        ? { refreshToken: secrets.refreshToken }
        : { username: config.username ?? '', password: secrets.password ?? '' }),
    });
    r.config({
      endpointDomain,
      requestDelay: 0,
      requestTimeout: timeoutMs,
      continueAfterRatelimitError: false,
      // One attempt: snoowrap would otherwise retry 502/503/504/522 at once, with no backoff.
      // (An empty retryErrorCodes list is worse: snoowrap then catches every error in a
      // handler that crashes on network errors, which have no response.)
      maxRetryAttempts: 1,
      warnings: false,
      debug: false,
    });
    const client: Client = { r, rate, inflight, stop: null };
    // Bounded: credentials rarely change, but a long-running app should not collect them.
    if (clients.size > 50) clients.clear();
    clients.set(key, client);
    return client;
  }

  async function listThings(client: Client, config: RedditConfig, cursor: Cursor | null): Promise<Thing[]> {
    const { r } = client;
    const isNew = (t: Thing): boolean => cursor === null || (typeof t.created_utc === 'number' && t.created_utc > cursor.since - OVERLAP_S);
    const toThings = (l: unknown): Thing[] => {
      const j = (l as { toJSON?: () => unknown }).toJSON ? (l as { toJSON: () => unknown }).toJSON() : l;
      return Array.isArray(j) ? (j as Thing[]) : [];
    };
    if (config.mode === 'thread') {
      const id = threadIdFromUrl(config.threadUrl) ?? '';
      const res = (await r.oauthRequest({ uri: `comments/${id}`, method: 'get', qs: { sort: 'new', limit: 500, depth: 10 } })) as unknown;
      // snoowrap folds Reddit's [post listing, comment listing] pair into one Submission
      // whose `comments` holds the tree; a raw pair is handled too.
      const j = (res as { toJSON?: () => unknown })?.toJSON ? (res as { toJSON: () => unknown }).toJSON() : res;
      const things: Thing[] = [];
      if (Array.isArray(j)) {
        const parts = j.map(toThings);
        things.push(...(parts[0] ?? []));
        flattenComments(parts[1] ?? [], things);
      } else if (typeof j === 'object' && j !== null) {
        things.push(j as Thing);
        flattenComments((j as { comments?: unknown }).comments, things);
      }
      return things;
    }
    let listing: unknown;
    const sub = subredditParam(config.subreddit) ?? undefined;
    if (config.mode === 'subreddit_posts') listing = await r.getNew(sub, { limit: PAGE });
    else if (config.mode === 'subreddit_comments') listing = await r.getNewComments(sub, { limit: PAGE });
    else {
      listing = await r.search({
        query: config.query ?? '',
        sort: 'new',
        time: 'all',
        syntax: 'plain',
        ...(sub ? { subreddit: sub, restrictSr: true } : {}),
        limit: PAGE,
      } as Snoowrap.SearchOptions);
    }
    const things = toThings(listing);
    // Page on (Reddit's `after` cursor) only while a whole page is new, and never on the
    // first poll: the past is not a backlog to drain.
    let pages = 1;
    let page = things;
    while (cursor !== null && pages < maxPages && page.length > 0 && page.every(isNew)) {
      const l = listing as { isFinished?: boolean; fetchMore?: (o: { amount: number; append: boolean }) => Promise<unknown> };
      if (l.isFinished || !l.fetchMore) break;
      listing = await l.fetchMore({ amount: PAGE, append: false });
      page = toThings(listing);
      things.push(...page);
      pages++;
    }
    return things;
  }

  return {
    kind: 'reddit',
    host: () => `oauth.${endpointDomain}`,
    async poll(config, state, ctx: PollContext): Promise<PollOutcome> {
      const problem = redditConfigProblemCode(config, ctx.secrets);
      if (problem) return { ok: false, error: connectorError('config', problem, {}, { permanent: true }), state };
      if (ctx.signal.aborted) return { ok: false, error: connectorError('aborted', 'reddit.aborted'), state };
      const client = clientFor(config, ctx.secrets, ctx.sourceName);
      const onAbort = (): void => {
        for (const req of client.inflight) req.abort?.();
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const cursor = readCursor(state);
      let deadline: NodeJS.Timeout | undefined;
      try {
        const stopped = new Promise<never>((_, reject) => {
          client.stop = reject;
          if (ctx.signal.aborted) reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
          ctx.signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
          deadline = setTimeout(() => {
            reject(new PollStop('timeout', 'reddit.pollTimeout', { seconds: Math.round(pollTimeoutMs / 1000) }));
            for (const req of client.inflight) req.abort?.();
          }, pollTimeoutMs);
        });
        stopped.catch(() => undefined);
        const things = await Promise.race([listThings(client, config, cursor), stopped]);
        const recent = new Set(cursor?.recent ?? []);
        const items: InboundMention[] = [];
        const problems: ItemProblem[] = [];
        let since = cursor?.since ?? 0;
        const seenNow: { name: string; created: number }[] = [];
        things.forEach((t, index) => {
          const name = str(t.name) ?? '';
          const created = typeof t.created_utc === 'number' ? t.created_utc : 0;
          if (cursor && (created <= cursor.since - OVERLAP_S || recent.has(name))) return;
          if (name) seenNow.push({ name, created });
          since = Math.max(since, created);
          const m = thingToMention(t, ctx.sourceName, origin);
          if ('item' in m) items.push(m.item);
          else problems.push({ index, ...m, ...(name ? { hint: name } : {}) });
        });
        const keep = [...(cursor?.recent ?? []).map((n) => ({ name: n, created: since })), ...seenNow]
          .filter((x) => x.created > since - OVERLAP_S)
          .map((x) => x.name);
        const nextCursor: Cursor = { since, recent: [...new Set(keep)].slice(-RECENT_MAX) };
        const rate = client.rate;
        const outcome: PollOutcome = {
          ok: true,
          items,
          problems,
          state: { ...state, cursor: nextCursor },
          ...(items.length === 0 ? { notModified: true } : {}),
        };
        if (rate.remaining !== undefined && rate.resetMs !== undefined) {
          outcome.rateLimit = { remaining: rate.remaining, resetMs: rate.resetMs };
          // A poll costs a few requests: when the budget is nearly gone, wait for the window
          // to reset rather than hit a 429.
          if (rate.remaining < 5) outcome.minDelayMs = rate.resetMs;
        }
        return outcome;
      } catch (e) {
        const error = errorFromReddit(e, client.rate, ctx.now());
        if (error.kind === 'auth') clients.forEach((c, k) => c === client && clients.delete(k));
        return { ok: false, error, state };
      } finally {
        clearTimeout(deadline);
        client.stop = null;
        ctx.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}

export const redditConnector = createRedditConnector();

