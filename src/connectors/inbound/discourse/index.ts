// Discourse forums through their public JSON API: the latest topics, a search, or one
// topic's posts. An API key (with its username) is optional: it opens private categories
// and raises the rate limits. Discourse answers 429 with Retry-After, which we pass on.
import type { InboundMention } from '../../../shared/schemas';
import type { ConfigOf, SourceSecrets } from '../../../shared/sources';
import type { TextCode, TextRef } from '../../../shared/errors';
import { connectorError, skipReason, type Connector, type ConnectorState, type ItemProblem, type PollContext, type PollOutcome } from '../../../core/sources/ports';
import { prepareServiceHtml } from '../http/html';
import { apiFailure, getJson, type JsonRequest } from '../http/json-api';

type DiscourseConfig = ConfigOf<'discourse'>;

export interface DiscourseConnectorOptions {
  timeoutMs?: number;
  /** Cap on one response body (default 8 MB). */
  maxBytes?: number;
  /** New topics whose first post is fetched per poll (each costs a request). */
  maxTopicFetches?: number;
  /** Posts of a followed topic taken on the first poll (the most recent). */
  firstTopicPosts?: number;
}

const OVERLAP_MS = 10 * 60_000;
const RECENT_MAX = 2_000;
const CHUNK = 20; // Discourse serves at most 20 posts per /t/{id}/posts.json request.

// --- The documented JSON shapes we read (everything else is ignored) -----------------------

interface DUser {
  id?: number;
  username?: string;
}
interface DTopic {
  id?: number;
  title?: string;
  fancy_title?: string;
  slug?: string;
  posts_count?: number;
  like_count?: number;
  created_at?: string;
  excerpt?: string;
  posters?: { user_id?: number; description?: string }[];
}
interface DPost {
  id?: number;
  username?: string;
  created_at?: string;
  cooked?: string;
  blurb?: string;
  post_number?: number;
  reply_to_post_number?: number | null;
  reply_count?: number;
  like_count?: number;
  topic_id?: number;
  topic_slug?: string;
  actions_summary?: { id?: number; count?: number }[];
}
interface DTopicView {
  id?: number;
  title?: string;
  slug?: string;
  post_stream?: { posts?: DPost[]; stream?: number[] };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v.filter(isObj) as T[]) : []);
const posInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);

/** What is missing in a Discourse source's settings; null when usable. */
export function discourseConfigProblem(config: DiscourseConfig, secrets: SourceSecrets): TextCode | null {
  if (config.mode === 'search' && !config.query) return 'discourse.configQuery';
  if (config.mode === 'topic' && !config.topicId) return 'discourse.configTopic';
  if (secrets.apiKey && !config.apiUsername) return 'discourse.configApiUser';
  return null;
}

/** The forum's address without a trailing slash (a forum may live under a path: /forum). */
function baseOf(config: DiscourseConfig): string {
  return config.baseUrl.replace(/\/+$/, '');
}

/** Stable ids: the topic and the post number, as Discourse's own links and replies use them. */
export function discoursePostId(host: string, topicId: number, postNumber: number): string {
  return `discourse:${host}:${topicId}:${postNumber}`;
}

function topicUrl(base: string, slug: string | undefined, topicId: number, postNumber = 1): string {
  const path = `${base}/t/${encodeURIComponent(slug || 'topic')}/${topicId}`;
  return postNumber > 1 ? `${path}/${postNumber}` : path;
}

function likesOf(p: DPost): number | undefined {
  if (typeof p.like_count === 'number') return Math.max(0, Math.trunc(p.like_count));
  const like = p.actions_summary?.find((a) => a.id === 2);
  return typeof like?.count === 'number' ? like.count : undefined;
}

