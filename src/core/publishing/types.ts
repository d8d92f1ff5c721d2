// The seam between the responses workflow (which decides WHETHER a text may go out) and the
// publishing service (which makes it go out exactly once). Responses call enqueue() only after
// core has checked every approval against the current content hash.
import type { Actor } from '../../shared/auth';
import type { OutboxEntry, PublishChannel } from '../../shared/publishing';

export interface PublishRequest {
  responseId: number;
  versionId: number;
  /** sha256 of the exact text approved; part of the idempotency key. */
  contentHash: string;
  channelId: number;
  /** The mention replied to (Reddit post/comment, Mastodon status); null for webhook/manual posts. */
  targetMentionId: number | null;
  text: string;
  actor: Actor;
}

export interface Publisher {
  channels(): PublishChannel[];
  channel(id: number): PublishChannel | null;
  /** Idempotent: the same (response, content hash, channel) returns the existing entry. */
  enqueue(req: PublishRequest): OutboxEntry;
  /** Manual channel: the person who posted by hand records where. */
  recordManual(outboxId: number, url: string): OutboxEntry;
  forResponse(responseId: number): OutboxEntry[];
  /** Called whenever an entry reaches published or failed, so the response can follow. */
  onSettled(listener: (entry: OutboxEntry) => void): () => void;
}
