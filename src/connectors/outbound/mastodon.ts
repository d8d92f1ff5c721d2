// Mastodon reply: POST /api/v1/statuses with in_reply_to_id and an `Idempotency-Key`
// header (Mastodon keeps the key for an hour and answers a repeat with the status it already
// made). Reconciliation looks at the account's own recent statuses for a reply to the same
// status with the same text, so a crash older than that hour does not post twice either.
import type { PublishChannelConfig, PublishChannelSecrets } from '../../shared/publishing';
import { failureError, httpCall, httpUrl, parseJson, statusError, type HttpAnswer } from './http';
import type { TextCode } from '../../shared/errors';
import { failedTest, publishError, testSaid, type FindOutcome, type PublishConnector, type PublishContext, type PublishError, type PublishJob, type PublishOutcome } from '../../core/publishing/ports';
import { sameText } from './same-text';

export interface MastodonPublishOptions {
  timeoutMs?: number;
  userAgent?: string;
}

interface Status {
  id?: unknown;
  url?: unknown;
  uri?: unknown;
  content?: unknown;
  in_reply_to_id?: unknown;
}

/** Status HTML → the plain text that was posted (paragraphs and line breaks kept). */
export function statusText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .trim();
}

function base(config: PublishChannelConfig): URL | null {
  const u = httpUrl(config.instance);
  if (!u) return null;
  u.pathname = u.pathname.replace(/\/+$/, '');
  u.search = '';
  u.hash = '';
  return u;
}

