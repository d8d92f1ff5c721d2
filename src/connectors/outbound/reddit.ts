// Reddit reply to a post (t3_) or comment (t1_) through snoowrap (POST /api/comment).
// Reddit has no idempotency key: after a crash or a dropped connection the outbox calls
// find(), which reads the account's newest comments for one with the same parent and the
// same text, before it would ever send again. snoowrap's own retries stay off (a retried
// POST could post twice); Retry-After and RATELIMIT answers go back to the outbox.
import type { LookupFunction } from 'node:net';
import Snoowrap from 'snoowrap';
import type { PublishChannelConfig, PublishChannelSecrets } from '../../shared/publishing';
import type { TextCode } from '../../shared/errors';
import { failedTest, publishError, testSaid, type FindOutcome, type PublishConnector, type PublishContext, type PublishError, type PublishOutcome } from '../../core/publishing/ports';
import { retryAfterMs } from './http';
import { sameText } from './same-text';

export interface RedditPublishOptions {
  /** "reddit.com" in production; tests point it at a local server ("reddit.com:PORT"). */
  endpointDomain?: string;
  /** Extra options for every HTTP request (tests: a test-only CA and a DNS override). */
  requestOptions?: { ca?: string | Buffer; lookup?: LookupFunction };
  userAgent?: string;
  timeoutMs?: number;
}

const FULLNAME = /^t([13])_([a-z0-9]+)$/i;

interface Thing {
  name?: unknown;
  body?: unknown;
  parent_id?: unknown;
  permalink?: unknown;
}

const json = (v: unknown): unknown => ((v as { toJSON?: () => unknown })?.toJSON ? (v as { toJSON: () => unknown }).toJSON() : v);

