// The publishing outbox. Every state change is its own committed statement (or one
// transaction), so what is on disk always tells whether a platform may have been called.
import type { Database } from 'better-sqlite3';
import type { OutboxState, PublishChannelKind } from '../../shared/publishing';

export interface OutboxRow {
  id: number;
  responseId: number;
  versionId: number;
  contentHash: string;
  channelId: number;
  channelKind: PublishChannelKind;
  channelName: string;
  idempotencyKey: string;
  targetMentionId: number | null;
  target: string | null;
  text: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  uncertain: boolean;
  externalId: string | null;
  url: string | null;
  actor: string;
  createdAt: number;
  sendingAt: number | null;
  publishedAt: number | null;
}

interface Raw {
  id: number;
  response_id: number;
  version_id: number;
  content_hash: string;
  channel_id: number;
  channel_kind: PublishChannelKind;
  channel_name: string;
  idempotency_key: string;
  target_mention_id: number | null;
  target: string | null;
  text: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  uncertain: number;
  external_id: string | null;
  url: string | null;
  actor: string;
  created_at: number;
  sending_at: number | null;
  published_at: number | null;
}

const SELECT = `SELECT o.*, c.kind AS channel_kind, c.name AS channel_name
  FROM publish_outbox o JOIN publish_channels c ON c.id = o.channel_id`;

function toRow(r: Raw): OutboxRow {
  return {
    id: r.id,
    responseId: r.response_id,
    versionId: r.version_id,
    contentHash: r.content_hash,
    channelId: r.channel_id,
    channelKind: r.channel_kind,
    channelName: r.channel_name,
    idempotencyKey: r.idempotency_key,
    targetMentionId: r.target_mention_id,
    target: r.target,
    text: r.text,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    uncertain: r.uncertain === 1,
    externalId: r.external_id,
    url: r.url,
    actor: r.actor,
    createdAt: r.created_at,
    sendingAt: r.sending_at,
    publishedAt: r.published_at,
  };
}

export interface NewOutboxEntry {
  responseId: number;
  versionId: number;
  contentHash: string;
  channelId: number;
  idempotencyKey: string;
  targetMentionId: number | null;
  target: string | null;
  text: string;
  state: 'pending' | 'awaiting_manual';
  actor: string;
}

export class OutboxRepo {
  private readonly one;
  private readonly byKey;
  private readonly insert;
  private readonly dueStmt;
  private readonly inState;
  private readonly nextDueStmt;

  constructor(private readonly db: Database) {
    this.one = db.prepare<[number], Raw>(`${SELECT} WHERE o.id = ?`);
    this.byKey = db.prepare<[string], Raw>(`${SELECT} WHERE o.idempotency_key = ?`);
    this.insert = db.prepare(
      `INSERT INTO publish_outbox (response_id, version_id, content_hash, channel_id, idempotency_key, target_mention_id, target, text, state, actor, created_at, next_attempt_at)
       VALUES (@responseId, @versionId, @contentHash, @channelId, @idempotencyKey, @targetMentionId, @target, @text, @state, @actor, @now, @next)
       ON CONFLICT (idempotency_key) DO NOTHING`,
    );
    this.dueStmt = db.prepare<[number, number], Raw>(
      `${SELECT} WHERE o.state = 'pending' AND COALESCE(o.next_attempt_at, 0) <= ? ORDER BY o.next_attempt_at, o.id LIMIT ?`,
    );
    this.inState = db.prepare<[string], Raw>(`${SELECT} WHERE o.state = ? ORDER BY o.id`);
    this.nextDueStmt = db.prepare<[], { t: number | null }>(`SELECT MIN(COALESCE(next_attempt_at, 0)) AS t FROM publish_outbox WHERE state = 'pending'`);
  }

  get(id: number): OutboxRow | null {
    const r = this.one.get(id);
    return r ? toRow(r) : null;
  }

