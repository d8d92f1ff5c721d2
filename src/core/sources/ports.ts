// The one interface every polled source implements (feeds, Reddit, Discourse, Mastodon).
// The scheduler owns timing, pacing, backoff and persistence; a connector only fetches
// once and says what it found, so a library behind it (e.g. snoowrap) can be swapped
// without touching anything else.
import type { InboundMention } from '../../shared/schemas';
import type { ConfigOf, PolledKind, SourceSecrets } from '../../shared/sources';
import { renderText, type ErrorParams, type TextCode, type TextRef } from '../../shared/errors';

/** JSON the connector keeps between polls: HTTP validators, cursors, last seen ids. Stored by the scheduler. */
export type ConnectorState = { [key: string]: unknown };

export interface PollContext {
  /** Aborted when the source is paused, deleted, or the app closes. */
  signal: AbortSignal;
  now(): number;
  /** Decrypted credentials of this source (empty when it has none). */
  secrets: SourceSecrets;
  /** The user's name for the source: the `source` field of the items it yields. */
  sourceName: string;
}

/** Why a poll failed, for the scheduler (kind, retry hints) and for the user (message, Italian). */
export interface ConnectorError {
  /** Stable machine kind, e.g. 'http_status', 'timeout', 'xml', 'auth', 'rate_limited', 'gone'. */
  kind: string;
  /** Plain Italian: "il feed ha risposto 503", "XML non valido alla riga 12" (logs, and where there is no ref). */
  message: string;
  /** The same text as a code of the catalogue: the scheduler words it in the workspace's language. */
  ref?: TextRef;
  /** Server asked us to wait this long (Retry-After, X-Ratelimit-Reset). */
  retryAfterMs?: number;
  /** Retrying will not help until the user changes something (410 Gone, bad credentials, not a feed). */
  permanent?: boolean;
  httpStatus?: number;
}

export interface ItemProblem {
  index: number;
  /** Italian (logs); `ref` is the same text as a code of the catalogue, when it has one. */
  reason: string;
  ref?: TextRef;
  hint?: string;
}

/** Why an item was skipped, said with a text of the catalogue (Italian `reason` for logs). */
export function skipReason(key: TextCode, params: ErrorParams = {}): { reason: string; ref: TextRef } {
  return { reason: renderText(key, params, 'it'), ref: { key, params } };
}

/**
 * A connector's failure said with a text of the catalogue: `message` is its Italian rendering
 * (logs), `ref` what the scheduler words in the workspace's language and a dry run in the
 * viewer's.
 */
export function connectorError(kind: string, key: TextCode, params: ErrorParams = {}, more: Omit<ConnectorError, 'kind' | 'message' | 'ref'> = {}): ConnectorError {
  return { kind, message: renderText(key, params, 'it'), ref: { key, params }, ...more };
}

export type PollOutcome =
  | {
      ok: true;
      items: InboundMention[];
      /** Items the connector saw but could not turn into mentions. */
      problems: ItemProblem[];
      state: ConnectorState;
      /** 304 or nothing new: a success that brings no items. */
      notModified?: boolean;
      /** Earliest next poll the service asked for (Cache-Control, Expires, rate-limit reset). */
      minDelayMs?: number;
      /** Remaining API budget when the service reports it (Reddit's X-Ratelimit-*). */
      rateLimit?: { remaining: number; resetMs: number };
      /** The source moved for good (301/308): the scheduler may update the stored address. */
      movedTo?: string;
    }
  | { ok: false; error: ConnectorError; state?: ConnectorState };

export interface Connector<K extends PolledKind = PolledKind> {
  readonly kind: K;
  /** Host used for the per-host concurrency limit. */
  host(config: ConfigOf<K>): string;
  /** Fetch once. Never throws: every failure is a PollOutcome with ok: false. */
  poll(config: ConfigOf<K>, state: ConnectorState, ctx: PollContext): Promise<PollOutcome>;
}

/** kind → Connector: built by the composition root, read by the scheduler and the dry run. */
export type ConnectorRegistry = { [K in PolledKind]?: Connector<K> };

export function connectorFor<K extends PolledKind>(registry: ConnectorRegistry, kind: K): Connector<K> | undefined {
  return registry[kind] as Connector<K> | undefined;
}