export function createRedditPublisher(options: RedditPublishOptions = {}): PublishConnector {
  const endpointDomain = options.endpointDomain ?? 'reddit.com';
  const origin = `https://www.${endpointDomain.replace(/:\d+$/, '')}`;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const userAgent = options.userAgent ?? 'desktop:vedetta:0.1 (publishing)';
  const clients = new Map<string, Snoowrap>();

  function configProblem(config: PublishChannelConfig, secrets: PublishChannelSecrets): TextCode | null {
    if (!config.clientId) return 'publish.redditNoClientId';
    if (!secrets.refreshToken && !(config.username && secrets.password)) return 'publish.redditCredentials';
    if (!secrets.clientSecret && !secrets.refreshToken) return 'publish.redditNoSecret';
    return null;
  }

  const keyOf = ({ config, secrets }: PublishContext): string =>
    JSON.stringify([config.clientId, config.username ?? '', secrets.clientSecret ?? '', secrets.password ?? '', secrets.refreshToken ?? '']);

  function client(ctx: PublishContext): Snoowrap {
    const { config, secrets } = ctx;
    const key = keyOf(ctx);
    const existing = clients.get(key);
    if (existing) return existing;
    const extra = options.requestOptions ?? {};
    class Requester extends Snoowrap {
      override rawRequest(opts: Record<string, unknown>): Promise<unknown> {
        const parent = (Snoowrap.prototype as unknown as { rawRequest: (o: Record<string, unknown>) => Promise<unknown> }).rawRequest;
        return parent.call(this, { ...opts, ...extra, timeout: timeoutMs, maxRedirects: 0, followRedirect: false });
      }
    }
    const r = new Requester({
      userAgent,
      clientId: config.clientId ?? '',
      clientSecret: secrets.clientSecret ?? '',
      ...(secrets.refreshToken ? { refreshToken: secrets.refreshToken } : { username: config.username ?? '', password: secrets.password ?? '' }),
    });
    r.config({
      endpointDomain,
      requestDelay: 0,
      requestTimeout: timeoutMs,
      continueAfterRatelimitError: false,
      // One attempt: snoowrap would retry 5xx at once, and a retried POST can post twice.
      maxRetryAttempts: 1,
      warnings: false,
      debug: false,
    });
    if (clients.size > 20) clients.clear();
    clients.set(key, r);
    return r;
  }

  function forget(ctx: PublishContext): void {
    clients.delete(keyOf(ctx));
  }

  function toError(e: unknown, now: number): PublishError {
    const err = e as { statusCode?: number; message?: string; response?: { headers?: Record<string, string | string[] | undefined> }; cause?: { code?: string }; error?: { code?: string } };
    const status = typeof err?.statusCode === 'number' ? err.statusCode : undefined;
    if (status !== undefined) {
      const h = err.response?.headers ?? {};
      const one = (n: string): string | undefined => {
        const v = h[n];
        return Array.isArray(v) ? v[0] : v;
      };
      let wait = retryAfterMs(one('retry-after'), now);
      const reset = one('x-ratelimit-reset');
      if (wait === undefined && status === 429 && reset && /^\d+(\.\d+)?$/.test(reset)) wait = Number(reset) * 1000;
      const w = wait !== undefined ? { retryAfterMs: wait } : {};
      const refused = { permanent: true, uncertain: false, httpStatus: status };
      if (status === 401) return publishError('reddit.credentials', {}, refused);
      if (status === 403) return publishError('publish.redditDenied', {}, refused);
      if (status === 404) return publishError('publish.redditNotFound', {}, refused);
      if (status === 429) {
        const how = { permanent: false, uncertain: false, httpStatus: 429, ...w };
        return wait !== undefined ? publishError('reddit.throttledWait', { seconds: Math.max(1, Math.ceil(wait / 1000)) }, how) : publishError('reddit.throttled', {}, how);
      }
      if (status >= 500) return publishError('reddit.status', { status }, { permanent: false, uncertain: true, httpStatus: status, ...w });
      return publishError('publish.redditRefused', { status }, refused);
    }
    const msg = String(err?.message ?? e);
    // Reddit answers 200 with json.errors for refusals it explains: ratelimit, locked thread…
    const rl = /^RATELIMIT,([^,]*)/.exec(msg);
    if (rl) {
      const m = /(\d+)\s*(second|minute|minut)/i.exec(rl[1] ?? '');
      const wait = m ? Number(m[1]) * (/^second/i.test(m[2]!) ? 1000 : 60_000) : 60_000;
      return publishError('publish.redditWait', { said: rl[1]?.trim() || 'RATELIMIT' }, { permanent: false, uncertain: false, retryAfterMs: wait });
    }
    const known = /^([A-Z_]{4,}),([^,]*)/.exec(msg);
    if (known) return publishError('publish.redditRefusedWhy', { said: known[2]?.trim() || known[1]!, code: known[1]! }, { permanent: true, uncertain: false });
    if (/invalid.grant/i.test(msg)) return publishError('reddit.badLogin', {}, { permanent: true, uncertain: false });
    const code = err?.cause?.code ?? err?.error?.code ?? (/\b(E[A-Z]{4,})\b/.exec(msg)?.[1] ?? '');
    const notSent = { permanent: false, uncertain: false };
    if (code === 'ECONNREFUSED') return publishError('reddit.connRefused', {}, notSent);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return publishError('reddit.hostNotFound', {}, notSent);
    if (/certificate|self.signed|CERT_/i.test(msg)) return publishError('reddit.cert', {}, notSent);
    const maybeSent = { permanent: false, uncertain: true };
    if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return publishError('reddit.timeout', {}, maybeSent);
    return code ? publishError('publish.redditConnBrokenCode', { code }, maybeSent) : publishError('reddit.connReset', {}, maybeSent);
  }

  function published(t: Thing): { externalId: string | null; url: string | null } {
    const name = typeof t.name === 'string' ? t.name : null;
    const permalink = typeof t.permalink === 'string' ? t.permalink : null;
    return { externalId: name, url: permalink ? new URL(permalink, origin).href : null };
  }

  return {
    kind: 'reddit',
    configProblem,
    async publish(job, ctx): Promise<PublishOutcome> {
      const problem = configProblem(ctx.config, ctx.secrets);
      if (problem) return { ok: false, error: publishError(problem, {}, { permanent: true, uncertain: false }) };
      const m = FULLNAME.exec(job.target ?? '');
      if (!m) return { ok: false, error: publishError('publish.redditTargetKind', {}, { permanent: true, uncertain: false }) };
      const r = client(ctx);
      try {
        const parent = m[1] === '3' ? r.getSubmission(m[2]!.toLowerCase()) : r.getComment(m[2]!.toLowerCase());
        const reply = (await (parent as unknown as { reply(text: string): Promise<unknown> }).reply(job.text)) as unknown;
        const t = json(reply) as Thing;
        return { ok: true, ...published(t) };
      } catch (e) {
        const error = toError(e, ctx.now());
        if (error.httpStatus === 401) forget(ctx);
        return { ok: false, error };
      }
    },
    async find(job, ctx): Promise<FindOutcome> {
      const problem = configProblem(ctx.config, ctx.secrets);
      if (problem) return { ok: false, error: publishError(problem, {}, { permanent: true, uncertain: false }) };
      const r = client(ctx);
      try {
        const me = json(await r.oauthRequest({ uri: 'api/v1/me', method: 'get' })) as { name?: unknown };
        if (typeof me?.name !== 'string') return { ok: false, error: publishError('publish.redditWhoAmI', {}, { permanent: false, uncertain: true }) };
        const listing = json(await r.oauthRequest({ uri: `user/${encodeURIComponent(me.name)}/comments`, method: 'get', qs: { limit: 100, sort: 'new' } }));
        const things = (Array.isArray(listing) ? listing : []) as Thing[];
        const hit = things.map(json).find((t) => {
          const x = t as Thing;
          return x.parent_id === job.target && typeof x.body === 'string' && sameText(x.body, job.text);
        }) as Thing | undefined;
        return { ok: true, found: hit ? published(hit) : null };
      } catch (e) {
        return { ok: false, error: toError(e, ctx.now()) };
      }
    },
    async test(ctx) {
      const problem = configProblem(ctx.config, ctx.secrets);
      if (problem) return testSaid(false, problem);
      try {
        const me = json(await client(ctx).oauthRequest({ uri: 'api/v1/me', method: 'get' })) as { name?: unknown };
        return testSaid(true, 'publish.redditConnected', { name: typeof me?.name === 'string' ? me.name : '?' });
      } catch (e) {
        forget(ctx);
        return failedTest(toError(e, ctx.now()));
      }
    },
  };
}