export function createMastodonPublisher(options: MastodonPublishOptions = {}): PublishConnector {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const userAgent = options.userAgent ?? 'Vedetta/0.1 (publishing)';

  function configProblem(config: PublishChannelConfig, secrets: PublishChannelSecrets): TextCode | null {
    if (!base(config)) return 'publish.mastodonNoInstance';
    if (!secrets.accessToken) return 'publish.mastodonNoToken';
    return null;
  }

  function headers(ctx: PublishContext, extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${ctx.secrets.accessToken ?? ''}`, 'user-agent': userAgent, accept: 'application/json', ...extra };
  }

  async function get(ctx: PublishContext, path: string): Promise<HttpAnswer> {
    return httpCall({ method: 'GET', url: `${base(ctx.config)?.href.replace(/\/$/, '')}${path}`, headers: headers(ctx), timeoutMs }, 'mastodon');
  }

  function apiError(a: HttpAnswer, ctx: PublishContext): PublishError {
    const j = parseJson(a.text) as { error?: unknown } | undefined;
    const detail = typeof j?.error === 'string' ? j.error : undefined;
    const refused = { permanent: true, uncertain: false, httpStatus: a.status };
    if (a.status === 401) return publishError('publish.mastodonToken', {}, refused);
    if (a.status === 404) return publishError('publish.mastodonNoStatus', {}, refused);
    if (a.status === 422) return publishError('publish.mastodonRefusedText', { detail: detail ? `: ${detail}` : '' }, refused);
    return statusError(a, 'mastodon', ctx.now(), detail);
  }

  /** The id of the status replied to, as the channel's own instance knows it. */
  async function replyTo(job: PublishJob, ctx: PublishContext): Promise<{ id: string | null } | { error: PublishError }> {
    if (!job.target) return { id: null };
    const own = /^mastodon:(.+):([^:]+)$/.exec(job.target);
    const instance = base(ctx.config);
    if (own) {
      if (own[1]!.toLowerCase() === instance?.host.toLowerCase()) return { id: own[2]! };
      return { error: publishError('publish.mastodonOtherInstance', { host: own[1]! }, { permanent: true, uncertain: false }) };
    }
    if (!httpUrl(job.target)) return { error: publishError('publish.mastodonBadTarget', {}, { permanent: true, uncertain: false }) };
    // A status of another instance: the channel's instance fetches it and gives its local id.
    const a = await get(ctx, `/api/v2/search?${new URLSearchParams({ q: job.target, type: 'statuses', resolve: 'true', limit: '1' })}`);
    if (a.status !== 200) return { error: apiError(a, ctx) };
    const j = parseJson(a.text) as { statuses?: Status[] } | undefined;
    const id = j?.statuses?.[0]?.id;
    if (typeof id !== 'string') return { error: publishError('publish.mastodonTargetNotFound', { target: job.target }, { permanent: true, uncertain: false }) };
    return { id };
  }

  function published(s: Status): { externalId: string | null; url: string | null } {
    const url = [s.url, s.uri].find((u): u is string => typeof u === 'string' && httpUrl(u) !== null) ?? null;
    return { externalId: typeof s.id === 'string' ? s.id : null, url };
  }

  return {
    kind: 'mastodon',
    configProblem,
    async publish(job, ctx): Promise<PublishOutcome> {
      const problem = configProblem(ctx.config, ctx.secrets);
      if (problem) return { ok: false, error: publishError(problem, {}, { permanent: true, uncertain: false }) };
      try {
        const parent = await replyTo(job, ctx);
        if ('error' in parent) return { ok: false, error: parent.error };
        const a = await httpCall(
          {
            method: 'POST',
            url: `${base(ctx.config)?.href.replace(/\/$/, '')}/api/v1/statuses`,
            headers: headers(ctx, { 'content-type': 'application/json', 'idempotency-key': job.idempotencyKey }),
            body: JSON.stringify({ status: job.text, visibility: 'public', ...(parent.id ? { in_reply_to_id: parent.id } : {}) }),
            timeoutMs,
          },
          'mastodon',
        );
        if (a.status !== 200) return { ok: false, error: apiError(a, ctx) };
        const s = parseJson(a.text) as Status | undefined;
        if (!s || typeof s.id !== 'string') {
          // 200 without a status: it was stored, we just cannot say where; look it up next.
          return { ok: false, error: publishError('publish.mastodonNoPosted', {}, { permanent: false, uncertain: true }) };
        }
        return { ok: true, ...published(s) };
      } catch (e) {
        return { ok: false, error: failureError(e, 'mastodon') };
      }
    },
    async find(job, ctx): Promise<FindOutcome> {
      try {
        const parent = await replyTo(job, ctx);
        if ('error' in parent) return { ok: false, error: parent.error };
        const me = await get(ctx, '/api/v1/accounts/verify_credentials');
        if (me.status !== 200) return { ok: false, error: apiError(me, ctx) };
        const id = (parseJson(me.text) as { id?: unknown } | undefined)?.id;
        if (typeof id !== 'string') return { ok: false, error: publishError('publish.mastodonWhoAmI', {}, { permanent: false, uncertain: true }) };
        const list = await get(ctx, `/api/v1/accounts/${encodeURIComponent(id)}/statuses?limit=40&exclude_reblogs=true`);
        if (list.status !== 200) return { ok: false, error: apiError(list, ctx) };
        const statuses = parseJson(list.text);
        if (!Array.isArray(statuses)) return { ok: false, error: publishError('publish.mastodonBadData', {}, { permanent: false, uncertain: true }) };
        const hit = (statuses as Status[]).find(
          (s) => (s.in_reply_to_id ?? null) === parent.id && typeof s.content === 'string' && sameText(statusText(s.content), job.text),
        );
        return { ok: true, found: hit ? published(hit) : null };
      } catch (e) {
        return { ok: false, error: failureError(e, 'mastodon') };
      }
    },
    async test(ctx) {
      const problem = configProblem(ctx.config, ctx.secrets);
      if (problem) return testSaid(false, problem);
      try {
        const a = await get(ctx, '/api/v1/accounts/verify_credentials');
        if (a.status !== 200) return failedTest(apiError(a, ctx));
        const acct = (parseJson(a.text) as { acct?: unknown } | undefined)?.acct;
        return testSaid(true, 'publish.mastodonConnected', { acct: typeof acct === 'string' ? acct : '?', host: base(ctx.config)?.host ?? '' });
      } catch (e) {
        return failedTest(failureError(e, 'mastodon'));
      }
    },
    async charLimit(ctx) {
      if (!base(ctx.config)) return null;
      const a = await get(ctx, '/api/v2/instance');
      if (a.status !== 200) return null;
      return instanceCharLimit(parseJson(a.text));
    },
  };
}

/** `configuration.statuses.max_characters` of an /api/v2/instance answer; null when absent or absurd. */
export function instanceCharLimit(body: unknown): number | null {
  const max = (body as { configuration?: { statuses?: { max_characters?: unknown } } } | undefined)?.configuration?.statuses?.max_characters;
  return typeof max === 'number' && Number.isInteger(max) && max > 0 && max <= 1_000_000 ? max : null;
}
