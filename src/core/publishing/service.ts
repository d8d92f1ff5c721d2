// Publishing exactly once: the outbox. Over 400 lines (~450) on purpose: one state machine in
// one file, because its transitions must be read together; the channels' settings and secrets
// are in channels.ts, where a post goes and how it is keyed in targets.ts.
//
//   enqueue ─▶ pending ─claim─▶ sending ─platform answers─▶ published | pending (retry) | failed
//   manual channel: enqueue ─▶ awaiting_manual ─URL recorded─▶ published
//
// `sending` is committed BEFORE the platform is called, and what the platform answered is
// recorded in one statement after. A row found in `sending` at start (the process died in
// between) is marked uncertain, and so is one whose request may have arrived (connection
// dropped, timeout, 5xx): before such a row is ever sent again, the connector looks for the
// post it may have made (Reddit: the account's newest comments; Mastodon: its statuses, plus
// the Idempotency-Key header), and a webhook receiver dedupes on Idempotency-Key.
import type { Actor } from '../../shared/auth';
import { ApiError } from '../../shared/contract';
import { renderText, type ErrorLang } from '../../shared/errors';
import type { Mention } from '../../shared/schemas';
import {
  PublishChannelConfigSchema,
  type OutboxEntry,
  type OutboxState,
  type OutboxView,
  type PublishChannel,
  type PublishChannelCreate,
  type PublishChannelSecrets,
  type PublishChannelTest,
  type PublishChannelTestResult,
  type PublishChannelUpdate,
  type PublishChannelView,
} from '../../shared/publishing';
import type { PublishConnector, PublishConnectors, PublishError, PublishJob } from './ports';
import { noteAudit } from '../api/call-scope';
import type { EventBus } from '../api/events';
import type { Logger } from '../platform';
import type { SecretStore } from '../sources';
import type { Db } from '../store/db';
import { OutboxRepo, type OutboxRow } from '../store/outbox-repo';
import { PublishChannelsRepo } from '../store/publish-channels-repo';
import { KIND_NAMES, PublishChannels } from './channels';
import { idempotencyKey, targetFor, validPostUrl } from './targets';
import type { Publisher, PublishRequest } from './types';

export { idempotencyKey, redditFullname, validPostUrl } from './targets';

/** Who the log names for what the outbox does on its own (retries, reconciliation). */
export const OUTBOX_ACTOR: Actor = { userId: 0, username: 'sistema', displayName: 'Sistema (pubblicazione)', roles: [] };

/**
 * The audit writer, for what the outbox does that is no op of its own: an entry enqueued by the
 * responses workflow, the worker's outcomes (published, reconciled, failed, interrupted), each
 * in the transaction of its change. The ops' rows are the dispatcher's (see ./ops.ts).
 */
export type AuditFn = (actor: Actor, action: string, subject: string | null, detail?: Record<string, unknown>, contentHash?: string | null) => void;

export interface PublishingDeps {
  db: Db;
  events: EventBus;
  now: () => number;
  logger: Logger;
  secrets: SecretStore;
  connectors: PublishConnectors;
  /** The mention a response replies to (its platform id and URL). */
  mention: (id: number) => Mention | null;
  audit: AuditFn;
  /** Delay before attempt n+1 after n failures (the last value repeats). */
  backoffMs?: readonly number[];
  /** Attempts before an entry is failed for good. */
  maxAttempts?: number;
  /** Test hook: runs after the platform accepted a post and before it is recorded. */
  afterSend?: () => void;
  /** The workspace's language: an outbox error is stored in it (default Italian). */
  lang?: () => ErrorLang;
}

