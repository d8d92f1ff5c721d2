// The source form as plain data: what each kind asks, how a stored source fills it, and the
// contract input it becomes. No runes here, so it is unit-testable.
import { ApiError, type OpInput } from '../../../shared/contract';
import { renderText } from '../../../shared/errors';
import type { SourceView } from '../../../shared/ops/sources';
import { redditFeedUrl, type RedditFeedTarget } from '../../../shared/reddit-feed';
import { SOURCE_INTERVAL, type SourceSecrets } from '../../../shared/sources';

/** What the form offers; "Reddit senza API" is stored as an RSS source. */
export type FormKind = 'rss' | 'reddit_rss' | 'reddit' | 'discourse' | 'mastodon';
export const FORM_KINDS: readonly FormKind[] = ['rss', 'reddit_rss', 'reddit', 'discourse', 'mastodon'];

export interface SourceForm {
  kind: FormKind;
  name: string;
  intervalMin: string;
  url: string;
  redditWay: 'subreddit' | 'search' | 'thread';
  subreddit: string;
  query: string;
  threadUrl: string;
  redditMode: 'subreddit_posts' | 'subreddit_comments' | 'search' | 'thread';
  clientId: string;
  username: string;
  baseUrl: string;
  discourseMode: 'latest' | 'search' | 'topic';
  topicId: string;
  apiUsername: string;
  instanceUrl: string;
  mastodonMode: 'hashtag' | 'account';
  hashtag: string;
  account: string;
  secrets: Required<{ [K in keyof SourceSecrets]: string }>;
}