  getByKey(key: string): OutboxRow | null {
    const r = this.byKey.get(key);
    return r ? toRow(r) : null;
  }

  /** Inserts unless the key exists; returns the row either way and whether it is new. */
  insertOnce(e: NewOutboxEntry, now: number): { row: OutboxRow; created: boolean } {
    const res = this.insert.run({ ...e, now, next: e.state === 'pending' ? now : null });
    const row = this.getByKey(e.idempotencyKey);
    if (!row) throw new Error('outbox insert lost');
    return { row, created: res.changes === 1 };
  }

  list(filter: { responseId?: number; state?: OutboxState; limit: number }): OutboxRow[] {
    const w: string[] = [];
    const p: Record<string, unknown> = { limit: filter.limit };
    if (filter.responseId !== undefined) {
      w.push('o.response_id = @responseId');
      p.responseId = filter.responseId;
    }
    if (filter.state !== undefined) {
      w.push('o.state = @state');
      p.state = filter.state;
    }
    const sql = `${SELECT} ${w.length ? `WHERE ${w.join(' AND ')}` : ''} ORDER BY o.id DESC LIMIT @limit`;
    return this.db.prepare<[Record<string, unknown>], Raw>(sql).all(p).map(toRow);
  }

  due(now: number, limit: number): OutboxRow[] {
    return this.dueStmt.all(now, limit).map(toRow);
  }

  withState(state: OutboxState): OutboxRow[] {
    return this.inState.all(state).map(toRow);
  }

  /** When the earliest pending entry is due (null: nothing pending). */
  nextDue(): number | null {
    return this.nextDueStmt.get()?.t ?? null;
  }

  /**
   * pending → sending, committed before the platform is called. Returns false when another
   * worker took it first (the row was no longer pending).
   */
  claim(id: number, now: number): boolean {
    const res = this.db
      .prepare(`UPDATE publish_outbox SET state = 'sending', attempts = attempts + 1, sending_at = ? WHERE id = ? AND state = 'pending'`)
      .run(now, id);
    return res.changes === 1;
  }

  /** What the platform answered, in one statement: the id and URL are never half-written. */
  markPublished(id: number, externalId: string | null, url: string | null, now: number): void {
    this.db
      .prepare(
        `UPDATE publish_outbox SET state = 'published', external_id = ?, url = ?, published_at = ?, last_error = NULL,
           uncertain = 0, next_attempt_at = NULL WHERE id = ? AND state IN ('sending', 'pending', 'awaiting_manual', 'failed')`,
      )
      .run(externalId, url, now, id);
  }

  /** Back to the queue after a failure that retrying may fix. */
  markRetry(id: number, error: string, nextAt: number, uncertain: boolean): void {
    this.db
      .prepare(`UPDATE publish_outbox SET state = 'pending', last_error = ?, next_attempt_at = ?, uncertain = ? WHERE id = ?`)
      .run(error, nextAt, uncertain ? 1 : 0, id);
  }

  markFailed(id: number, error: string, uncertain: boolean): void {
    this.db
      .prepare(`UPDATE publish_outbox SET state = 'failed', last_error = ?, next_attempt_at = NULL, uncertain = ? WHERE id = ?`)
      .run(error, uncertain ? 1 : 0, id);
  }

  /** A failed entry goes back to the queue; its uncertainty is kept so it is reconciled first. */
  requeue(id: number, now: number): boolean {
    const res = this.db
      .prepare(`UPDATE publish_outbox SET state = 'pending', next_attempt_at = ?, attempts = 0 WHERE id = ? AND state = 'failed'`)
      .run(now, id);
    return res.changes === 1;
  }

  /** After a crash: a `sending` row may or may not have reached the platform. */
  markUncertain(id: number, now: number): void {
    this.db
      .prepare(`UPDATE publish_outbox SET state = 'pending', uncertain = 1, next_attempt_at = ? WHERE id = ? AND state = 'sending'`)
      .run(now, id);
  }
}
