// POST (and the few GETs reconciliation needs) for the publishing connectors, on Node's
// fetch. A publish must never be sent twice by the HTTP layer itself: no redirects are
// followed and nothing is retried here; failures come back classified for the outbox.
import type { PublishError } from '../../core/publishing/ports';

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
  constructor(
    message: string,
    readonly uncertain: boolean,
    /** The settings are wrong (a forbidden port, a bad address): retrying cannot help. */
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN']);

/** How Italian names the service in a sentence: "il webhook", "del webhook", "al webhook". */
export interface ServiceWords {
  subject: string;
  of: string;
  to: string;
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
    throw new HttpFailure(`la risposta ${service.of} si è interrotta (${codeOf(e) || 'connessione chiusa'})`, true);
  }
  return { status: res.status, headers: res.headers, text };
}

function codeOf(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string; cause?: { code?: string } }; name?: string };
  return err?.cause?.code ?? err?.cause?.cause?.code ?? err?.code ?? '';
}

function classify(e: unknown, service: ServiceWords): HttpFailure {
  const name = (e as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new HttpFailure(`${service.subject} non ha risposto in tempo`, true);
  const code = codeOf(e);
  const causeMsg = String((e as { cause?: { message?: string } })?.cause?.message ?? '');
  // fetch refuses some ports outright (the "bad ports" of the Fetch standard): never sent.
  if (/bad port/i.test(causeMsg)) return new HttpFailure(`la porta dell'indirizzo ${service.of} non è consentita: usane un'altra`, false, true);
  if (code === 'ECONNREFUSED') return new HttpFailure(`${service.subject} rifiuta la connessione`, false);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new HttpFailure(`${service.subject} non si trova: manca la connessione?`, false);
  if (NOT_SENT.has(code)) return new HttpFailure(`impossibile collegarsi ${service.to} (${code})`, false);
  if (code === 'ERR_INVALID_ARG_TYPE' || (e instanceof TypeError && /Invalid URL/i.test(String(e.message)))) {
    return new HttpFailure(`l'indirizzo ${service.of} non è valido`, false, true);
  }
  return new HttpFailure(`la connessione con ${service.subject} si è interrotta${code ? ` (${code})` : ''}`, true);
}

/** An HTTP answer that is not a success, as a publish error. */
export function statusError(a: HttpAnswer, words: ServiceWords, now: number, detail?: string): PublishError {
  const service = words.subject;
  const wait = retryAfterMs(a.headers.get('retry-after'), now);
  const tail = detail ? `: ${detail.slice(0, 200)}` : '';
  if (a.status === 401 || a.status === 403) {
    return { message: `${service} rifiuta le credenziali (${a.status})${tail}`, permanent: true, uncertain: false, httpStatus: a.status };
  }
  if (a.status === 429) {
    const w = wait !== undefined ? `: riprovo tra ${Math.max(1, Math.ceil(wait / 1000))} secondi` : '';
    return { message: `troppe richieste a ${service} (429)${w}`, permanent: false, uncertain: false, httpStatus: 429, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  if (a.status >= 500 || a.status === 408) {
    // A 5xx may come after the post was stored (a proxy timing out): look before retrying.
    return { message: `${service} ha risposto ${a.status}${tail}`, permanent: false, uncertain: true, httpStatus: a.status, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  return { message: `${service} ha rifiutato la pubblicazione (${a.status})${tail}`, permanent: true, uncertain: false, httpStatus: a.status };
}

export function failureError(e: unknown, service: ServiceWords): PublishError {
  if (e instanceof HttpFailure) return { message: e.message, permanent: e.permanent, uncertain: e.uncertain };
  return { message: `errore con ${service.subject}: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`, permanent: false, uncertain: true };
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
