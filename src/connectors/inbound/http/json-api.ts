// JSON APIs (Discourse, Mastodon) through the same hardened client as feeds: size cap,
// timeouts, bounded redirects, decompression. Only the Accept header, the extra headers and
// the wording of errors differ; there is no second HTTP client.
import type { ErrorParams, TermKey, TextCode } from '../../../shared/errors';
import { FeedError, waitParams } from '../feeds/errors';
import { fetchFeed } from '../feeds/fetch';
import { connectorError, type ConnectorError } from '../../../core/sources/ports';

/** A service's name in a sentence, in either language: "il forum", "del forum", "al forum" (terms.ts). */
export type ServiceWords = 'forum' | 'mastodon';

/** The params that name the service in an `api.*` text. */
function named(service: ServiceWords): { service: TermKey; of: TermKey; to: TermKey } {
  return { service: `service.${service}`, of: `serviceOf.${service}`, to: `serviceTo.${service}` };
}

/** A failure of the service, said with an `api.*` text. */
function said(kind: string, key: TextCode, service: ServiceWords, params: ErrorParams = {}, more: Omit<ConnectorError, 'kind' | 'message' | 'ref'> = {}): ConnectorError {
  return connectorError(kind, key, { ...params, ...named(service) }, more);
}

export interface JsonRequest {
  headers?: Record<string, string>;
  keepHeaders?: readonly string[];
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
  now?: () => number;
  userAgent?: string;
}

export interface JsonResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  finalUrl: string;
}

/** A failure already phrased for the user, carrying what the scheduler needs. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly error: ConnectorError,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
  }
}

export const JSON_DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/** GET a JSON document. Rejects only with ApiError (a text of the catalogue, kind, status, retry hint). */
export async function getJson(url: string, service: ServiceWords, req: JsonRequest = {}): Promise<JsonResponse> {
  let fetched;
  try {
    fetched = await fetchFeed(url, {
      accept: 'application/json',
      maxBytes: req.maxBytes ?? JSON_DEFAULT_MAX_BYTES,
      timeoutMs: req.timeoutMs ?? 20_000,
      ...(req.headers ? { headers: req.headers } : {}),
      ...(req.keepHeaders ? { keepHeaders: req.keepHeaders } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.now ? { now: req.now } : {}),
      userAgent: req.userAgent ?? 'Vedetta/0.1 (+social listening)',
    });
  } catch (e) {
    throw new ApiError(fromFeedError(e, service), e instanceof FeedError ? (e.headers ?? {}) : {});
  }
  // A JSON API never answers 304 to us: we send no validators.
  if (fetched.kind !== 'ok') {
    throw new ApiError(said('http_status', 'api.status', service, { status: fetched.status }, { httpStatus: fetched.status }));
  }
  const text = fetched.bytes.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const looksHtml = /^\s*</.test(text);
    throw new ApiError(said('bad_json', looksHtml ? 'api.htmlPage' : 'api.badJson', service));
  }
  return { status: fetched.status, body, headers: fetched.headers ?? {}, finalUrl: fetched.finalUrl };
}

/** An HTTP status from a service ("il forum ha risposto 503"). */
export function statusError(service: ServiceWords, status: number, retryAfterMs?: number): ConnectorError {
  const more = { httpStatus: status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  switch (status) {
    case 401:
      return said('auth', 'api.credentials', service, {}, { ...more, permanent: true });
    case 403:
      return said('auth', 'api.denied', service, {}, { ...more, permanent: true });
    case 404:
      return said('http_status', 'api.notFound', service, {}, { ...more, permanent: true });
    case 410:
      return said('gone', 'api.gone', service, {}, { ...more, permanent: true });
    case 429:
      return retryAfterMs !== undefined ? said('rate_limited', 'api.throttledWait', service, waitParams(retryAfterMs), more) : said('rate_limited', 'api.throttled', service, {}, more);
    default:
      return said('http_status', 'api.status', service, { status }, more);
  }
}

/** The feed client's texts that name the feed, and the same for a service ("il feed" → "il forum"). */
const AS_SERVICE: Partial<Record<TextCode, TextCode>> = {
  'feed.hostNotFound': 'api.hostNotFound',
  'feed.connRefused': 'api.connRefused',
  'feed.connReset': 'api.connReset',
  'feed.unreachable': 'api.unreachable',
  'feed.badHttp': 'api.badHttp',
  'feed.badUrl': 'api.badUrl',
  'feed.aborted': 'api.aborted',
  'feed.timeout': 'api.timeout',
  'feed.idle': 'api.idle',
  'feed.interrupted': 'api.interrupted',
};

/** The feed client's errors, reworded for the service. */
export function fromFeedError(e: unknown, service: ServiceWords): ConnectorError {
  if (!(e instanceof FeedError)) {
    return said('network', 'api.unexpected', service, { reason: e instanceof Error ? e.message : String(e) });
  }
  if (e.kind === 'http_status' && e.status !== undefined) {
    // Mastodon and others say when to come back in their own headers, not only Retry-After.
    const reset = e.headers?.['x-ratelimit-reset'];
    let retry = e.retryAfterMs;
    if (retry === undefined && reset !== undefined) retry = resetToDelay(reset, Date.now());
    return statusError(service, e.status, retry);
  }
  if (e.kind === 'too_large') return said(e.kind, 'api.tooLarge', service, { size: String(e.ref.params?.size ?? '') }, { permanent: true });
  // An unsupported compression is, for a service, one that arrived broken.
  if (e.kind === 'network' && /compress/.test(e.message)) return said(e.kind, 'api.badCompression', service);
  const key = (AS_SERVICE as Record<string, TextCode | undefined>)[e.ref.key];
  const more = { ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}), ...(e.transient ? {} : { permanent: true }) };
  return key ? said(e.kind, key, service, e.ref.params ?? {}, more) : connectorError(e.kind, e.ref.key as TextCode, e.ref.params ?? {}, more);
}

/** X-RateLimit-Reset as an ISO date (Mastodon) or seconds from now (Reddit). */
export function resetToDelay(value: string, now: number): number | undefined {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export function apiFailure(e: unknown, service: ServiceWords): ConnectorError {
  if (e instanceof ApiError) return e.error;
  return fromFeedError(e, service);
}
