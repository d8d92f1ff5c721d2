// HTTP client for feeds, on node:http/https directly: rss-parser's parseURL has no size cap,
// no idle timeout, no conditional GET we can persist and no charset detection
// (see SERVICES.md), so we fetch the bytes here and only hand rss-parser a string.
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { Transform } from 'node:stream';
import { FeedError, formatSize, httpStatusError, waitParams } from './errors';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  type FetchOptions,
  type FetchOutcome,
} from './types';

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Retry-After: delay-seconds or an HTTP date. Returns a delay in ms, never negative. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

/** Minimum delay before the next poll: Cache-Control max-age wins over Expires (RFC 9111). */
export function parseCacheMaxAge(
  cacheControl: string | undefined,
  expires: string | undefined,
  date: string | undefined,
  now: number,
): number | undefined {
  if (cacheControl) {
    const directives = cacheControl.toLowerCase().split(',').map((d) => d.trim());
    if (directives.some((d) => d === 'no-store' || d === 'no-cache')) return undefined;
    for (const d of directives) {
      const m = /^max-age\s*=\s*"?(\d+)"?$/.exec(d);
      if (m?.[1] !== undefined) return Number(m[1]) * 1000;
    }
  }
  if (expires) {
    const t = Date.parse(expires);
    if (Number.isNaN(t)) return undefined; // "Expires: 0" and other invalid dates mean already expired
    // Measured against the server's Date when present, so a skewed clock does not matter.
    const base = date && !Number.isNaN(Date.parse(date)) ? Date.parse(date) : now;
    const ms = t - base;
    return ms > 0 ? ms : undefined;
  }
  return undefined;
}

function header(res: http.IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  if (Array.isArray(v)) return v[0];
  return v === undefined || v === '' ? undefined : v;
}

/** The response headers a JSON API client asked to see (rate limits), lower-cased names. */
function pickHeaders(res: http.IncomingMessage, names: readonly string[] | undefined): Record<string, string> | undefined {
  if (!names || names.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = header(res, n.toLowerCase());
    if (v !== undefined) out[n.toLowerCase()] = v;
  }
  return out;
}

function networkError(err: NodeJS.ErrnoException, url: string): FeedError {
  const code = err.code ?? '';
  const details = { url, cause: err };
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new FeedError('feed.hostNotFound', { host: new URL(url).hostname }, details);
    case 'ECONNREFUSED':
      return new FeedError('feed.connRefused', {}, details);
    case 'ECONNRESET':
    case 'EPIPE':
      return new FeedError('feed.connReset', {}, details);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new FeedError('feed.unreachable', {}, details);
    case 'CERT_HAS_EXPIRED':
      return new FeedError('feed.certExpired', {}, details);
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return new FeedError('feed.certInvalid', {}, details);
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CHUNK_SIZE':
      return new FeedError('feed.badHttp', {}, details);
    default:
      return code ? new FeedError('feed.networkCode', { code }, details) : new FeedError('feed.network', { reason: err.message }, details);
  }
}

function checkScheme(target: URL): void {
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new FeedError('feed.scheme', { scheme: target.protocol }, { url: target.href });
  }
}

function parseUrl(raw: string, base?: string): URL {
  try {
    return base === undefined ? new URL(raw) : new URL(raw, base);
  } catch (e) {
    throw new FeedError('feed.badUrl', { url: raw.slice(0, 200) }, { cause: e });
  }
}

interface Hop {
  res: http.IncomingMessage;
  req: http.ClientRequest;
}

/**
 * Fetches a feed's bytes. Resolves with the body or `notModified`; rejects only with a
 * FeedError (never an unhandled exception, whatever the server does).
 */
