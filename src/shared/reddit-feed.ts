// Reddit serves RSS without OAuth: a way in for users whose API app is not approved yet
// (Reddit now approves apps by hand). RSS gives less than the API: no scores, no comment
// counts, about 25 items per request, and unauthenticated rate limits are strict.

export type RedditFeedTarget =
  | { subreddit: string; sort?: 'new' | 'hot' | 'top' | 'rising' }
  | { search: string; subreddit?: string }
  | { threadUrl: string };

export interface RedditFeed {
  url: string;
  /** What the feed gives, in Italian, for the source form. */
  description: string;
}

const SUBREDDIT = /^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/;

function subredditName(raw: string): string {
  const name = raw.trim().replace(/^\/?r\//i, '').replace(/\/$/, '');
  // Multireddits ("a+b") are subreddit names joined by "+".
  const parts = name.split('+');
  if (parts.length === 0 || !parts.every((p) => SUBREDDIT.test(p))) {
    throw new Error(`nome di subreddit non valido: "${raw}"`);
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
      throw new Error('indirizzo della discussione Reddit non valido');
    }
    let path: string | undefined;
    if (/^redd\.it$/i.test(u.hostname)) {
      const id = /^\/([a-z0-9]+)\/?$/i.exec(u.pathname)?.[1];
      if (id) path = `/comments/${id}/`;
    } else if (REDDIT_HOSTS.test(u.hostname)) {
      const m = /^\/(?:r\/([A-Za-z0-9_]+)\/)?comments\/([a-z0-9]+)(?:\/([^/]*))?/i.exec(u.pathname);
      if (m) path = `${m[1] ? `/r/${m[1]}` : ''}/comments/${m[2]}/${m[3] ? `${m[3]}/` : ''}`;
    }
    if (!path) throw new Error("non è l'indirizzo di una discussione Reddit (…/comments/…)");
    return {
      url: `https://www.reddit.com${path}.rss`,
      description:
        'I commenti di una discussione (per esempio il post del brand): il post e i commenti più recenti, senza punteggi.',
    };
  }
  if ('search' in target) {
    const q = target.search.trim();
    if (!q) throw new Error('la ricerca è vuota');
    const params = new URLSearchParams({ q, sort: 'new' });
    if (target.subreddit) {
      const name = subredditName(target.subreddit);
      params.set('restrict_sr', 'on');
      return {
        url: `https://www.reddit.com/r/${name}/search.rss?${params.toString()}`,
        description: `I post più recenti di r/${name} che contengono "${q}" (solo post, non commenti).`,
      };
    }
    return {
      url: `https://www.reddit.com/search.rss?${params.toString()}`,
      description: `I post più recenti di tutto Reddit che contengono "${q}" (solo post, non commenti).`,
    };
  }
  const name = subredditName(target.subreddit);
  const sort = target.sort ?? 'new';
  return {
    url: `https://www.reddit.com/r/${name}/${sort}/.rss`,
    description:
      sort === 'new'
        ? `I nuovi post di r/${name}, dal più recente (circa 25 per controllo, senza punteggi né numero di commenti).`
        : `I post di r/${name} ordinati per "${sort}" (circa 25 per controllo, senza punteggi).`,
  };
}
