// Mastodon reply: POST /api/v1/statuses with in_reply_to_id and an `Idempotency-Key`
// header (Mastodon keeps the key for an hour and answers a repeat with the status it already
// made). Reconciliation looks at the account's own recent statuses for a reply to the same
// status with the same text, so a crash older than that hour does not post twice either.
import type { PublishChannelConfig, PublishChannelSecrets } from '../../shared/publishing';
import { failureError, httpCall, httpUrl, parseJson, statusError, type HttpAnswer } from './http';
import type { FindOutcome, PublishConnector, PublishContext, PublishError, PublishJob, PublishOutcome } from '../../core/publishing/ports';
import { sameText } from './same-text';

const SERVICE = { subject: "l'istanza Mastodon", of: "dell'istanza Mastodon", to: "all'istanza Mastodon" } as const;

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

  function configProblem(config: PublishChannelConfig, secrets: PublishChannelSecrets): string | null {
    if (!base(config)) return "indica l'indirizzo dell'istanza Mastodon (per esempio https://mastodon.uno)";
    if (!secrets.accessToken) return "manca il token di accesso dell'account che pubblica (con il permesso write:statuses)";
    return null;
  }

  function headers(ctx: PublishContext, extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${ctx.secrets.accessToken ?? ''}`, 'user-agent': userAgent, accept: 'application/json', ...extra };
  }

  async function get(ctx: PublishContext, path: string): Promise<HttpAnswer> {
    return httpCall({ method: 'GET', url: `${base(ctx.config)?.href.replace(/\/$/, '')}${path}`, headers: headers(ctx), timeoutMs }, SERVICE);
  }

  function apiError(a: HttpAnswer, ctx: PublishContext): PublishError {
    const j = parseJson(a.text) as { error?: unknown } | undefined;
    const detail = typeof j?.error === 'string' ? j.error : undefined;
    if (a.status === 401) return { message: `${SERVICE.subject} rifiuta il token (401): controllalo o creane uno nuovo`, permanent: true, uncertain: false, httpStatus: 401 };
    if (a.status === 404) return { message: `${SERVICE.subject} non trova lo stato a cui rispondere (404): forse è stato cancellato`, permanent: true, uncertain: false, httpStatus: 404 };
    if (a.status === 422) return { message: `${SERVICE.subject} rifiuta il testo (422)${detail ? `: ${detail}` : ''}`, permanent: true, uncertain: false, httpStatus: 422 };
    return statusError(a, SERVICE, ctx.now(), detail);
  }

  /** The id of the status replied to, as the channel's own instance knows it. */
  async function replyTo(job: PublishJob, ctx: PublishContext): Promise<{ id: string | null } | { error: PublishError }> {
    if (!job.target) return { id: null };
    const own = /^mastodon:(.+):([^:]+)$/.exec(job.target);
    const instance = base(ctx.config);
    if (own) {
      if (own[1]!.toLowerCase() === instance?.host.toLowerCase()) return { id: own[2]! };
      return { error: { message: `lo stato a cui rispondere è su un'altra istanza (${own[1]}) e non ha un indirizzo da cercare`, permanent: true, uncertain: false } };
    }
    if (!httpUrl(job.target)) return { error: { message: 'lo stato a cui rispondere non ha un indirizzo valido', permanent: true, uncertain: false } };
    // A status of another instance: the channel's instance fetches it and gives its local id.
    const a = await get(ctx, `/api/v2/search?${new URLSearchParams({ q: job.target, type: 'statuses', resolve: 'true', limit: '1' })}`);
    if (a.status !== 200) return { error: apiError(a, ctx) };
    const j = parseJson(a.text) as { statuses?: Status[] } | undefined;
    const id = j?.statuses?.[0]?.id;
    if (typeof id !== 'string') return { error: { message: `${SERVICE.subject} non trova lo stato a cui rispondere (${job.target})`, permanent: true, uncertain: false } };
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
      if (problem) return { ok: false, error: { message: problem, permanent: true, uncertain: false } };
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
          SERVICE,
        );
        if (a.status !== 200) return { ok: false, error: apiError(a, ctx) };
        const s = parseJson(a.text) as Status | undefined;
        if (!s || typeof s.id !== 'string') {
          // 200 without a status: it was stored, we just cannot say where; look it up next.
          return { ok: false, error: { message: `${SERVICE.subject} ha risposto senza lo stato pubblicato`, permanent: false, uncertain: true } };
        }
        return { ok: true, ...published(s) };
      } catch (e) {
        return { ok: false, error: failureError(e, SERVICE) };
      }
    },
    async find(job, ctx): Promise<FindOutcome> {
      try {
        const parent = await replyTo(job, ctx);
        if ('error' in parent) return { ok: false, error: parent.error };
        const me = await get(ctx, '/api/v1/accounts/verify_credentials');
        if (me.status !== 200) return { ok: false, error: apiError(me, ctx) };
        const id = (parseJson(me.text) as { id?: unknown } | undefined)?.id;
        if (typeof id !== 'string') return { ok: false, error: { message: `${SERVICE.subject} non dice quale account usa il token`, permanent: false, uncertain: true } };
        const list = await get(ctx, `/api/v1/accounts/${encodeURIComponent(id)}/statuses?limit=40&exclude_reblogs=true`);
        if (list.status !== 200) return { ok: false, error: apiError(list, ctx) };
        const statuses = parseJson(list.text);
        if (!Array.isArray(statuses)) return { ok: false, error: { message: `${SERVICE.subject} ha risposto con dati non validi`, permanent: false, uncertain: true } };
        const hit = (statuses as Status[]).find(
          (s) => (s.in_reply_to_id ?? null) === parent.id && typeof s.content === 'string' && sameText(statusText(s.content), job.text),
        );
        return { ok: true, found: hit ? published(hit) : null };
      } catch (e) {
        return { ok: false, error: failureError(e, SERVICE) };
      }
    },
    async test(ctx) {
      const problem = configProblem(ctx.config, ctx.secrets);
      if (problem) return { ok: false, message: problem };
      try {
        const a = await get(ctx, '/api/v1/accounts/verify_credentials');
        if (a.status !== 200) return { ok: false, message: apiError(a, ctx).message };
        const acct = (parseJson(a.text) as { acct?: unknown } | undefined)?.acct;
        return { ok: true, message: `Collegato come @${typeof acct === 'string' ? acct : '?'} su ${base(ctx.config)?.host ?? ''}.` };
      } catch (e) {
        return { ok: false, message: failureError(e, SERVICE).message };
      }
    },
  };
}