const DEFAULT_BACKOFF_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000] as const;
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export class PublishingService implements Publisher {
  private readonly channelsRepo: PublishChannelsRepo;
  private readonly outbox: OutboxRepo;
  private readonly channelsSvc: PublishChannels;
  private readonly listeners = new Set<(e: OutboxEntry) => void>();
  private readonly backoff: readonly number[];
  private readonly maxAttempts: number;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private again = false;
  private started = false;
  private stopped = false;

  constructor(private readonly d: PublishingDeps) {
    this.channelsRepo = new PublishChannelsRepo(d.db);
    this.outbox = new OutboxRepo(d.db);
    this.channelsSvc = new PublishChannels(this.channelsRepo, { events: d.events, now: d.now, secrets: d.secrets, connectors: d.connectors, enabled: () => this.kick() });
    this.backoff = d.backoffMs && d.backoffMs.length > 0 ? d.backoffMs : DEFAULT_BACKOFF_MS;
    this.maxAttempts = d.maxAttempts ?? 6;
  }

  // ---- Publisher (the seam the responses workflow calls) ----

  channels(): PublishChannel[] {
    return this.channelsSvc.channels();
  }

  channel(id: number): PublishChannel | null {
    return this.channelsSvc.channel(id);
  }

  enqueue(req: PublishRequest): OutboxEntry {
    const ch = this.channelsRepo.get(req.channelId);
    if (!ch) throw new ApiError('publishing.channelNotFound', { id: req.channelId });
    const key = idempotencyKey(req.responseId, req.contentHash, ch.id);
    const existing = this.outbox.getByKey(key);
    if (existing) return this.toEntry(existing);
    if (!ch.enabled) throw new ApiError('publishing.channelDisabled', { name: ch.name });
    if (!req.text.trim()) throw new ApiError('publishing.emptyText');
    const target = targetFor(ch, req.targetMentionId, (id) => this.d.mention(id));
    const { row, created } = this.inTx(() => {
      const res = this.outbox.insertOnce(
        {
          responseId: req.responseId,
          versionId: req.versionId,
          contentHash: req.contentHash,
          channelId: ch.id,
          idempotencyKey: key,
          targetMentionId: req.targetMentionId,
          target,
          text: req.text,
          state: ch.kind === 'manual' ? 'awaiting_manual' : 'pending',
          actor: JSON.stringify(req.actor),
        },
        this.d.now(),
      );
      if (res.created) {
        const r = res.row;
        this.d.audit(req.actor, 'publishing.enqueue', `outbox:${r.id}`, { responseId: r.responseId, versionId: r.versionId, channel: ch.name, kind: ch.kind, target }, r.contentHash);
      }
      return res;
    });
    if (created) {
      this.changed(row);
      this.kick();
    }
    return this.toEntry(row);
  }

  recordManual(outboxId: number, url: string): OutboxEntry {
    return this.toEntry(this.recordManualRow(outboxId, url));
  }

  forResponse(responseId: number): OutboxEntry[] {
    return this.outbox.list({ responseId, limit: 500 }).map((r) => this.toEntry(r));
  }

  onSettled(listener: (entry: OutboxEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- Outbox for the UI ----

  list(filter: { responseId?: number; state?: OutboxState; limit: number }): OutboxView[] {
    return this.outbox.list(filter).map((r) => this.toView(r));
  }

  recordManualView(outboxId: number, url: string): OutboxView {
    return this.toView(this.recordManualRow(outboxId, url));
  }

  retry(outboxId: number): OutboxView {
    const row = this.outbox.get(outboxId);
    if (!row) throw new ApiError('publishing.outboxNotFound', { id: outboxId });
    if (row.state !== 'failed') throw new ApiError('publishing.retryNotFailed');
    const ch = this.channelsRepo.get(row.channelId);
    if (!ch?.enabled) throw new ApiError('publishing.retryChannelDisabled', { name: row.channelName });
    this.outbox.requeue(row.id, this.d.now());
    const next = this.mustGet(row.id);
    this.changed(next);
    this.kick();
    return this.toView(next);
  }

  // ---- Channels (channels.ts) ----

  listChannels(): PublishChannelView[] {
    return this.channelsSvc.listChannels();
  }

  createChannel(input: PublishChannelCreate): PublishChannelView {
    return this.channelsSvc.createChannel(input);
  }

  updateChannel(input: PublishChannelUpdate): PublishChannelView {
    return this.channelsSvc.updateChannel(input);
  }

  testChannel(input: PublishChannelTest): Promise<PublishChannelTestResult> {
    return this.channelsSvc.testChannel(input);
  }


  // ---- The worker ----

  /** Reconciles what a crash left in `sending`, then works the queue (serve and desktop only). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const now = this.d.now();
    for (const row of this.outbox.withState('sending')) {
      this.d.logger.warn(`pubblicazione ${row.id}: interrotta durante l'invio, verifico sulla piattaforma prima di riprovare`);
      this.outbox.markUncertain(row.id, now);
      this.d.audit(OUTBOX_ACTOR, 'publishing.interrupted', `outbox:${row.id}`, { channel: row.channelName }, row.contentHash);
      this.changed(this.mustGet(row.id));
    }
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Resolves when no entry is due now and no attempt is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  private kick(): void {
    if (!this.started || this.stopped) return;
    if (this.loop) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.loop = this.work()
      .catch((e: unknown) => this.d.logger.error('pubblicazione: errore interno della coda', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        this.loop = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
          return;
        }
        this.schedule();
      });
  }

  private schedule(): void {
    const next = this.outbox.nextDue();
    if (next === null || this.stopped) return;
    const delay = Math.min(Math.max(0, next - this.d.now()), 60_000);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, delay);
    this.timer.unref?.();
  }

  private async work(): Promise<void> {
    // One entry at a time: publishing is rare, and order is easy to reason about.
    for (;;) {
      if (this.stopped) return;
      const [row] = this.outbox.due(this.d.now(), 1);
      if (!row) return;
      await this.attempt(row);
    }
  }

  private async attempt(row: OutboxRow): Promise<void> {
    const ch = this.channelsRepo.get(row.channelId);
    if (!ch || !ch.enabled) {
      this.fail(row, renderText('publish.channelOff', { channel: row.channelName }, this.lang()), row.uncertain);
      return;
    }
    const connector: PublishConnector | undefined = ch.kind === 'manual' ? undefined : this.d.connectors[ch.kind];
    if (!connector) {
      this.fail(row, renderText('publish.unavailable', { kind: KIND_NAMES[ch.kind] }, this.lang()), row.uncertain);
      return;
    }
    let secrets: PublishChannelSecrets;
    try {
      secrets = this.channelsSvc.open(ch);
    } catch (e) {
      this.fail(row, e instanceof Error ? e.message : String(e), row.uncertain);
      return;
    }
    const config = PublishChannelConfigSchema.safeParse(ch.config).data ?? {};
    const ctx = { config, secrets, now: this.d.now };
    const job: PublishJob = {
      idempotencyKey: row.idempotencyKey,
      text: row.text,
      target: row.target,
      responseId: row.responseId,
      versionId: row.versionId,
      contentHash: row.contentHash,
      channelName: ch.name,
    };
    // Committed before any request: a crash from here on leaves `sending` for start() to see.
    if (!this.outbox.claim(row.id, this.d.now())) return;
    this.changed(this.mustGet(row.id));
    if (row.uncertain && connector.find) {
      const found = await connector.find(job, ctx);
      if (!found.ok) {
        this.failed(this.mustGet(row.id), found.error, true);
        return;
      }
      if (found.found) {
        const hit = found.found;
        const done = this.inTx(() => {
          this.outbox.markPublished(row.id, hit.externalId, hit.url, this.d.now());
          this.d.audit(OUTBOX_ACTOR, 'publishing.reconciled', `outbox:${row.id}`, { channel: ch.name, externalId: hit.externalId, url: hit.url }, row.contentHash);
          return this.mustGet(row.id);
        });
        this.settled(done);
        return;
      }
    }
    const out = await connector.publish(job, ctx);
    if (out.ok) {
      this.d.afterSend?.();
      // What the platform answered and its audit entry: one transaction.
      const done = this.inTx(() => {
        this.outbox.markPublished(row.id, out.externalId, out.url, this.d.now());
        const r = this.mustGet(row.id);
        this.d.audit(OUTBOX_ACTOR, 'publishing.published', `outbox:${row.id}`, { channel: ch.name, kind: ch.kind, externalId: out.externalId, url: out.url, attempts: r.attempts }, row.contentHash);
        return r;
      });
      this.settled(done);
      return;
    }
    this.failed(this.mustGet(row.id), out.error, out.error.uncertain);
  }

  private failed(row: OutboxRow, error: PublishError, uncertain: boolean): void {
    if (error.permanent || row.attempts >= this.maxAttempts) {
      this.fail(row, this.word(error), uncertain);
      return;
    }
    const base = this.backoff[Math.min(row.attempts - 1, this.backoff.length - 1)] ?? 60_000;
    const wait = Math.max(base, error.retryAfterMs ?? 0);
    this.outbox.markRetry(row.id, this.word(error), this.d.now() + wait, uncertain);
    this.d.logger.warn(`pubblicazione ${row.id} (${row.channelName}): ${error.message}; nuovo tentativo fra ${Math.ceil(wait / 1000)} s`);
    this.changed(this.mustGet(row.id));
  }

  /** A connector's error as the outbox stores it: in the workspace's language. */
  private word(error: PublishError): string {
    return error.ref ? renderText(error.ref.key, error.ref.params, this.lang()) : error.message;
  }

  /** The workspace's language: an outbox error is stored in it. */
  private lang(): ErrorLang {
    return this.d.lang?.() ?? 'it';
  }

  private fail(row: OutboxRow, message: string, uncertain: boolean): void {
    const done = this.inTx(() => {
      this.outbox.markFailed(row.id, message, uncertain);
      const r = this.mustGet(row.id);
      this.d.audit(OUTBOX_ACTOR, 'publishing.failed', `outbox:${row.id}`, { channel: row.channelName, error: message, attempts: r.attempts }, row.contentHash);
      return r;
    });
    this.settled(done);
  }

  private settled(row: OutboxRow): void {
    this.changed(row);
    const entry = this.toEntry(row);
    for (const l of this.listeners) {
      try {
        l(entry);
      } catch (e) {
        this.d.logger.error('pubblicazione: un ascoltatore ha fallito', { error: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  // ---- helpers ----

  private recordManualRow(outboxId: number, url: string): OutboxRow {
    const row = this.outbox.get(outboxId);
    if (!row) throw new ApiError('publishing.outboxNotFound', { id: outboxId });
    if (row.channelKind !== 'manual') throw new ApiError('publishing.notManual');
    const clean = validPostUrl(url);
    if (!clean) throw new ApiError('publishing.badPostUrl');
    if (row.state === 'published') {
      if (row.url === clean) return row;
      throw new ApiError('publishing.alreadyRecorded', { url: row.url ?? '' });
    }
    const done = this.inTx(() => {
      this.outbox.markPublished(row.id, null, clean, this.d.now());
      noteAudit({ detail: { channel: row.channelName, url: clean }, contentHash: row.contentHash });
      return this.mustGet(row.id);
    });
    this.settled(done);
    return done;
  }


  private inTx<T>(fn: () => T): T {
    return this.d.db.transaction(fn)();
  }


  private mustGet(id: number): OutboxRow {
    const r = this.outbox.get(id);
    if (!r) throw new Error(`outbox row ${id} vanished`);
    return r;
  }

  private changed(row: OutboxRow): void {
    this.d.events.emit('publishing.outboxChanged', this.toView(row));
  }


  private toEntry(r: OutboxRow): OutboxEntry {
    return {
      id: r.id,
      responseId: r.responseId,
      versionId: r.versionId,
      contentHash: r.contentHash,
      channelId: r.channelId,
      channelKind: r.channelKind,
      idempotencyKey: r.idempotencyKey,
      state: r.state,
      attempts: r.attempts,
      lastError: r.lastError,
      externalId: r.externalId,
      url: r.url,
      createdAt: new Date(r.createdAt).toISOString(),
      publishedAt: iso(r.publishedAt),
    };
  }

  private toView(r: OutboxRow): OutboxView {
    return {
      ...this.toEntry(r),
      channelName: r.channelName,
      text: r.text,
      target: r.target,
      nextAttemptAt: r.state === 'pending' ? iso(r.nextAttemptAt) : null,
    };
  }
}
