// Sources screen state: actions on sources (add, edit, pause, resume, delete, poll now, dry
// run) and the notices of sources the scheduler paused. The list itself lives in AppStore,
// refreshed on sources.changed.
import { ApiError, type OpInput, type OpOutput, type VedettaApi } from '../../shared/contract';
import type { SourceView } from '../../shared/ops/sources';
import { redditFeedUrl, type RedditFeedTarget } from '../../shared/reddit-feed';
import { SOURCE_INTERVAL, type SourceSecrets, type SourceTestResult } from '../../shared/sources';

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
    return redditFeedUrl(target);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

const opt = (s: string): string | undefined => (s.trim() ? s.trim() : undefined);
function compact<T extends Record<string, unknown>>(o: T): T {
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

export function secretsOf(f: SourceForm): SourceSecrets | undefined {
  const s = compact(Object.fromEntries(Object.entries(f.secrets).map(([k, v]) => [k, v ? v : undefined])) as SourceSecrets);
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
    default:
      return [];
  }
}

export interface FormError {
  message: string;
  details: string[];
}

export function toFormError(e: unknown): FormError {
  if (e instanceof ApiError) return { message: e.message, details: e.details ?? [] };
  return { message: e instanceof Error ? e.message : String(e), details: [] };
}

export interface PausedNotice {
  id: number;
  name: string;
  reason: string;
}

export class SourcesStore {
  notices = $state.raw<PausedNotice[]>([]);
  /** Source id → the action running on it. */
  busy = $state.raw<ReadonlyMap<number, string>>(new Map());
  error = $state<string | null>(null);

  #api: VedettaApi;
  #unsub: () => void;

  constructor(api: VedettaApi) {
    this.#api = api;
    this.#unsub = api.on('sources.paused', (n) => {
      this.notices = [...this.notices.filter((x) => x.id !== n.id), n];
    });
  }

  dispose(): void {
    this.#unsub();
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  async #act<T>(id: number, action: string, fn: () => Promise<T>): Promise<T | null> {
    this.error = null;
    this.busy = new Map([...this.busy, [id, action]]);
    try {
      return await fn();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return null;
    } finally {
      const next = new Map(this.busy);
      next.delete(id);
      this.busy = next;
    }
  }

  pause(id: number): Promise<SourceView | null> {
    return this.#act(id, 'pause', () => this.#api.call('sources.pause', { id }));
  }

  resume(id: number): Promise<SourceView | null> {
    this.dismiss(id);
    return this.#act(id, 'resume', () => this.#api.call('sources.resume', { id }));
  }

  pollNow(id: number): Promise<SourceView | null> {
    return this.#act(id, 'poll', () => this.#api.call('sources.pollNow', { id }));
  }

  remove(id: number): Promise<OpOutput<'sources.delete'> | null> {
    this.dismiss(id);
    return this.#act(id, 'delete', () => this.#api.call('sources.delete', { id }));
  }

  /** Saves the form: a new source, or the edit of `id`. Throws FormError for the form to show. */
  async save(f: SourceForm, id: number | null): Promise<SourceView> {
    const cfg = configOf(f);
    if ('error' in cfg) throw { message: cfg.error, details: [] } satisfies FormError;
    const name = opt(f.name);
    const intervalSec = intervalSecOf(f);
    const secrets = secretsOf(f);
    try {
      if (id === null) {
        return await this.#api.call('sources.add', { ...cfg, ...compact({ name, intervalSec, secrets }) } as OpInput<'sources.add'>);
      }
      return await this.#api.call('sources.update', { id, config: cfg.config, ...compact({ name, intervalSec, secrets }) });
    } catch (e) {
      throw toFormError(e);
    }
  }

  /** The dry run of the form's settings, or of a stored source. */
  async test(input: PolledInput | { id: number }): Promise<SourceTestResult> {
    return this.#api.call('sources.test', input);
  }
}
