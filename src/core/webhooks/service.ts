// Webhook keys: who may push mentions and metric points in, and a record of each key's use.
//
// A token is 32 random bytes, shown once (at creation or rotation) and stored only as its
// SHA-256: a key is found by hash, so no comparison ever runs on the secret itself. Rotating
// a key replaces the hash in one statement: the old token is refused from that moment.
//
// Every use is attributed in the audit log to "webhook <name>". A busy integration sends
// hundreds of requests a minute, so uses are summed per key and kind over a minute and
// written as one row (requests, accepted, duplicates, refused items); refused tokens the
// same way, one row a minute however many. At shutdown the open minute is written at once.
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../shared/auth';
import { ApiError } from '../../shared/contract';
import type { WebhookKey, WebhookKeyGrant } from '../../shared/ops/webhooks';
import { noteAudit } from '../api/call-scope';
import type { EventBus } from '../api/events';
import type { AuditService } from '../audit';
import { WebhookNameTaken, type WebhooksRepo } from '../store/webhooks-repo';

/** The key VEDETTA_WEBHOOK_TOKEN sets at each start. */
export const ENVIRONMENT_KEY_NAME = 'VEDETTA_WEBHOOK_TOKEN';
/** How long uses are summed before their row is written. */
export const USE_WINDOW_MS = 60_000;
/** A prefix that says what the secret is, for people and for secret scanners. */
const TOKEN_PREFIX = 'vdtwh_';

export type WebhookKind = 'mentions' | 'metrics';