function postToMention(
  p: DPost,
  topic: { id: number; title?: string; slug?: string },
  base: string,
  host: string,
  source: string,
): { item: InboundMention } | { reason: string; ref: TextRef } {
  const n = posInt(p.post_number);
  if (!n) return skipReason('discourse.postNoNumber');
  const body = typeof p.cooked === 'string' ? prepareServiceHtml(p.cooked, `${base}/`) : typeof p.blurb === 'string' ? p.blurb : '';
  const title = n === 1 && topic.title ? topic.title : undefined;
  if (!body.trim() && !title) return skipReason('discourse.postEmpty', { n });
  const reply = posInt(p.reply_to_post_number);
  const likes = likesOf(p);
  const item: InboundMention = {
    source,
    external_id: discoursePostId(host, topic.id, n),
    url: topicUrl(base, topic.slug ?? p.topic_slug, topic.id, n),
    text: body,
    thread_id: discoursePostId(host, topic.id, 1),
    ...(n > 1 ? { parent_id: discoursePostId(host, topic.id, reply ?? 1) } : {}),
    ...(title ? { title: title.slice(0, 1_000) } : {}),
    ...(typeof p.username === 'string' && p.username ? { author: p.username } : {}),
    ...(typeof p.created_at === 'string' && !Number.isNaN(Date.parse(p.created_at)) ? { published_at: new Date(p.created_at).toISOString() } : {}),
    ...(likes !== undefined ? { likes } : {}),
    ...(typeof p.reply_count === 'number' && p.reply_count >= 0 ? { comments: Math.trunc(p.reply_count) } : {}),
  };
  return { item };
}

interface Seen {
  since: number;
  recent: string[];
}
function readSeen(state: ConnectorState): Seen | null {
  const s = state.seen as Partial<Seen> | undefined;
  if (!s || typeof s.since !== 'number' || !Array.isArray(s.recent)) return null;
  return { since: s.since, recent: s.recent.filter((x): x is string => typeof x === 'string') };
}
/** Keeps items newer than the cursor (minus an overlap for late indexing) not seen before. */
function filterNew<T>(list: T[], seen: Seen | null, key: (t: T) => string, at: (t: T) => number): { fresh: T[]; next: Seen } {
  const recent = new Set(seen?.recent ?? []);
  const fresh = list.filter((t) => !seen || (at(t) > seen.since - OVERLAP_MS && !recent.has(key(t))));
  const since = Math.max(seen?.since ?? 0, ...list.map(at).filter(Number.isFinite));
  const keep = [...(seen?.recent ?? []), ...list.filter((t) => at(t) > since - OVERLAP_MS).map(key)];
  return { fresh, next: { since, recent: [...new Set(keep)].slice(-RECENT_MAX) } };
}

