// JSON APIs (Discourse, Mastodon) through the same hardened client as feeds: size cap,
// timeouts, bounded redirects, decompression. Only the Accept header, the extra headers and
// the wording of errors differ; there is no second HTTP client.
import { FeedError, formatSeconds } from '../feeds/errors';
import { fetchFeed } from '../feeds/fetch';
import type { ConnectorError } from '../../../core/sources/ports';

/** How Italian names the service in a sentence: "il forum", "del forum", "al forum". */
export interface ServiceWords {
  subject: string;
  of: string;
  to: string;
}

export interface JsonRequest {
  headers?: Record<string, string>;
  keepHeaders?: readonly string[];
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
  now?: () => number;
  userAgent?: string;
}

export interface JsonResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  finalUrl: string;
}

/** A failure already phrased for the user, carrying what the scheduler needs. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly error: ConnectorError,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
  }
}

export const JSON_DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/** GET a JSON document. Rejects only with ApiError (Italian message, kind, status, retry hint). */
export async function getJson(url: string, service: ServiceWords, req: JsonRequest = {}): Promise<JsonResponse> {
  let fetched;
  try {
    fetched = await fetchFeed(url, {
      accept: 'application/json',
      maxBytes: req.maxBytes ?? JSON_DEFAULT_MAX_BYTES,
      timeoutMs: req.timeoutMs ?? 20_000,
      ...(req.headers ? { headers: req.headers } : {}),
      ...(req.keepHeaders ? { keepHeaders: req.keepHeaders } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.now ? { now: req.now } : {}),
      userAgent: req.userAgent ?? 'Vedetta/0.1 (+social listening)',
    });
  } catch (e) {
    throw new ApiError(fromFeedError(e, service), e instanceof FeedError ? (e.headers ?? {}) : {});
  }
  // A JSON API never answers 304 to us: we send no validators.
  if (fetched.kind !== 'ok') {
    throw new ApiError({ kind: 'http_status', message: `${service.subject} ha risposto ${fetched.status}`, httpStatus: fetched.status });
  }
  const text = fetched.bytes.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const looksHtml = /^\s*</.test(text);
    throw new ApiError({
      kind: 'bad_json',
      message: looksHtml
        ? `${service.subject} ha risposto con una pagina web invece che con dati JSON: controlla l'indirizzo`
        : `${service.subject} ha risposto con dati JSON non validi`,
    });
  }
  return { status: fetched.status, body, headers: fetched.headers ?? {}, finalUrl: fetched.finalUrl };
}

/** Italian wording of an HTTP status from a service ("il forum ha risposto 503"). */
export function statusError(service: ServiceWords, status: number, retryAfterMs?: number): ConnectorError {
  const base = { kind: 'http_status', httpStatus: status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  switch (status) {
    case 401:
      return { ...base, kind: 'auth', permanent: true, message: `${service.subject} rifiuta le credenziali (401): controlla la chiave o il token` };
    case 403:
      return { ...base, kind: 'auth', permanent: true, message: `${service.subject} nega l'accesso (403): servono credenziali o permessi diversi` };
    case 404:
      return { ...base, permanent: true, message: `${service.subject} non trova la risorsa richiesta (404): controlla l'indirizzo e i nomi` };
    case 410:
      return { ...base, kind: 'gone', permanent: true, message: `${service.subject} dice che la risorsa non esiste più (410)` };
    case 429:
      return {
        ...base,
        kind: 'rate_limited',
        message:
          retryAfterMs !== undefined
            ? `troppe richieste ${service.to} (429): riprovo tra ${formatDelay(retryAfterMs)}`
            : `troppe richieste ${service.to} (429): riprovo più tardi`,
      };
    default:
      return { ...base, message: `${service.subject} ha risposto ${status}` };
  }
}

function formatDelay(ms: number): string {
  if (ms < 90_000) return formatSeconds(ms);
  const min = Math.ceil(ms / 60_000);
  return min < 120 ? `${min} minuti` : `${Math.round(min / 60)} ore`;
}

/** The feed client's errors, reworded for the service ("il feed" → "il forum"). */
export function fromFeedError(e: unknown, service: ServiceWords): ConnectorError {
  if (!(e instanceof FeedError)) {
    return { kind: 'network', message: `errore inatteso con ${service.subject}: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (e.kind === 'http_status' && e.status !== undefined) {
    // Mastodon and others say when to come back in their own headers, not only Retry-After.
    const reset = e.headers?.['x-ratelimit-reset'];
    let retry = e.retryAfterMs;
    if (retry === undefined && reset !== undefined) retry = resetToDelay(reset, Date.now());
    return statusError(service, e.status, retry);
  }
  if (e.kind === 'too_large') {
    const limit = /limite di (.+)$/.exec(e.message)?.[1] ?? '';
    return { kind: e.kind, permanent: true, message: `la risposta ${service.of} supera il limite di ${limit}`.trim() };
  }
  if (e.kind === 'network' && /compress/.test(e.message)) {
    return { kind: e.kind, message: `la risposta ${service.of} è arrivata compressa in modo non valido` };
  }
  const message = e.message
    .replace(/\bil sito del feed\b/g, `il sito ${service.of}`)
    .replace(/\bil server del feed\b/g, `il server ${service.of}`)
    .replace(/\bdel feed\b/g, service.of)
    .replace(/\bil feed\b/g, service.subject)
    .replace(/\bcontrollo del feed\b/g, 'controllo');
  return {
    kind: e.kind,
    message,
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    ...(e.transient ? {} : { permanent: true }),
  };
}

/** X-RateLimit-Reset as an ISO date (Mastodon) or seconds from now (Reddit). */
export function resetToDelay(value: string, now: number): number | undefined {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export function apiFailure(e: unknown, service: ServiceWords): ConnectorError {
  if (e instanceof ApiError) return e.error;
  return fromFeedError(e, service);
}