export async function fetchFeed(url: string, options: FetchOptions = {}): Promise<FetchOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const idleTimeoutMs = Math.min(options.idleTimeoutMs ?? Math.min(timeoutMs, 15_000), timeoutMs);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const now = options.now ?? Date.now;

  let current = parseUrl(url);
  checkScheme(current);
  if (options.signal?.aborted) throw new FeedError('feed.aborted', {}, { url });

  // One deadline and one abort path for the whole exchange, redirects included.
  let active: http.ClientRequest | null = null;
  let failWith: ((e: FeedError) => void) | null = null;
  const fail = (e: FeedError): void => {
    failWith?.(e);
    active?.destroy();
  };
  const deadline = setTimeout(
    () => fail(new FeedError('feed.timeout', waitParams(timeoutMs), { url: current.href })),
    timeoutMs,
  );
  const onAbort = (): void => fail(new FeedError('feed.aborted', {}, { url: current.href }));
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const redirects: string[] = [];
  const seen = new Set<string>([current.href]);
  let allPermanent = true;

  try {
    for (;;) {
      const hop = await new Promise<Hop>((resolve, reject) => {
        failWith = reject;
        const headers: Record<string, string> = {
          'User-Agent': options.userAgent ?? DEFAULT_USER_AGENT,
          Accept: options.accept ?? ACCEPT,
          'Accept-Encoding': 'gzip, deflate, br',
          ...options.headers,
        };
        if (options.etag) headers['If-None-Match'] = options.etag;
        if (options.lastModified) headers['If-Modified-Since'] = options.lastModified;
        const mod = current.protocol === 'https:' ? https : http;
        const req = mod.request(current, { method: 'GET', headers, agent: false });
        active = req;
        req.setTimeout(idleTimeoutMs, () =>
          fail(new FeedError('feed.idle', waitParams(idleTimeoutMs), { url: current.href })),
        );
        req.on('error', (err) => reject(err instanceof FeedError ? err : networkError(err, current.href)));
        req.on('response', (res) => resolve({ res, req }));
        req.end();
      });

      const { res, req } = hop;
      const status = res.statusCode ?? 0;
      if (REDIRECT_STATUSES.has(status)) {
        const location = header(res, 'location');
        res.resume();
        req.destroy();
        if (!location) throw httpStatusError(status, current.href);
        const next = parseUrl(location, current.href);
        checkScheme(next);
        redirects.push(current.href);
        if (status !== 301 && status !== 308) allPermanent = false;
        if (seen.has(next.href)) {
          throw new FeedError('feed.redirectLoop', {}, { url: next.href, status });
        }
        if (redirects.length > maxRedirects) {
          throw new FeedError('feed.redirectMax', { max: maxRedirects }, {
            url: next.href,
            status,
          });
        }
        seen.add(next.href);
        current = next;
        continue;
      }

      const retryAfterMs = parseRetryAfter(header(res, 'retry-after'), now());
      const responseHeaders = pickHeaders(res, options.keepHeaders);
      const common = {
        finalUrl: current.href,
        ...(responseHeaders ? { headers: responseHeaders } : {}),
        redirects,
        ...(redirects.length > 0 && allPermanent ? { permanentRedirectTo: current.href } : {}),
        ...(header(res, 'etag') !== undefined ? { etag: header(res, 'etag') } : {}),
        ...(header(res, 'last-modified') !== undefined ? { lastModified: header(res, 'last-modified') } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      };
      const cacheMaxAgeMs = parseCacheMaxAge(
        header(res, 'cache-control'),
        header(res, 'expires'),
        header(res, 'date'),
        now(),
      );

      if (status === 304) {
        res.resume();
        req.destroy();
        return {
          kind: 'notModified',
          status: 304,
          ...common,
          ...(cacheMaxAgeMs !== undefined ? { cacheMaxAgeMs } : {}),
        };
      }
      if (status < 200 || status >= 300) {
        res.resume();
        req.destroy();
        const err = httpStatusError(status, current.href, retryAfterMs);
        if (responseHeaders) err.headers = responseHeaders;
        throw err;
      }

      const declared = Number(header(res, 'content-length'));
      if (Number.isFinite(declared) && declared > maxBytes) {
        req.destroy();
        throw new FeedError('feed.tooLarge', { size: formatSize(maxBytes) }, { url: current.href });
      }

      const { bytes, wireBytes } = await readBody(res, req, maxBytes, current.href, (reject) => {
        failWith = reject;
      });
      const contentType = header(res, 'content-type');
      return {
        kind: 'ok',
        status,
        ...common,
        ...(cacheMaxAgeMs !== undefined ? { cacheMaxAgeMs } : {}),
        ...(contentType !== undefined ? { contentType } : {}),
        bytes,
        wireBytes,
      };
    }
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onAbort);
    (active as http.ClientRequest | null)?.destroy();
  }
}

