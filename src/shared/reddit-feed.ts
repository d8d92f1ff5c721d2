// Reddit serves RSS without OAuth: a way in for users whose API app is not approved yet
// (Reddit now approves apps by hand). RSS gives less than the API: no scores, no comment
// counts, about 25 items per request, and unauthenticated rate limits are strict.
import { ApiError } from './contract';
import type { TextRef } from './errors';

export type RedditFeedTarget =
  | { subreddit: string; sort?: 'new' | 'hot' | 'top' | 'rising' }
  | { search: string; subreddit?: string }
  | { threadUrl: string };

export interface RedditFeed {
  url: string;
  /** What the feed gives, for the source form to word in the person's language. */
  description: TextRef;
}

const SUBREDDIT = /^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/;

function subredditName(raw: string): string {
  const name = raw.trim().replace(/^\/?r\//i, '').replace(/\/$/, '');
  // Multireddits ("a+b") are subreddit names joined by "+".
  const parts = name.split('+');
  if (parts.length === 0 || !parts.every((p) => SUBREDDIT.test(p))) {
    throw new ApiError('reddit.rssBadSubreddit', { name: raw });
  }
  return parts.join('+');
}

const REDDIT_HOSTS = /^(?:(?:www|old|new|np|m)\.)?reddit\.com$/i;

/** The RSS address for a subreddit, a search or one thread, with what it gives. */
export function redditFeedUrl(target: RedditFeedTarget): RedditFeed {
  if ('threadUrl' in target) {
    let u: URL;
    try {
      u = new URL(target.threadUrl.trim());
    } catch {
      throw new ApiError('reddit.rssBadThreadUrl');
    }
    let path: string | undefined;
    if (/^redd\.it$/i.test(u.hostname)) {
      const id = /^\/([a-z0-9]+)\/?$/i.exec(u.pathname)?.[1];
      if (id) path = `/comments/${id}/`;
    } else if (REDDIT_HOSTS.test(u.hostname)) {
      const m = /^\/(?:r\/([A-Za-z0-9_]+)\/)?comments\/([a-z0-9]+)(?:\/([^/]*))?/i.exec(u.pathname);
      if (m) path = `${m[1] ? `/r/${m[1]}` : ''}/comments/${m[2]}/${m[3] ? `${m[3]}/` : ''}`;
    }
    if (!path) throw new ApiError('reddit.rssNotThread');
    return {
      url: `https://www.reddit.com${path}.rss`,
      description: { key: 'reddit.rssThread' },
    };
  }
  if ('search' in target) {
    const q = target.search.trim();
    if (!q) throw new ApiError('reddit.rssEmptySearch');
    const params = new URLSearchParams({ q, sort: 'new' });
    if (target.subreddit) {
      const name = subredditName(target.subreddit);
      params.set('restrict_sr', 'on');
      return {
        url: `https://www.reddit.com/r/${name}/search.rss?${params.toString()}`,
        description: { key: 'reddit.rssSearchIn', params: { name, q } },
      };
    }
    return {
      url: `https://www.reddit.com/search.rss?${params.toString()}`,
      description: { key: 'reddit.rssSearchAll', params: { q } },
    };
  }
  const name = subredditName(target.subreddit);
  const sort = target.sort ?? 'new';
  return {
    url: `https://www.reddit.com/r/${name}/${sort}/.rss`,
    description: sort === 'new' ? { key: 'reddit.rssNew', params: { name } } : { key: 'reddit.rssSorted', params: { name, sort } },
  };
}
