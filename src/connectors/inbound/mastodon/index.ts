// Mastodon through its public REST API: a hashtag timeline or one account's statuses,
// with a since_id cursor. A bearer token is optional (some instances require one for
// timelines). Mastodon tells its budget in X-RateLimit-Remaining / X-RateLimit-Reset (an
// ISO date) and answers 429 when it is spent: both go to the scheduler.
import type { InboundMention } from '../../../shared/schemas';
import type { ConfigOf } from '../../../shared/sources';
import type { TextCode, TextRef } from '../../../shared/errors';
import { connectorError, skipReason, type Connector, type ItemProblem, type PollContext, type PollOutcome } from '../../../core/sources/ports';
import { prepareServiceHtml } from '../http/html';
import { apiFailure, getJson, resetToDelay, type JsonRequest } from '../http/json-api';

type MastodonConfig = ConfigOf<'mastodon'>;

export interface MastodonConnectorOptions {
  timeoutMs?: number;
  /** Cap on one response body (default 8 MB). */
  maxBytes?: number;
  /** Pages of 40 read in one poll when more is new than one page. */
  maxPages?: number;
}

const PAGE = 40;
const RATE_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'] as const;

interface Account {
  id?: string;
  username?: string;
  acct?: string;
  display_name?: string;
  url?: string;
}
interface Status {
  id?: string;
  created_at?: string;
  in_reply_to_id?: string | null;
  spoiler_text?: string;
  language?: string | null;
  url?: string | null;
  uri?: string;
  replies_count?: number;
  reblogs_count?: number;
  favourites_count?: number;
  content?: string;
  account?: Account;
  reblog?: Status | null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

/** "#Caffè" → "Caffè"; Mastodon hashtags are letters, digits and underscores. */
export function hashtagParam(raw: string | undefined): string | null {
  const t = (raw ?? '').trim().replace(/^#/, '');
  return /^[\p{L}\p{N}_]{1,100}$/u.test(t) ? t : null;
}

/** "@user", "user@instance" or a profile URL → the acct Mastodon's lookup wants. */
export function accountParam(raw: string | undefined): string | null {
  let t = (raw ?? '').trim();
  const fromUrl = /^https?:\/\/([^/]+)\/@([A-Za-z0-9_]+)\/?$/.exec(t);
  if (fromUrl) t = `${fromUrl[2]}@${fromUrl[1]}`;
  t = t.replace(/^@/, '');
  return /^[A-Za-z0-9_]{1,30}(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?$/.test(t) ? t : null;
}

export function mastodonConfigProblem(config: MastodonConfig): TextCode | null {
  if (config.mode === 'hashtag' && !hashtagParam(config.hashtag)) return 'mastodon.configHashtag';
  if (config.mode === 'account' && !accountParam(config.account)) return 'mastodon.configAccount';
  return null;
}

/** Instance-local ids: in_reply_to_id refers to them, so replies find their parent. */
export function mastodonStatusId(host: string, id: string): string {
  return `mastodon:${host}:${id}`;
}

function statusToMention(s: Status, host: string, source: string): { item: InboundMention } | { reason: string; ref: TextRef } {
  if (typeof s.id !== 'string' || !s.id) return skipReason('mastodon.statusNoId');
  const base = s.url ?? s.uri ?? `https://${host}/`;
  const content = typeof s.content === 'string' ? prepareServiceHtml(s.content, base) : '';
  // A content warning is part of what the author said, and often the part that matters.
  const cw = s.spoiler_text?.trim();
  const text = cw ? `[CW: ${cw}] ${content}` : content;
  if (!text.trim()) return skipReason('mastodon.statusNoText', { id: s.id });
  const acct = s.account?.acct;
  const url = [s.url, s.uri].find((u): u is string => typeof u === 'string' && /^https?:\/\//.test(u));
  const lang = typeof s.language === 'string' ? s.language.toLowerCase() : undefined;
  const ownId = mastodonStatusId(host, s.id);
  return {
    item: {
      source,
      external_id: ownId,
      text,
      ...(url ? { url } : {}),
      ...(acct ? { author: acct.includes('@') ? acct : `${acct}@${host}` } : {}),
      ...(typeof s.created_at === 'string' && !Number.isNaN(Date.parse(s.created_at)) ? { published_at: new Date(s.created_at).toISOString() } : {}),
      ...(lang && /^[a-z]{2,3}$/.test(lang) ? { lang } : {}),
      // A status that answers nobody starts its own thread; a reply's root is not in the
      // status (only the context endpoint knows it), its parent is.
      ...(s.in_reply_to_id ? { parent_id: mastodonStatusId(host, s.in_reply_to_id) } : { thread_id: ownId }),
      ...(count(s.favourites_count) !== undefined ? { likes: count(s.favourites_count) } : {}),
      ...(count(s.replies_count) !== undefined ? { comments: count(s.replies_count) } : {}),
      ...(count(s.reblogs_count) !== undefined ? { shares: count(s.reblogs_count) } : {}),
    },
  };
}

/** Mastodon ids are snowflakes in strings: compare as big integers. */
function newerId(a: string, b: string): boolean {
  try {
    return BigInt(a) > BigInt(b);
  } catch {
    return a.length > b.length || (a.length === b.length && a > b);
  }
}

export function createMastodonConnector(options: MastodonConnectorOptions = {}): Connector<'mastodon'> {
  const maxPages = options.maxPages ?? 3;
  return {
    kind: 'mastodon',
    host: (config) => {
      try {
        return new URL(config.instanceUrl).host;
      } catch {
        return config.instanceUrl;
      }
    },
    async poll(config, state, ctx: PollContext): Promise<PollOutcome> {
      const problem = mastodonConfigProblem(config);
      if (problem) return { ok: false, error: connectorError('config', problem, {}, { permanent: true }), state };
      const base = config.instanceUrl.replace(/\/+$/, '');
      const host = new URL(base).host;
      const req: JsonRequest = {
        signal: ctx.signal,
        now: ctx.now,
        keepHeaders: RATE_HEADERS,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
        ...(ctx.secrets.accessToken ? { headers: { Authorization: `Bearer ${ctx.secrets.accessToken}` } } : {}),
      };
      let lastHeaders: Record<string, string> = {};
      const get = async (path: string): Promise<unknown> => {
        const res = await getJson(`${base}${path}`, 'mastodon', req);
        lastHeaders = res.headers;
        return res.body;
      };
      try {
        let timeline: string;
        const nextState = { ...state };
        if (config.mode === 'hashtag') {
          timeline = `/api/v1/timelines/tag/${encodeURIComponent(hashtagParam(config.hashtag) ?? '')}`;
        } else {
          const acct = accountParam(config.account) ?? '';
          let accountId = state.accountAcct === acct && typeof state.accountId === 'string' ? state.accountId : null;
          if (!accountId) {
            const account = await get(`/api/v1/accounts/lookup?${new URLSearchParams({ acct }).toString()}`);
            if (!isObj(account) || typeof account.id !== 'string') {
              return { ok: false, error: connectorError('bad_json', 'mastodon.accountLookup'), state };
            }
            accountId = account.id;
            nextState.accountId = accountId;
            nextState.accountAcct = acct;
          }
          timeline = `/api/v1/accounts/${encodeURIComponent(accountId)}/statuses`;
        }
        const sinceId = typeof state.sinceId === 'string' ? state.sinceId : null;
        const statuses: Status[] = [];
        let maxId: string | null = null;
        for (let page = 0; page < maxPages; page++) {
          const qs = new URLSearchParams({ limit: String(PAGE) });
          if (config.mode === 'account') qs.set('exclude_reblogs', 'true');
          if (sinceId) qs.set('since_id', sinceId);
          if (maxId) qs.set('max_id', maxId);
          const body = await get(`${timeline}?${qs.toString()}`);
          if (!Array.isArray(body)) {
            return { ok: false, error: connectorError('bad_json', 'mastodon.notStatuses'), state };
          }
          const list = body.filter(isObj) as Status[];
          statuses.push(...list);
          // Newest first: a full page may hide more between it and since_id. The first
          // poll takes one page only — the past is not a backlog.
          if (!sinceId || list.length < PAGE) break;
          const oldest = list[list.length - 1]?.id;
          if (typeof oldest !== 'string') break;
          maxId = oldest;
        }
        const items: InboundMention[] = [];
        const problems: ItemProblem[] = [];
        let newest = sinceId;
        const seen = new Set<string>();
        statuses.forEach((s, index) => {
          if (typeof s.id === 'string') {
            if (seen.has(s.id)) return;
            seen.add(s.id);
            if (!newest || newerId(s.id, newest)) newest = s.id;
          }
          const r = statusToMention(s.reblog ?? s, host, ctx.sourceName);
          if ('item' in r) items.push(r.item);
          else problems.push({ index, ...r });
        });
        if (newest) nextState.sinceId = newest;
        const outcome: PollOutcome = { ok: true, items, problems, state: nextState, ...(items.length === 0 ? { notModified: true } : {}) };
        const remaining = Number(lastHeaders['x-ratelimit-remaining']);
        const resetMs = lastHeaders['x-ratelimit-reset'] !== undefined ? resetToDelay(lastHeaders['x-ratelimit-reset'], ctx.now()) : undefined;
        if (Number.isFinite(remaining) && resetMs !== undefined) {
          outcome.rateLimit = { remaining: Math.floor(remaining), resetMs };
          if (remaining < 5) outcome.minDelayMs = resetMs;
        }
        return outcome;
      } catch (e) {
        const error = apiFailure(e, 'mastodon');
        if (error.httpStatus === 404 && config.mode === 'account') {
          return { ok: false, error: { ...error, ...connectorError(error.kind, 'mastodon.noAccount', { account: config.account ?? '', host }) }, state };
        }
        return { ok: false, error, state };
      }
    },
  };
}

export const mastodonConnector = createMastodonConnector();
