// The one interface every publishing connector implements (Reddit, Mastodon, webhook).
// A connector sends once and says what happened; the outbox in core owns states, retries,
// backoff and reconciliation, so it alone decides whether something may be sent again.
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
  /** Italian, for the outbox list. */
  message: string;
  /** Retrying cannot help (bad credentials, deleted target, refused text). */
  permanent: boolean;
  /** The request may have reached the platform (dropped connection, timeout): look before retrying. */
  uncertain: boolean;
  /** The platform asked to wait (Retry-After, rate-limit reset). */
  retryAfterMs?: number;
  httpStatus?: number;
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
  /** What is missing or wrong in the settings, in Italian; null when usable. */
  configProblem(config: PublishChannelConfig, secrets: PublishChannelSecrets): string | null;
  publish(job: PublishJob, ctx: PublishContext): Promise<PublishOutcome>;
  /**
   * Looks for a post this job already made (after a crash or an uncertain failure). Absent
   * when the platform cannot be asked: the job is sent again with the same idempotency key
   * and the receiver dedupes (webhook).
   */
  find?(job: PublishJob, ctx: PublishContext): Promise<FindOutcome>;
  /** "Prova connessione": who we are on the platform, or why it fails. Posts nothing. */
  test(ctx: PublishContext): Promise<{ ok: boolean; message: string }>;
}

/** The publishing connectors by channel kind ("manual" has none: a person posts by hand). */
export type PublishConnectors = Partial<Record<Exclude<PublishChannelKind, 'manual'>, PublishConnector>>;
