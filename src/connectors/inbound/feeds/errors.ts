// One error type for everything that can go wrong with a feed, so the scheduler can store
// `kind` for decisions (backoff, pause) and show its text, a code of the catalogue, to the
// user in the workspace's language (`message` is the Italian rendering, for logs and the
// wording other services derive from it).
import { renderText, type ErrorParams, type TextCode, type TextRef } from '../../../shared/errors';

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

/** Each text a feed error is said with, and the kind it belongs to. */
const FEED_CODES = {
  'feed.gone': 'http_status',
  'feed.notFound': 'http_status',
  'feed.denied': 'http_status',
  'feed.throttledWait': 'http_status',
  'feed.throttled': 'http_status',
  'feed.status': 'http_status',
  'feed.statusWait': 'http_status',
  'feed.badXmlAt': 'bad_xml',
  'feed.badXml': 'bad_xml',
  'feed.hostNotFound': 'network',
  'feed.connRefused': 'network',
  'feed.connReset': 'network',
  'feed.unreachable': 'network',
  'feed.certExpired': 'network',
  'feed.certInvalid': 'network',
  'feed.badHttp': 'network',
  'feed.networkCode': 'network',
  'feed.network': 'network',
  'feed.encoding': 'network',
  'feed.interrupted': 'network',
  'feed.badCompression': 'network',
  'feed.unexpected': 'network',
  'feed.scheme': 'unsupported_scheme',
  'feed.badUrl': 'bad_url',
  'feed.aborted': 'aborted',
  'feed.timeout': 'timeout',
  'feed.idle': 'timeout',
  'feed.redirectLoop': 'redirect_loop',
  'feed.redirectMax': 'redirect_loop',
  'feed.tooLarge': 'too_large',
  'feed.jsonMalformed': 'bad_json_feed',
  'feed.jsonInvalid': 'bad_json_feed',
  'feed.jsonInvalidAt': 'bad_json_feed',
  'feed.empty': 'empty',
  'feed.emptyXml': 'empty',
  'feed.webPage': 'not_a_feed',
  'feed.notFeed': 'not_a_feed',
  'feed.notFeedRoot': 'not_a_feed',
  'feed.dtd': 'dtd_refused',
} as const satisfies Partial<Record<TextCode, FeedErrorKind>>;
export type FeedErrorCode = keyof typeof FEED_CODES;

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

  /** The text, as a code of the catalogue and its params. */
  readonly ref: TextRef;

  constructor(code: FeedErrorCode, params: ErrorParams = {}, details: FeedErrorDetails = {}) {
    super(renderText(code, params, 'it'), details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = FEED_CODES[code];
    this.ref = { key: code, params };
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

/** A wait as params of a text: `{wait:code}` says it ("5 minuti", "1 ora") in the text's language. */
export function waitParams(ms: number): { wait: TextCode; n: number } {
  const s = Math.max(1, Math.round(ms / 1000));
  if (ms < 90_000) return s === 1 ? { wait: 'wait.second', n: 1 } : { wait: 'wait.seconds', n: s };
  const min = Math.ceil(ms / 60_000);
  if (min < 120) return { wait: 'wait.minutes', n: min };
  const h = Math.round(min / 60);
  return h === 1 ? { wait: 'wait.hour', n: 1 } : { wait: 'wait.hours', n: h };
}

export function httpStatusError(status: number, url: string, retryAfterMs?: number): FeedError {
  const details: FeedErrorDetails = { status, url, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  switch (status) {
    case 410:
      return new FeedError('feed.gone', {}, details);
    case 404:
      return new FeedError('feed.notFound', {}, details);
    case 401:
    case 403:
      return new FeedError('feed.denied', { status }, details);
    case 429:
      return retryAfterMs !== undefined ? new FeedError('feed.throttledWait', waitParams(retryAfterMs), details) : new FeedError('feed.throttled', {}, details);
    default:
      if (status === 503 && retryAfterMs !== undefined) return new FeedError('feed.statusWait', { status, ...waitParams(retryAfterMs) }, details);
      return new FeedError('feed.status', { status }, details);
  }
}

/** Translations of the sax messages a broken feed produces most often. */
const SAX_MESSAGES: Array<[RegExp, TextCode]> = [
  [/^Unexpected close tag/i, 'sax.unexpectedClose'],
  [/^Unclosed root tag/i, 'sax.unclosedRoot'],
  [/^Unmatched closing tag/i, 'sax.unmatchedClose'],
  [/^Invalid character entity/i, 'sax.badEntity'],
  [/^Invalid character in entity name/i, 'sax.badEntityName'],
  [/^Non-whitespace before first tag/i, 'sax.textBefore'],
  [/^Text data outside of root node/i, 'sax.textOutside'],
  [/^Invalid tagname/i, 'sax.badTagName'],
  [/^Unquoted attribute value/i, 'sax.unquotedAttribute'],
  [/^Attribute without value/i, 'sax.attributeNoValue'],
  [/^Unexpected end/i, 'sax.unexpectedEnd'],
  [/^Unclosed tag/i, 'sax.unclosedTag'],
  [/^Invalid attribute name/i, 'sax.badAttributeName'],
];

/** Turns an xml2js/sax error ("Unexpected close tag\nLine: 11\nColumn: 8\nChar: >") into ours. */
export function xmlSyntaxError(err: unknown, url?: string): FeedError {
  const raw = err instanceof Error ? err.message : String(err);
  const first = raw.split('\n')[0]?.trim() ?? raw;
  // sax counts lines from 0.
  const m = /Line:\s*(\d+)/.exec(raw);
  const line = m?.[1] !== undefined ? Number(m[1]) + 1 : undefined;
  const reason = SAX_MESSAGES.find(([re]) => re.test(first))?.[1] ?? first;
  return new FeedError(line !== undefined ? 'feed.badXmlAt' : 'feed.badXml', line !== undefined ? { line, reason } : { reason }, {
    ...(line !== undefined ? { line } : {}),
    ...(url !== undefined ? { url } : {}),
    cause: err,
  });
}
