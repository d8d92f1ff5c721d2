import type { InboundMention } from '../../../shared/schemas';
import type { TextRef } from '../../../shared/errors';
import type { FeedError } from './errors';

export const DEFAULT_MAX_BYTES = 15 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_USER_AGENT = 'Vedetta/0.1 (+feed reader)';

export interface FetchOptions {
  /** Validators stored from the previous poll (conditional GET). */
  etag?: string | null;
  lastModified?: string | null;
  /** Whole request, redirects and body included. */
  timeoutMs?: number;
  /** Longest silence allowed on the socket (connect, headers, between body chunks). */
  idleTimeoutMs?: number;
  /** Cap on the body, both as sent and after decompression. */
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  /** Accept header; feeds by default. JSON API connectors reuse this client with their own. */
  accept?: string;
  /** Extra request headers (API keys, bearer tokens). */
  headers?: Record<string, string>;
  /** Response headers to hand back (e.g. rate-limit headers), on success and on HTTP errors. */
  keepHeaders?: readonly string[];
  signal?: AbortSignal;
  /** Clock for HTTP dates (Retry-After, Expires); injectable for tests. */
  now?: () => number;
}

interface FetchCommon {
  /** URL that answered, after redirects. */
  finalUrl: string;
  /** Each URL that redirected, in order. */
  redirects: string[];
  /** Set when every redirect was permanent (301/308): the source's address may be updated. */
  permanentRedirectTo?: string;
  etag?: string;
  lastModified?: string;
  /** Minimum delay before the next poll the server asked for (Cache-Control max-age / Expires). */
  cacheMaxAgeMs?: number;
  /** Retry-After, when present even on a success. */
  retryAfterMs?: number;
  /** The headers named in FetchOptions.keepHeaders that the response carried (lower-case names). */
  headers?: Record<string, string>;
}

export interface FetchOk extends FetchCommon {
  kind: 'ok';
  status: number;
  contentType?: string;
  /** Decompressed body. */
  bytes: Buffer;
  /** Bytes as received on the wire (before decompression). */
  wireBytes: number;
}

export interface FetchNotModified extends FetchCommon {
  kind: 'notModified';
  status: 304;
}

export type FetchOutcome = FetchOk | FetchNotModified;

export type FeedFormat = 'rss2' | 'rss09' | 'rss1' | 'atom' | 'json';

export type EncodingSource = 'bom' | 'header' | 'prolog' | 'sniff' | 'default';

export interface DecodedText {
  text: string;
  /** WHATWG name of the encoding used (utf-8, windows-1252, koi8-r…), or utf-32le/be. */
  encoding: string;
  source: EncodingSource;
  /** Invalid byte sequences were replaced with U+FFFD. */
  replaced: boolean;
  /** What the document or the server declared, when it was overruled. */
  declared?: string;
}

export interface ItemReject {
  /** 0-based position of the item in the feed. */
  index: number;
  /** Italian (logs); `ref` is the same text as a code of the catalogue. */
  reason: string;
  ref?: TextRef;
  /** What identifies the item to a person (title or link), when there is one. */
  hint?: string;
}

export interface ParsedFeed {
  format: FeedFormat;
  title?: string;
  /** The site the feed belongs to. */
  link?: string;
  description?: string;
  /** Two-letter language of the feed, lowercase. */
  lang?: string;
  encoding: DecodedText['encoding'];
  encodingSource: EncodingSource;
  /** The document was not well-formed but became readable after fixing stray `&` and HTML entities. */
  repaired: boolean;
  /** Items found in the document (valid or not). */
  itemCount: number;
  items: InboundMention[];
  rejected: ItemReject[];
}

export interface ParseOptions {
  contentType?: string;
  /** URL of the feed (after redirects): base of relative links. */
  url: string;
  /** Name of the source as the user gave it; defaults to the feed's title, then the host. */
  source?: string;
}

export interface PollOptions extends FetchOptions {
  source?: string;
  /** Awaited between download and parse, so a caller can pace CPU work (see ingest/turns). */
  beforeParse?: () => Promise<void>;
}

export type PollResult =
  | ({ status: 'ok'; feed: ParsedFeed } & Omit<FetchOk, 'kind' | 'bytes' | 'status'> & { httpStatus: number })
  | ({ status: 'notModified' } & Omit<FetchNotModified, 'kind' | 'status'>)
  | { status: 'error'; error: FeedError };
