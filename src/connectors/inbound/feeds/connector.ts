// RSS/Atom/RDF/JSON Feed behind the Connector interface: pollFeed once, with the
// validators of the previous poll, and its outcome in the scheduler's terms.
import type { Connector, ConnectorError, ConnectorState, PollOutcome } from '../../../core/sources/ports';
import type { FeedError } from './errors';
import { pollFeed } from './index';
import type { FetchOptions } from './types';
import { nextTurn } from '../../../core/sources/turns';

/** Fetch limits the connector applies (tests shorten the timeouts). */
export type FeedConnectorOptions = Pick<FetchOptions, 'timeoutMs' | 'idleTimeoutMs' | 'maxBytes' | 'maxRedirects' | 'userAgent'>;

type FeedState = {
  etag?: string;
  lastModified?: string;
};

function readState(s: ConnectorState): FeedState {
  return {
    ...(typeof s.etag === 'string' ? { etag: s.etag } : {}),
    ...(typeof s.lastModified === 'string' ? { lastModified: s.lastModified } : {}),
  };
}

/**
 * Failures the user must fix before a retry can help: the feed is gone, needs a login, the
 * address is not a web address, or the document declares entities we will never expand.
 * Others (5xx, timeouts, broken XML, HTML instead of a feed) are often passing and count
 * towards the pause after repeated failures.
 */
function isPermanent(e: FeedError): boolean {
  switch (e.kind) {
    case 'http_status':
      return e.status === 410 || e.status === 401;
    case 'bad_url':
    case 'unsupported_scheme':
    case 'dtd_refused':
      return true;
    case 'aborted':
    case 'bad_json_feed':
    case 'bad_xml':
    case 'empty':
    case 'network':
    case 'not_a_feed':
    case 'redirect_loop':
    case 'timeout':
    case 'too_large':
      return false;
  }
}

export function toConnectorError(e: FeedError): ConnectorError {
  return {
    kind: e.kind,
    message: e.message,
    ref: e.ref,
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    ...(isPermanent(e) ? { permanent: true } : {}),
    ...(e.status !== undefined ? { httpStatus: e.status } : {}),
  };
}

export function createFeedConnector(options: FeedConnectorOptions = {}): Connector<'rss'> {
  return {
    kind: 'rss',
    host(config) {
      try {
        return new URL(config.url).host.toLowerCase();
      } catch {
        return config.url;
      }
    },
    async poll(config, state, ctx): Promise<PollOutcome> {
      const prev = readState(state);
      const res = await pollFeed(config.url, {
        ...options,
        etag: prev.etag ?? null,
        lastModified: prev.lastModified ?? null,
        signal: ctx.signal,
        now: ctx.now,
        source: ctx.sourceName,
        beforeParse: nextTurn,
      });
      if (res.status === 'error') return { ok: false, error: toConnectorError(res.error) };
      // A server that stops sending a validator has stopped honouring it.
      const next: FeedState = {
        ...(res.etag !== undefined ? { etag: res.etag } : {}),
        ...(res.lastModified !== undefined ? { lastModified: res.lastModified } : {}),
      };
      const minDelayMs = Math.max(res.cacheMaxAgeMs ?? 0, res.retryAfterMs ?? 0);
      const common = {
        ok: true as const,
        ...(minDelayMs > 0 ? { minDelayMs } : {}),
        ...(res.permanentRedirectTo !== undefined ? { movedTo: res.permanentRedirectTo } : {}),
      };
      if (res.status === 'notModified') {
        return { ...common, items: [], problems: [], state: { ...prev, ...next }, notModified: true };
      }
      return { ...common, items: res.feed.items, problems: res.feed.rejected, state: next };
    },
  };
}
