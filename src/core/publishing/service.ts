// Over 500 lines (~640), kept whole: the exactly-once outbox is one state machine (claim,
// send, reconcile after a crash, retry) whose transitions must be read together; the channel
// settings part is the seam to move out if it grows.
// Publishing exactly once. Channels (credentials sealed by the SecretStore) and the outbox:
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
import { createHash } from 'node:crypto';
import type { Actor } from '../../shared/auth';
import { ApiError } from '../../shared/contract';
import { renderText, type ErrorLang } from '../../shared/errors';
import type { Mention } from '../../shared/schemas';
import {
  PublishChannelConfigSchema,
  PublishChannelSecretsSchema,
  type OutboxEntry,
  type OutboxState,
  type OutboxView,
  type PublishChannel,
  type PublishChannelConfig,
  type PublishChannelCreate,
  type PublishChannelKind,
  type PublishChannelSecrets,
  type PublishChannelTest,
  type PublishChannelTestResult,
  type PublishChannelUpdate,
  type PublishChannelView,
} from '../../shared/publishing';
import { testSaid, type ChannelTestResult, type PublishConnector, type PublishConnectors, type PublishError, type PublishJob } from './ports';
import { noteAudit } from '../api/call-scope';
import type { EventBus } from '../api/events';
import type { Logger } from '../platform';
import type { SecretStore } from '../sources';
import type { Db } from '../store/db';
import { OutboxRepo, type OutboxRow } from '../store/outbox-repo';
import { PublishChannelsRepo, type ChannelRow, type SealedSecrets } from '../store/publish-channels-repo';
import type { Publisher, PublishRequest } from './types';

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
const KIND_FIELDS: Record<PublishChannelKind, { config: (keyof PublishChannelConfig)[]; secrets: (keyof PublishChannelSecrets)[] }> = {
  reddit: { config: ['clientId', 'username'], secrets: ['clientSecret', 'password', 'refreshToken'] },
  mastodon: { config: ['instance'], secrets: ['accessToken'] },
  webhook: { config: ['url'], secrets: ['hmacSecret'] },
  manual: { config: [], secrets: [] },
};
const KIND_NAMES: Record<PublishChannelKind, string> = { reddit: 'Reddit', mastodon: 'Mastodon', webhook: 'webhook', manual: 'manuale' };

/** sha256 of (response, content hash, channel): the same approved text on one channel is one post. */
export function idempotencyKey(responseId: number, contentHash: string, channelId: number): string {
  return `vedetta-${createHash('sha256').update(`${responseId}\u0000${contentHash}\u0000${channelId}`).digest('hex').slice(0, 40)}`;
}

/** Only http(s) URLs are recorded as where a manual post went. */
export function validPostUrl(raw: string): string | null {
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    if (!u.hostname.includes('.') && u.hostname !== 'localhost') return null;
    return u.href;
  } catch {
    return null;
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function pick<T extends object>(obj: T, keys: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) {
    const v = obj[k];
    if (typeof v === 'string' && v.trim() !== '') out[k] = v;
  }
  return out;
}

