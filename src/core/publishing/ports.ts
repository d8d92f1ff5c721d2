// The one interface every publishing connector implements (Reddit, Mastodon, webhook).
// A connector sends once and says what happened; the outbox in core owns states, retries,
// backoff and reconciliation, so it alone decides whether something may be sent again.
import { renderText, type ErrorParams, type TextCode, type TextRef } from '../../shared/errors';
import type { PublishChannelConfig, PublishChannelKind, PublishChannelSecrets } from '../../shared/publishing';

export interface PublishJob {
  /** Stable per (response, content hash, channel): sent as Idempotency-Key where the platform honours it. */
  idempotencyKey: string;
  /** The exact approved text. */
  text: string;
  /** What to reply to (Reddit t3_/t1_ fullname, Mastodon status URL or mastodon:host:id); null: a new post. */
  target: string | null;
  responseId: number;
  versionId: number;
  contentHash: string;
  channelName: string;
}

export interface Published {
  externalId: string | null;
  url: string | null;
}

export interface PublishError {
  /** Italian (logs); the outbox stores `ref` worded in the workspace's language. */
  message: string;
  ref?: TextRef;
  /** Retrying cannot help (bad credentials, deleted target, refused text). */
  permanent: boolean;
  /** The request may have reached the platform (dropped connection, timeout): look before retrying. */
  uncertain: boolean;
  /** The platform asked to wait (Retry-After, rate-limit reset). */
  retryAfterMs?: number;
  httpStatus?: number;
}

/** A publishing failure said with a text of the catalogue (`message`: its Italian rendering). */
export function publishError(key: TextCode, params: ErrorParams, how: Omit<PublishError, 'message' | 'ref'>): PublishError {
  return { message: renderText(key, params, 'it'), ref: { key, params }, ...how };
}

/** What a channel test says: who we are on the platform, or why it fails. */
export interface ChannelTestResult {
  ok: boolean;
  /** Italian (logs, and a client that does not know `ref`). */
  message: string;
  ref?: TextRef;
}

/** A channel test's answer said with a text of the catalogue. */
export function testSaid(ok: boolean, key: TextCode, params: ErrorParams = {}): ChannelTestResult {
  return { ok, message: renderText(key, params, 'it'), ref: { key, params } };
}

/** A failed channel test: the error's text. */
export function failedTest(e: PublishError): ChannelTestResult {
  return { ok: false, message: e.message, ...(e.ref ? { ref: e.ref } : {}) };
}

export type PublishOutcome = ({ ok: true } & Published) | { ok: false; error: PublishError };

/** What a look for an earlier post found: the post, nothing, or no answer (try again later). */
export type FindOutcome = { ok: true; found: Published | null } | { ok: false; error: PublishError };

export interface PublishContext {
  config: PublishChannelConfig;
  secrets: PublishChannelSecrets;
  now(): number;
}

export interface PublishConnector {
  readonly kind: Exclude<PublishChannelKind, 'manual'>;
  /** What is missing or wrong in the settings, as a text of the catalogue; null when usable. */
  configProblem(config: PublishChannelConfig, secrets: PublishChannelSecrets): TextCode | null;
  publish(job: PublishJob, ctx: PublishContext): Promise<PublishOutcome>;
  /**
   * Looks for a post this job already made (after a crash or an uncertain failure). Absent
   * when the platform cannot be asked: the job is sent again with the same idempotency key
   * and the receiver dedupes (webhook).
   */
  find?(job: PublishJob, ctx: PublishContext): Promise<FindOutcome>;
  /** "Prova connessione": who we are on the platform, or why it fails. Posts nothing. */
  test(ctx: PublishContext): Promise<ChannelTestResult>;
  /** The longest text the platform takes, as it says (Mastodon's instance); null: it did not say. */
  charLimit?(ctx: PublishContext): Promise<number | null>;
}

/** The publishing connectors by channel kind ("manual" has none: a person posts by hand). */
export type PublishConnectors = Partial<Record<Exclude<PublishChannelKind, 'manual'>, PublishConnector>>;