export function createDiscourseConnector(options: DiscourseConnectorOptions = {}): Connector<'discourse'> {
  const maxTopicFetches = options.maxTopicFetches ?? 10;
  const firstTopicPosts = options.firstTopicPosts ?? 100;

  return {
    kind: 'discourse',
    host: (config) => {
      try {
        return new URL(config.baseUrl).host;
      } catch {
        return config.baseUrl;
      }
    },
    async poll(config, state, ctx: PollContext): Promise<PollOutcome> {
      const problem = discourseConfigProblem(config, ctx.secrets);
      if (problem) return { ok: false, error: connectorError('config', problem, {}, { permanent: true }), state };
      const base = baseOf(config);
      const host = new URL(base).host;
      const req: JsonRequest = {
        signal: ctx.signal,
        now: ctx.now,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
        ...(ctx.secrets.apiKey && config.apiUsername
          ? { headers: { 'Api-Key': ctx.secrets.apiKey, 'Api-Username': config.apiUsername } }
          : {}),
      };
      const get = async (path: string): Promise<unknown> => (await getJson(`${base}${path}`, 'forum', req)).body;
      const items: InboundMention[] = [];
      const problems: ItemProblem[] = [];
      const push = (r: { item: InboundMention } | { reason: string; ref: TextRef }, index: number, hint?: string): void => {
        if ('item' in r) items.push(r.item);
        else problems.push({ index, ...r, ...(hint ? { hint } : {}) });
      };
      try {
        if (config.mode === 'latest') {
          const body = await get('/latest.json');
          if (!isObj(body) || !isObj(body.topic_list)) throw notDiscourse();
          const users = new Map(arr<DUser>(body.users).map((u) => [u.id, u.username]));
          const topics = arr<DTopic>(body.topic_list.topics).filter((t) => posInt(t.id) && typeof t.created_at === 'string');
          // /latest is ordered by activity: a topic with a new reply comes back to the top.
          // Only topics created since the last poll are new mentions.
          const { fresh, next } = filterNew(topics, readSeen(state), (t) => String(t.id), (t) => Date.parse(t.created_at ?? ''));
          let fetched = 0;
          for (const [index, t] of fresh.entries()) {
            const id = t.id as number;
            const topic = { id, ...(t.title ? { title: t.title } : {}), ...(t.slug ? { slug: t.slug } : {}) };
            let first: DPost | undefined;
            if (fetched < maxTopicFetches) {
              fetched++;
              const view = (await get(`/t/${id}.json`)) as DTopicView;
              first = arr<DPost>(view?.post_stream?.posts).find((p) => p.post_number === 1);
            }
            const op = t.posters?.find((p) => /original poster/i.test(p.description ?? '')) ?? t.posters?.[0];
            const post: DPost = first ?? {
              post_number: 1,
              ...(t.excerpt ? { blurb: t.excerpt } : {}),
              ...(t.created_at ? { created_at: t.created_at } : {}),
              ...(op?.user_id !== undefined && users.get(op.user_id) ? { username: users.get(op.user_id) } : {}),
              ...(typeof t.like_count === 'number' ? { like_count: t.like_count } : {}),
            };
            const r = postToMention(post, topic, base, host, ctx.sourceName);
            if ('item' in r && typeof t.posts_count === 'number') r.item.comments = Math.max(0, t.posts_count - 1);
            push(r, index, t.title);
          }
          return done(items, problems, { ...state, seen: next });
        }

        if (config.mode === 'search') {
          const q = `${config.query ?? ''} order:latest`;
          const body = await get(`/search.json?${new URLSearchParams({ q }).toString()}`);
          if (!isObj(body)) throw notDiscourse();
          const topics = new Map(arr<DTopic>(body.topics).map((t) => [t.id, t]));
          const posts = arr<DPost>(body.posts).filter((p) => posInt(p.topic_id) && posInt(p.post_number));
          const { fresh, next } = filterNew(posts, readSeen(state), (p) => `${p.topic_id}:${p.post_number}`, (p) => Date.parse(p.created_at ?? ''));
          fresh.forEach((p, index) => {
            const t = topics.get(p.topic_id);
            const topic = { id: p.topic_id as number, ...(t?.title ? { title: t.title } : {}), ...(t?.slug ? { slug: t.slug } : {}) };
            push(postToMention(p, topic, base, host, ctx.sourceName), index);
          });
          return done(items, problems, { ...state, seen: next });
        }

        // mode: topic — the posts after the last one seen, by post id (ids only grow).
        const topicId = config.topicId as number;
        const raw = await get(`/t/${topicId}.json`);
        if (!isObj(raw) || !isObj(raw.post_stream)) throw notDiscourse();
        const view = raw as DTopicView;
        const stream = (Array.isArray(view.post_stream?.stream) ? view.post_stream.stream : []).filter(
          (x): x is number => posInt(x) !== undefined,
        );
        const lastSeen = typeof state.lastPostId === 'number' ? state.lastPostId : null;
        const wanted = lastSeen === null ? stream.slice(-firstTopicPosts) : stream.filter((id) => id > lastSeen);
        const have = new Map(arr<DPost>(view.post_stream?.posts).map((p) => [p.id, p]));
        const missing = wanted.filter((id) => !have.has(id));
        for (let i = 0; i < missing.length; i += CHUNK) {
          const ids = missing.slice(i, i + CHUNK);
          const qs = ids.map((id) => `post_ids[]=${id}`).join('&');
          const more = (await get(`/t/${topicId}/posts.json?${qs}`)) as DTopicView;
          for (const p of arr<DPost>(more?.post_stream?.posts)) have.set(p.id, p);
        }
        const topic = { id: topicId, ...(view.title ? { title: view.title } : {}), ...(view.slug ? { slug: view.slug } : {}) };
        wanted.forEach((id, index) => {
          const p = have.get(id);
          if (!p) problems.push({ index, ...skipReason('discourse.postMissing', { id }) });
          else push(postToMention(p, topic, base, host, ctx.sourceName), index);
        });
        const maxId = Math.max(lastSeen ?? 0, ...stream);
        return done(items, problems, { ...state, lastPostId: maxId });
      } catch (e) {
        if (isObj(e) && e.notDiscourse === true) {
          return { ok: false, error: connectorError('not_discourse', 'discourse.notDiscourse', {}, { permanent: true }), state };
        }
        return { ok: false, error: apiFailure(e, 'forum'), state };
      }
    },
  };
}

function notDiscourse(): Error {
  return Object.assign(new Error('not discourse'), { notDiscourse: true });
}

function done(items: InboundMention[], problems: ItemProblem[], state: ConnectorState): PollOutcome {
  return { ok: true, items, problems, state, ...(items.length === 0 ? { notModified: true } : {}) };
}

export const discourseConnector = createDiscourseConnector();
