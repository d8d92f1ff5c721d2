// One error type for everything that can go wrong with a feed, so the scheduler can store
// `kind` for decisions (backoff, pause) and show `message` to the user as it is.

export const FEED_ERROR_KINDS = [
  'http_status',
  'timeout',
  'too_large',
  'bad_xml',
  'dtd_refused',
  'redirect_loop',
  'unsupported_scheme',
  'bad_url',
  'network',
  'bad_json_feed',
  'not_a_feed',
  'empty',
  'aborted',
] as const;
export type FeedErrorKind = (typeof FEED_ERROR_KINDS)[number];

export interface FeedErrorDetails {
  /** HTTP status when the server answered with one. */
  status?: number;
  /** Delay the server asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** 1-based line of an XML error, when the parser told it. */
  line?: number;
  /** URL the error happened on (after redirects). */
  url?: string;
  /** Low-level cause, for logs; never shown to the user. */
  cause?: unknown;
}

export class FeedError extends Error {
  override readonly name = 'FeedError';
  readonly kind: FeedErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly line?: number;
  readonly url?: string;
  /** Response headers kept on request (FetchOptions.keepHeaders), for HTTP status errors. */
  headers?: Record<string, string>;

  constructor(kind: FeedErrorKind, message: string, details: FeedErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.line !== undefined) this.line = details.line;
    if (details.url !== undefined) this.url = details.url;
  }

  /** Whether polling again later can help (the scheduler backs off) or the user must act. */
  get transient(): boolean {
    switch (this.kind) {
      case 'timeout':
      case 'network':
      case 'aborted':
        return true;
      case 'http_status':
        return this.status === undefined || this.status === 408 || this.status === 429 || this.status >= 500;
      case 'bad_json_feed':
      case 'bad_url':
      case 'bad_xml':
      case 'dtd_refused':
      case 'empty':
      case 'not_a_feed':
      case 'redirect_loop':
      case 'too_large':
      case 'unsupported_scheme':
        return false;
    }
  }

  toJSON(): { kind: FeedErrorKind; message: string; status?: number; retryAfterMs?: number; line?: number } {
    return {
      kind: this.kind,
      message: this.message,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.line !== undefined ? { line: this.line } : {}),
    };
  }
}

export function isFeedError(e: unknown): e is FeedError {
  return e instanceof FeedError;
}

/** "15 MB" for 15 MiB: marketers read megabytes, not mebibytes. */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1).replace('.', ',')} MB`;
  const kb = bytes / 1024;
  return `${Math.max(1, Math.round(kb))} KB`;
}

export function formatSeconds(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s === 1 ? '1 secondo' : `${s} secondi`;
}

function formatDelay(ms: number): string {
  if (ms < 90_000) return formatSeconds(ms);
  const min = Math.ceil(ms / 60_000);
  if (min < 120) return `${min} minuti`;
  const h = Math.round(min / 60);
  return h === 1 ? '1 ora' : `${h} ore`;
}

export function httpStatusError(status: number, url: string, retryAfterMs?: number): FeedError {
  const details: FeedErrorDetails = { status, url, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  let message: string;
  switch (status) {
    case 410:
      message = "il feed è sparito (410): rimuovilo o aggiorna l'indirizzo";
      break;
    case 404:
      message = "il feed non esiste a questo indirizzo (404): controlla l'indirizzo";
      break;
    case 401:
    case 403:
      message = `il sito nega l'accesso al feed (${status})`;
      break;
    case 429:
      message =
        retryAfterMs !== undefined
          ? `troppe richieste (429): riprovo tra ${formatDelay(retryAfterMs)}`
          : 'troppe richieste (429): riprovo più tardi';
      break;
    default:
      message = `il feed ha risposto ${status}`;
      if (status === 503 && retryAfterMs !== undefined) message += `: riprovo tra ${formatDelay(retryAfterMs)}`;
  }
  return new FeedError('http_status', message, details);
}

/** Translations of the sax messages a broken feed produces most often. */
const SAX_MESSAGES: Array<[RegExp, string]> = [
  [/^Unexpected close tag/i, 'tag di chiusura inatteso'],
  [/^Unclosed root tag/i, 'il documento finisce prima di chiudere tutti i tag (feed troncato?)'],
  [/^Unmatched closing tag/i, 'tag di chiusura senza apertura'],
  [/^Invalid character entity/i, 'entità non valida (per esempio un & non codificato)'],
  [/^Invalid character in entity name/i, 'carattere & non codificato'],
  [/^Non-whitespace before first tag/i, 'testo prima del primo tag'],
  [/^Text data outside of root node/i, "testo fuori dall'elemento principale"],
  [/^Invalid tagname/i, 'nome di tag non valido'],
  [/^Unquoted attribute value/i, 'valore di attributo senza virgolette'],
  [/^Attribute without value/i, 'attributo senza valore'],
  [/^Unexpected end/i, 'il documento finisce a metà'],
  [/^Unclosed tag/i, 'tag non chiuso'],
  [/^Invalid attribute name/i, 'nome di attributo non valido'],
];

/** Turns an xml2js/sax error ("Unexpected close tag\nLine: 11\nColumn: 8\nChar: >") into ours. */
export function xmlSyntaxError(err: unknown, url?: string): FeedError {
  const raw = err instanceof Error ? err.message : String(err);
  const first = raw.split('\n')[0]?.trim() ?? raw;
  // sax counts lines from 0.
  const m = /Line:\s*(\d+)/.exec(raw);
  const line = m?.[1] !== undefined ? Number(m[1]) + 1 : undefined;
  const reason = SAX_MESSAGES.find(([re]) => re.test(first))?.[1] ?? first;
  const message = line !== undefined ? `XML non valido alla riga ${line}: ${reason}` : `XML non valido: ${reason}`;
  return new FeedError('bad_xml', message, {
    ...(line !== undefined ? { line } : {}),
    ...(url !== undefined ? { url } : {}),
    cause: err,
  });
}