/** What one request through a webhook did. */
export interface WebhookUse {
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** Who the audit names for a webhook's rows: the key, not a person. */
export function webhookActor(name: string): Actor {
  return { userId: 0, username: `webhook ${name}`, displayName: `Webhook ${name}`, roles: [] };
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface Tally extends WebhookUse {
  keyId: number | null;
  name: string | null;
  kind: WebhookKind;
  requests: number;
  from: number;
  to: number;
}

export interface WebhooksDeps {
  repo: WebhooksRepo;
  audit: AuditService;
  now: () => number;
  /** webhooks.changed tells open screens the keys changed. */
  events: EventBus;
}

export class WebhooksService {
  private endpoints: { mentionsUrl: string; metricsUrl: string } | null = null;
  private readonly tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: WebhooksDeps) {}

  /** Where the server listens for webhooks (null when it stops). */
  setEndpoints(e: { mentionsUrl: string; metricsUrl: string } | null): void {
    this.endpoints = e;
  }

  get mentionsUrl(): string | null {
    return this.endpoints?.mentionsUrl ?? null;
  }

  list(): { keys: WebhookKey[]; mentionsUrl: string | null; metricsUrl: string | null } {
    return { keys: this.deps.repo.all(), mentionsUrl: this.endpoints?.mentionsUrl ?? null, metricsUrl: this.endpoints?.metricsUrl ?? null };
  }

  create(name: string, by: Actor): WebhookKeyGrant {
    const token = this.newToken();
    let key: WebhookKey;
    try {
      key = this.deps.repo.create({ name, tokenHash: hashOf(token), hint: token.slice(-4), createdBy: by.username, fromEnvironment: false }, this.deps.now());
    } catch (e) {
      if (e instanceof WebhookNameTaken) throw new ApiError('webhooks.nameTaken', { name });
      throw e;
    }
    noteAudit({ subject: `webhook:${key.name}`, detail: { chiave: key.hint } });
    this.deps.events.emit('webhooks.changed', {});
    return { key, token };
  }

  rotate(id: number): WebhookKeyGrant {
    const before = this.keyOrThrow(id);
    const token = this.newToken();
    this.deps.repo.setToken(id, hashOf(token), token.slice(-4), this.deps.now());
    noteAudit({ subject: `webhook:${before.name}`, detail: { prima: before.hint, dopo: token.slice(-4) } });
    this.deps.events.emit('webhooks.changed', {});
    return { key: this.keyOrThrow(id), token };
  }

  remove(id: number): { ok: true } {
    const key = this.keyOrThrow(id);
    this.deps.repo.remove(id);
    noteAudit({ subject: `webhook:${key.name}`, detail: { chiave: key.hint } });
    this.deps.events.emit('webhooks.changed', {});
    return { ok: true };
  }

  /** The key a request's bearer token opens, or null (none given, unknown, rotated, removed). */
  resolve(token: string | null): WebhookKey | null {
    if (!token) return null;
    return this.deps.repo.byTokenHash(hashOf(token));
  }

  /**
   * VEDETTA_WEBHOOK_TOKEN, given at start: the key of that name takes this token (created the
   * first time). Scripts and tests that fix the token keep working across restarts.
   */
  fixFromEnvironment(token: string): void {
    const hash = hashOf(token);
    const holder = this.deps.repo.byTokenHash(hash);
    if (holder) return;
    const existing = this.deps.repo.byName(ENVIRONMENT_KEY_NAME);
    if (existing) this.deps.repo.setToken(existing.id, hash, token.slice(-4), this.deps.now());
    else this.deps.repo.create({ name: ENVIRONMENT_KEY_NAME, tokenHash: hash, hint: token.slice(-4), createdBy: 'sistema', fromEnvironment: true }, this.deps.now());
  }

  /** One request through a webhook, with the key that opened it; written with its minute. */
  noteUse(key: WebhookKey, kind: WebhookKind, use: WebhookUse): void {
    this.tally(`${key.id}:${kind}`, { keyId: key.id, name: key.name, kind }, use);
  }

  /** A request whose token opened no key; written with its minute. */
  noteRefused(kind: WebhookKind): void {
    this.tally(`refused:${kind}`, { keyId: null, name: null, kind }, { accepted: 0, duplicates: 0, rejected: 0 });
  }

  /** Writes the minute's rows now (at shutdown, or for a test that reads the log). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const tallies = [...this.tallies.values()];
    this.tallies.clear();
    for (const t of tallies) {
      const span = { dal: new Date(t.from).toISOString(), al: new Date(t.to).toISOString() };
      if (t.keyId === null || t.name === null) {
        this.deps.audit.record(webhookActor('?'), `webhook.${t.kind}`, null, { esito: 'rifiutato', motivo: 'webhook.badToken', richieste: t.requests, ...span });
        continue;
      }
      this.deps.repo.addUses(t.keyId, t.requests, t.to);
      this.deps.audit.record(webhookActor(t.name), `webhook.${t.kind}`, `webhook:${t.name}`, {
        richieste: t.requests,
        accettati: t.accepted,
        duplicati: t.duplicates,
        rifiutati: t.rejected,
        ...span,
      });
    }
    // The uses and last-use times shown in Impostazioni moved.
    if (tallies.some((t) => t.keyId !== null)) this.deps.events.emit('webhooks.changed', {});
  }

  private tally(id: string, who: Pick<Tally, 'keyId' | 'name' | 'kind'>, use: WebhookUse): void {
    const now = this.deps.now();
    const t = this.tallies.get(id) ?? { ...who, requests: 0, accepted: 0, duplicates: 0, rejected: 0, from: now, to: now };
    t.requests++;
    t.accepted += use.accepted;
    t.duplicates += use.duplicates;
    t.rejected += use.rejected;
    t.to = now;
    this.tallies.set(id, t);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), USE_WINDOW_MS);
      // The minute's rows must not keep a CLI process alive; close() writes them anyway.
      this.timer.unref();
    }
  }

  private keyOrThrow(id: number): WebhookKey {
    const key = this.deps.repo.byId(id);
    if (!key) throw new ApiError('webhooks.notFound', { id });
    return key;
  }

  private newToken(): string {
    return TOKEN_PREFIX + randomBytes(32).toString('base64url');
  }
}
