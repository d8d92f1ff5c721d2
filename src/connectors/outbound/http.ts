// POST (and the few GETs reconciliation needs) for the publishing connectors, on Node's
// fetch. A publish must never be sent twice by the HTTP layer itself: no redirects are
// followed and nothing is retried here; failures come back classified for the outbox.
import { renderText, type ErrorParams, type TermKey, type TextCode, type TextRef } from '../../shared/errors';
import { publishError, type PublishError } from '../../core/publishing/ports';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export interface HttpCall {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  maxBytes?: number;
}

/** A failure before any answer: was the request possibly delivered? */
export class HttpFailure extends Error {
  readonly ref: TextRef;
  constructor(
    key: TextCode,
    params: ErrorParams,
    readonly uncertain: boolean,
    /** The settings are wrong (a forbidden port, a bad address): retrying cannot help. */
    readonly permanent = false,
  ) {
    super(renderText(key, params, 'it'));
    this.ref = { key, params };
    this.name = 'HttpFailure';
  }
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN']);

/** A service's name in a sentence, in either language: "il webhook", "del webhook", "al webhook" (terms.ts). */
export type ServiceWords = 'webhook' | 'mastodon';

/** The params that name the service in a `publish.*` text. */
export function named(service: ServiceWords): { service: TermKey; of: TermKey; to: TermKey } {
  return { service: `service.${service}`, of: `serviceOf.${service}`, to: `serviceTo.${service}` };
}

export async function httpCall(call: HttpCall, service: ServiceWords): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await fetch(call.url, {
      method: call.method,
      headers: call.headers ?? {},
      ...(call.body !== undefined ? { body: call.body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(call.timeoutMs ?? 20_000),
    });
  } catch (e) {
    throw classify(e, service);
  }
  // Bodies are small (a status, an ack); a hostile endpoint is not read without limit.
  const max = call.maxBytes ?? 2 * 1024 * 1024;
  let text = '';
  try {
    const reader = res.body?.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        break;
      }
      chunks.push(value);
    }
    text = Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    // The answer started (so the request arrived) and then broke: the post may exist.
    const code = codeOf(e);
    throw code ? new HttpFailure('publish.answerBroken', { ...named(service), code }, true) : new HttpFailure('publish.answerClosed', named(service), true);
  }
  return { status: res.status, headers: res.headers, text };
}

function codeOf(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string; cause?: { code?: string } }; name?: string };
  return err?.cause?.code ?? err?.cause?.cause?.code ?? err?.code ?? '';
}

function classify(e: unknown, service: ServiceWords): HttpFailure {
  const words = named(service);
  const name = (e as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new HttpFailure('publish.timeout', words, true);
  const code = codeOf(e);
  const causeMsg = String((e as { cause?: { message?: string } })?.cause?.message ?? '');
  // fetch refuses some ports outright (the "bad ports" of the Fetch standard): never sent.
  if (/bad port/i.test(causeMsg)) return new HttpFailure('publish.badPort', words, false, true);
  if (code === 'ECONNREFUSED') return new HttpFailure('publish.connRefused', words, false);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new HttpFailure('publish.hostNotFound', words, false);
  if (NOT_SENT.has(code)) return new HttpFailure('publish.cannotConnect', { ...words, code }, false);
  if (code === 'ERR_INVALID_ARG_TYPE' || (e instanceof TypeError && /Invalid URL/i.test(String(e.message)))) {
    return new HttpFailure('publish.badAddress', words, false, true);
  }
  return code ? new HttpFailure('publish.connBrokenCode', { ...words, code }, true) : new HttpFailure('publish.connBroken', words, true);
}

/** An HTTP answer that is not a success, as a publish error. */
export function statusError(a: HttpAnswer, service: ServiceWords, now: number, detail?: string): PublishError {
  const words = named(service);
  const wait = retryAfterMs(a.headers.get('retry-after'), now);
  // The platform's own words, quoted after ours (": …") when it gave some.
  const tail = { detail: detail ? `: ${detail.slice(0, 200)}` : '' };
  const status = a.status;
  if (status === 401 || status === 403) return publishError('publish.credentials', { ...words, status, ...tail }, { permanent: true, uncertain: false, httpStatus: status });
  const w = wait !== undefined ? { retryAfterMs: wait } : {};
  if (status === 429) {
    return wait !== undefined
      ? publishError('publish.throttledWait', { ...words, seconds: Math.max(1, Math.ceil(wait / 1000)) }, { permanent: false, uncertain: false, httpStatus: 429, ...w })
      : publishError('publish.throttled', words, { permanent: false, uncertain: false, httpStatus: 429 });
  }
  if (status >= 500 || status === 408) {
    // A 5xx may come after the post was stored (a proxy timing out): look before retrying.
    return publishError('publish.status', { ...words, status, ...tail }, { permanent: false, uncertain: true, httpStatus: status, ...w });
  }
  return publishError('publish.refused', { ...words, status, ...tail }, { permanent: true, uncertain: false, httpStatus: status });
}

export function failureError(e: unknown, service: ServiceWords): PublishError {
  if (e instanceof HttpFailure) return { message: e.message, ref: e.ref, permanent: e.permanent, uncertain: e.uncertain };
  return publishError('publish.other', { ...named(service), reason: e instanceof Error ? e.message.slice(0, 200) : String(e) }, { permanent: false, uncertain: true });
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An http(s) URL, or null. */
export function httpUrl(raw: string | undefined): URL | null {
  if (!raw) return null;
  try {
    const u = new URL(raw.trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? u : null;
  } catch {
    return null;
  }
}

/** Retry-After in seconds or as an HTTP date → milliseconds from now. */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}