export function emptyForm(kind: FormKind = 'rss'): SourceForm {
  return {
    kind,
    name: '',
    intervalMin: String(SOURCE_INTERVAL.defaultSec / 60),
    url: '',
    redditWay: 'subreddit',
    subreddit: '',
    query: '',
    threadUrl: '',
    redditMode: 'subreddit_posts',
    clientId: '',
    username: '',
    baseUrl: '',
    discourseMode: 'latest',
    topicId: '',
    apiUsername: '',
    instanceUrl: '',
    mastodonMode: 'hashtag',
    hashtag: '',
    account: '',
    secrets: { clientSecret: '', password: '', refreshToken: '', apiKey: '', accessToken: '' },
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The form of a stored source, for editing (credentials are never sent back: left blank). */
export function formOf(s: SourceView): SourceForm {
  const f = emptyForm(s.kind === 'rss' || s.kind === 'reddit' || s.kind === 'discourse' || s.kind === 'mastodon' ? s.kind : 'rss');
  const c = s.config ?? {};
  f.name = s.name;
  f.intervalMin = String(Math.round((s.intervalSec ?? SOURCE_INTERVAL.defaultSec) / 60));
  f.url = str(c.url);
  f.subreddit = str(c.subreddit);
  f.query = str(c.query);
  f.threadUrl = str(c.threadUrl);
  if (c.mode === 'subreddit_posts' || c.mode === 'subreddit_comments' || c.mode === 'search' || c.mode === 'thread') f.redditMode = c.mode;
  f.clientId = str(c.clientId);
  f.username = str(c.username);
  f.baseUrl = str(c.baseUrl);
  if (c.mode === 'latest' || c.mode === 'search' || c.mode === 'topic') f.discourseMode = c.mode;
  f.topicId = str(c.topicId);
  f.apiUsername = str(c.apiUsername);
  f.instanceUrl = str(c.instanceUrl);
  if (c.mode === 'hashtag' || c.mode === 'account') f.mastodonMode = c.mode;
  f.hashtag = str(c.hashtag);
  f.account = str(c.account);
  return f;
}

/** The Reddit RSS address the form would use, with what it gives, or why it cannot. */
export function redditRssOf(f: SourceForm): { url: string; description: string } | { error: string } | null {
  let target: RedditFeedTarget;
  if (f.redditWay === 'subreddit') {
    if (!f.subreddit.trim()) return null;
    target = { subreddit: f.subreddit };
  } else if (f.redditWay === 'search') {
    if (!f.query.trim()) return null;
    target = f.subreddit.trim() ? { search: f.query, subreddit: f.subreddit } : { search: f.query };
  } else {
    if (!f.threadUrl.trim()) return null;
    target = { threadUrl: f.threadUrl };
  }
  try {
    const feed = redditFeedUrl(target);
    return { url: feed.url, description: renderText(feed.description.key, feed.description.params) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export const opt = (s: string): string | undefined => (s.trim() ? s.trim() : undefined);
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export type PolledInput = Extract<OpInput<'sources.test'>, { kind: string }>;

/** The kind and settings the form describes (validated by core; here only assembled). */
export function configOf(f: SourceForm): PolledInput | { error: string } {
  switch (f.kind) {
    case 'rss':
      return { kind: 'rss', config: { url: f.url.trim() } };
    case 'reddit_rss': {
      const r = redditRssOf(f);
      if (!r) return { error: 'reddit_incomplete' };
      if ('error' in r) return { error: r.error };
      return { kind: 'rss', config: { url: r.url } };
    }
    case 'reddit':
      return {
        kind: 'reddit',
        config: compact({
          mode: f.redditMode,
          subreddit: opt(f.subreddit),
          query: opt(f.query),
          threadUrl: opt(f.threadUrl),
          clientId: f.clientId.trim(),
          username: opt(f.username),
        }),
      };
    case 'discourse':
      return {
        kind: 'discourse',
        config: compact({
          baseUrl: f.baseUrl.trim(),
          mode: f.discourseMode,
          query: opt(f.query),
          topicId: f.topicId.trim() ? Number(f.topicId) : undefined,
          apiUsername: opt(f.apiUsername),
        }),
      };
    case 'mastodon':
      return {
        kind: 'mastodon',
        config: compact({ instanceUrl: f.instanceUrl.trim(), mode: f.mastodonMode, hashtag: opt(f.hashtag), account: opt(f.account) }),
      };
  }
}

/** A readable default name for a Reddit RSS source (core would otherwise use the address). */
export function redditRssName(f: SourceForm): string | undefined {
  if (f.kind !== 'reddit_rss') return undefined;
  const sub = f.subreddit.trim().replace(/^\/?r\//i, '');
  if (f.redditWay === 'subreddit' && sub) return `r/${sub} (RSS)`;
  if (f.redditWay === 'search' && f.query.trim()) return `Reddit: "${f.query.trim()}"${sub ? ` in r/${sub}` : ''} (RSS)`.slice(0, 120);
  if (f.redditWay === 'thread' && f.threadUrl.trim()) return `Reddit: discussione ${f.threadUrl.trim()}`.slice(0, 120);
  return undefined;
}

export function secretsOf(f: SourceForm): SourceSecrets | undefined {
  // Only the fields of the chosen kind: something typed before switching kind is not sent (core would refuse it).
  const fields: string[] = secretFields(f.kind);
  const s = compact(Object.fromEntries(Object.entries(f.secrets).map(([k, v]) => [k, v && fields.includes(k) ? v : undefined])) as SourceSecrets);
  return Object.keys(s).length > 0 ? s : undefined;
}

export function intervalSecOf(f: SourceForm): number | undefined {
  const n = Number(f.intervalMin.replace(',', '.'));
  return f.intervalMin.trim() && Number.isFinite(n) ? Math.round(n * 60) : undefined;
}

/** Which credentials a kind takes. */
export function secretFields(kind: FormKind): (keyof SourceSecrets)[] {
  switch (kind) {
    case 'reddit':
      return ['clientSecret', 'password', 'refreshToken'];
    case 'discourse':
      return ['apiKey'];
    case 'mastodon':
      return ['accessToken'];
    case 'rss':
    case 'reddit_rss':
      return [];
  }
}

export interface FormError {
  message: string;
  details: string[];
  /** The name is another source's: said under the name field, not in the general box. */
  nameTaken?: boolean;
}

export function toFormError(e: unknown): FormError {
  if (e instanceof ApiError) return { message: e.message, details: e.detailLines(), ...(e.key === 'sources.nameTaken' ? { nameTaken: true } : {}) };
  return { message: e instanceof Error ? e.message : String(e), details: [] };
}


/**
 * The source already called `name` (case ignored), other than the one being edited: one name,
 * one source, so the form says so while the name is typed (core refuses it too).
 */
export function nameClash(name: string, sources: readonly Pick<SourceView, 'id' | 'name'>[], editingId: number | null): SourceView['name'] | null {
  const n = name.trim().toLocaleLowerCase('it');
  if (!n) return null;
  const hit = sources.find((s) => s.id !== editingId && s.name.toLocaleLowerCase('it') === n);
  return hit ? hit.name : null;
}
