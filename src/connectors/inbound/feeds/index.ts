// Feed connector: fetch (conditional GET, caps, timeouts) → decode → parse → raw items.
// The scheduler of issue #3 calls pollFeed and keeps the validators it returns.
import { FeedError } from './errors';
import { fetchFeed } from './fetch';
import { parseFeed } from './parse';
import type { PollOptions, PollResult } from './types';

export { FeedError, FEED_ERROR_KINDS, isFeedError, type FeedErrorKind } from './errors';
export { fetchFeed, parseRetryAfter, parseCacheMaxAge } from './fetch';
export { decodeFeed, charsetFromContentType } from './decode';
export { parseFeed, absolutizeHtml, toIsoDate, langCode } from './parse';
export { redditFeedUrl, type RedditFeed, type RedditFeedTarget } from './reddit';
export * from './types';

/**
 * Fetches and parses a feed once. Never throws: every failure comes back as a FeedError
 * with a kind for the scheduler and an Italian message for the user.
 */
export async function pollFeed(url: string, options: PollOptions = {}): Promise<PollResult> {
  try {
    const fetched = await fetchFeed(url, options);
    if (fetched.kind === 'notModified') {
      const { kind: _k, status: _s, ...rest } = fetched;
      return { status: 'notModified', ...rest };
    }
    const { kind: _k, bytes, status, ...rest } = fetched;
    await options.beforeParse?.();
    const feed = await parseFeed(bytes, {
      url: fetched.finalUrl,
      ...(fetched.contentType !== undefined ? { contentType: fetched.contentType } : {}),
      ...(options.source !== undefined ? { source: options.source } : {}),
    });
    return { status: 'ok', httpStatus: status, feed, ...rest };
  } catch (e) {
    const error =
      e instanceof FeedError
        ? e
        : new FeedError('feed.unexpected', { reason: e instanceof Error ? e.message : String(e) }, { url, cause: e });
    return { status: 'error', error };
  }
}