export class PublishingService implements Publisher {
  private readonly channelsRepo: PublishChannelsRepo;
  private readonly outbox: OutboxRepo;
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
    this.backoff = d.backoffMs && d.backoffMs.length > 0 ? d.backoffMs : DEFAULT_BACKOFF_MS;
    this.maxAttempts = d.maxAttempts ?? 6;
  }

  // ---- Publisher (the seam the responses workflow calls) ----

  channels(): PublishChannel[] {
    return this.channelsRepo.list().map((r) => ({ id: r.id, kind: r.kind, name: r.name, requiresLegal: r.requiresLegal, enabled: r.enabled }));
  }

  channel(id: number): PublishChannel | null {
    const r = this.channelsRepo.get(id);
    return r ? { id: r.id, kind: r.kind, name: r.name, requiresLegal: r.requiresLegal, enabled: r.enabled } : null;
  }

  enqueue(req: PublishRequest): OutboxEntry {
    const ch = this.channelsRepo.get(req.channelId);
    if (!ch) throw new ApiError('publishing.channelNotFound', { id: req.channelId });
    const key = idempotencyKey(req.responseId, req.contentHash, ch.id);
    const existing = this.outbox.getByKey(key);
    if (existing) return this.toEntry(existing);
    if (!ch.enabled) throw new ApiError('publishing.channelDisabled', { name: ch.name });
    if (!req.text.trim()) throw new ApiError('publishing.emptyText');
    const target = this.targetFor(ch, req.targetMentionId);
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

  // ---- Channels ----

  listChannels(): PublishChannelView[] {
    return this.channelsRepo.list().map((r) => this.toChannelView(r));
  }

  createChannel(input: PublishChannelCreate): PublishChannelView {
    const kind = input.kind;
    const name = input.name.trim();
    if (this.channelsRepo.idByName(name) !== null) throw new ApiError('publishing.channelNameTaken', { name });
    const config = pick(PublishChannelConfigSchema.parse(input.config ?? {}), KIND_FIELDS[kind].config);
    const secrets = pick(PublishChannelSecretsSchema.parse(input.secrets ?? {}), KIND_FIELDS[kind].secrets);
    this.assertUsable(kind, config, secrets);
    const id = this.channelsRepo.create(
      { kind, name, requiresLegal: input.requiresLegal ?? false, enabled: input.enabled ?? true, config, secrets: this.seal(secrets) },
      this.d.now(),
    );
    this.d.events.emit('publishing.channelsChanged', {});
    return this.toChannelView(this.mustChannel(id));
  }

  updateChannel(input: PublishChannelUpdate): PublishChannelView {
    const ch = this.mustChannel(input.id);
    const name = input.name?.trim();
    if (name !== undefined && name.toLowerCase() !== ch.name.toLowerCase() && this.channelsRepo.idByName(name) !== null) {
      throw new ApiError('publishing.channelNameTaken', { name });
    }
    const fields = KIND_FIELDS[ch.kind];
    const config = input.config ? pick(PublishChannelConfigSchema.parse(input.config), fields.config) : (PublishChannelConfigSchema.safeParse(ch.config).data ?? {});
    const newSecrets = input.secrets ? pick(PublishChannelSecretsSchema.parse(input.secrets), fields.secrets) : {};
    const touchesSettings = input.config !== undefined || Object.keys(newSecrets).length > 0;
    let sealed: SealedSecrets | null | undefined;
    if (touchesSettings) {
      // Empty fields keep what is stored; unreadable stored secrets must all be typed again.
      let stored: PublishChannelSecrets = {};
      try {
        stored = this.open(ch);
      } catch {
        stored = {};
      }
      const merged = { ...stored, ...newSecrets };
      // Password and refresh token are alternatives: the one just typed replaces the other.
      if (newSecrets.refreshToken) delete merged.password;
      if (newSecrets.password) delete merged.refreshToken;
      this.assertUsable(ch.kind, config, merged);
      sealed = Object.keys(newSecrets).length > 0 ? this.seal(merged) : undefined;
    }
    this.channelsRepo.update(
      ch.id,
      {
        ...(name !== undefined ? { name } : {}),
        ...(input.requiresLegal !== undefined ? { requiresLegal: input.requiresLegal } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.config !== undefined ? { config } : {}),
        ...(sealed !== undefined ? { secrets: sealed } : {}),
      },
      this.d.now(),
    );
    noteAudit({
      detail: {
        name: name ?? ch.name,
        ...(input.requiresLegal !== undefined ? { requiresLegal: input.requiresLegal } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.config !== undefined ? { config } : {}),
        ...(Object.keys(newSecrets).length ? { sealedFieldsChanged: Object.keys(newSecrets).sort() } : {}),
      },
    });
    this.d.events.emit('publishing.channelsChanged', {});
    if (input.enabled === true) this.kick();
    return this.toChannelView(this.mustChannel(ch.id));
  }

  async testChannel(input: PublishChannelTest): Promise<PublishChannelTestResult> {
    const stored = input.id !== undefined ? this.mustChannel(input.id) : null;
    const kind = input.kind ?? stored?.kind;
    if (!kind) throw new ApiError('publishing.testNoKind');
    if (stored && kind !== stored.kind) throw new ApiError('publishing.kindFixed');
    if (kind === 'manual') return carriedTest(testSaid(true, 'publish.manualTest'));
    const fields = KIND_FIELDS[kind];
    const config = input.config ? pick(PublishChannelConfigSchema.parse(input.config), fields.config) : (PublishChannelConfigSchema.safeParse(stored?.config ?? {}).data ?? {});
    let secrets: PublishChannelSecrets = {};
    if (stored) {
      try {
        secrets = this.open(stored);
      } catch (e) {
        if (!input.secrets) return e instanceof ApiError ? { ok: false, message: e.message, ref: { key: e.key, params: { ...e.params } } } : { ok: false, message: e instanceof Error ? e.message : String(e) };
      }
    }
    secrets = { ...secrets, ...(input.secrets ? pick(PublishChannelSecretsSchema.parse(input.secrets), fields.secrets) : {}) };
    const connector = this.d.connectors[kind];
    if (!connector) return carriedTest(testSaid(false, 'publish.unavailableTest', { kind: KIND_NAMES[kind] }));
    return carriedTest(await connector.test({ config, secrets, now: this.d.now }));
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
      secrets = this.open(ch);
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

  /** What the connector replies to, from the mention the response answers. */
  private targetFor(ch: ChannelRow, mentionId: number | null): string | null {
    const m = mentionId !== null ? this.d.mention(mentionId) : null;
    if (mentionId !== null && !m) throw new ApiError('publishing.mentionGone', { id: mentionId });
    if (ch.kind === 'reddit') {
      const fromId = m?.externalId && /^t[13]_[a-z0-9]+$/i.test(m.externalId) ? m.externalId : null;
      const fromUrl = m?.url ? redditFullname(m.url) : null;
      const t = fromId ?? fromUrl;
      if (!t) throw new ApiError('publishing.redditReplyOnly', { channel: ch.name });
      return t;
    }
    if (ch.kind === 'mastodon') {
      if (!m) return null;
      const own = /^mastodon:(.+):[^:]+$/.exec(m.externalId ?? '');
      const host = (() => {
        try {
          return new URL(String(ch.config.instance ?? '')).host.toLowerCase();
        } catch {
          return '';
        }
      })();
      if (own && own[1]!.toLowerCase() === host) return m.externalId;
      if (m.url && /^https?:\/\//.test(m.url)) return m.url;
      throw new ApiError('publishing.mastodonNotStatus', { id: m.id, channel: ch.name });
    }
    return m?.url ?? m?.externalId ?? null;
  }

  private assertUsable(kind: PublishChannelKind, config: PublishChannelConfig, secrets: PublishChannelSecrets): void {
    if (kind === 'manual') return;
    const problem = this.d.connectors[kind]?.configProblem(config, secrets);
    if (problem) throw new ApiError('publishing.channelIncomplete', { kind: KIND_NAMES[kind], problem });
  }

  private seal(secrets: PublishChannelSecrets): SealedSecrets | null {
    const names = Object.keys(secrets).sort();
    if (names.length === 0) return null;
    return { backend: this.d.secrets.backend, cipher: this.d.secrets.encrypt(JSON.stringify(secrets)), names };
  }

  private open(ch: ChannelRow): PublishChannelSecrets {
    if (!ch.secretCipher || !ch.secretBackend) return {};
    const family = (b: string): string => (b === 'local_key' ? 'local' : 'os');
    if (family(ch.secretBackend) !== family(this.d.secrets.backend)) {
      throw new ApiError(ch.secretBackend === 'local_key' ? 'publishing.secretsFromBrowser' : 'publishing.secretsFromDesktop');
    }
    let plain: string;
    try {
      plain = this.d.secrets.decrypt(ch.secretCipher);
    } catch {
      throw new ApiError('publishing.secretsUndecryptable');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(plain);
    } catch {
      parsed = null;
    }
    const res = PublishChannelSecretsSchema.safeParse(parsed);
    if (!res.success) throw new ApiError('publishing.secretsUnreadable');
    return res.data;
  }

  private inTx<T>(fn: () => T): T {
    return this.d.db.transaction(fn)();
  }

  private mustChannel(id: number): ChannelRow {
    const ch = this.channelsRepo.get(id);
    if (!ch) throw new ApiError('publishing.channelNotFound', { id });
    return ch;
  }

  private mustGet(id: number): OutboxRow {
    const r = this.outbox.get(id);
    if (!r) throw new Error(`outbox row ${id} vanished`);
    return r;
  }

  private changed(row: OutboxRow): void {
    this.d.events.emit('publishing.outboxChanged', this.toView(row));
  }

  private toChannelView(r: ChannelRow): PublishChannelView {
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      requiresLegal: r.requiresLegal,
      enabled: r.enabled,
      config: PublishChannelConfigSchema.safeParse(r.config).data ?? {},
      secretNames: r.secretNames,
      createdAt: new Date(r.createdAt).toISOString(),
      updatedAt: new Date(r.updatedAt).toISOString(),
    };
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

/** t3_/t1_ fullname from a Reddit permalink (…/comments/POST/slug/COMMENT/). */
export function redditFullname(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (!/(^|\.)reddit\.com$/i.test(u.hostname)) return null;
  const m = /\/comments\/([a-z0-9]+)(?:\/[^/]*(?:\/([a-z0-9]+))?)?\/?$/i.exec(u.pathname);
  if (!m) return null;
  return m[2] ? `t1_${m[2].toLowerCase()}` : `t3_${m[1]!.toLowerCase()}`;
}

/** A channel test's answer as the contract carries it: the text's code with plain params, for the viewer to word. */
function carriedTest(r: ChannelTestResult): PublishChannelTestResult {
  return { ok: r.ok, message: r.message, ...(r.ref ? { ref: { key: r.ref.key, params: { ...r.ref.params } } } : {}) };
}