function decompressorFor(encoding: string | undefined, url: string): Transform | null {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return null;
  // Streaming decoders flush what they have: a truncated-but-valid prefix still counts.
  const flush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (enc === 'gzip' || enc === 'x-gzip') return zlib.createGunzip(flush);
  // "deflate" is zlib-wrapped by the spec but raw deflate from some servers: Unzip can't tell,
  // so peek at the first byte (0x78 starts every zlib stream).
  if (enc === 'deflate') return createDeflateSniffer();
  if (enc === 'br') return zlib.createBrotliDecompress();
  throw new FeedError('feed.encoding', { encoding: enc }, { url });
}

function createDeflateSniffer(): Transform {
  // A PassThrough-like transform that picks inflate or inflateRaw on the first chunk.
  let inner: zlib.Inflate | zlib.InflateRaw | null = null;
  const outer = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void) {
      if (!inner) {
        inner = (chunk[0] ?? 0) === 0x78 ? zlib.createInflate() : zlib.createInflateRaw();
        inner.on('data', (d: Buffer) => outer.push(d));
        inner.on('error', (e: Error) => outer.destroy(e));
      }
      if (inner.write(chunk)) cb();
      else inner.once('drain', () => cb());
    },
    flush(cb: (err?: Error | null) => void) {
      if (!inner) return cb();
      inner.once('end', () => cb());
      inner.end();
    },
  });
  return outer;
}

function readBody(
  res: http.IncomingMessage,
  req: http.ClientRequest,
  maxBytes: number,
  url: string,
  registerFail: (reject: (e: FeedError) => void) => void,
): Promise<{ bytes: Buffer; wireBytes: number }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (e: FeedError | null, value?: { bytes: Buffer; wireBytes: number }): void => {
      if (settled) return;
      settled = true;
      if (e) {
        decoder?.destroy();
        req.destroy();
        reject(e);
      } else if (value) resolve(value);
    };
    registerFail((e) => done(e));
    const tooLarge = (): FeedError =>
      new FeedError('feed.tooLarge', { size: formatSize(maxBytes) }, { url });

    let decoder: Transform | null;
    try {
      decoder = decompressorFor(header(res, 'content-encoding'), url);
    } catch (e) {
      decoder = null;
      done(e as FeedError);
      return;
    }

    let wireBytes = 0;
    let outBytes = 0;
    const chunks: Buffer[] = [];
    const collect = (chunk: Buffer): void => {
      if (settled) return;
      outBytes += chunk.length;
      if (outBytes > maxBytes) return done(tooLarge());
      chunks.push(chunk);
    };

    res.on('data', (chunk: Buffer) => {
      if (settled) return;
      wireBytes += chunk.length;
      if (wireBytes > maxBytes) return done(tooLarge());
      if (decoder) decoder.write(chunk);
      else collect(chunk);
    });
    res.on('aborted', () =>
      done(new FeedError('feed.interrupted', {}, { url })),
    );
    res.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof FeedError) return done(err);
      done(
        err.code === 'ECONNRESET' || err.message === 'aborted'
          ? new FeedError('feed.interrupted', {}, { url, cause: err })
          : networkError(err, url),
      );
    });
    const finish = (): void => {
      if (!res.complete) {
        return done(new FeedError('feed.interrupted', {}, { url }));
      }
      done(null, { bytes: Buffer.concat(chunks, Math.min(outBytes, maxBytes)), wireBytes });
    };
    if (decoder) {
      decoder.on('data', collect);
      decoder.on('error', (err: Error) =>
        done(new FeedError('feed.badCompression', {}, { url, cause: err })),
      );
      decoder.on('end', finish);
      res.on('end', () => decoder?.end());
    } else {
      res.on('end', finish);
    }
  });
}
