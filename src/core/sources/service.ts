// Sources: the contract handlers (list with health, add/edit/pause/resume/delete, dry run,
// poll now) and the scheduler that polls them, wired to the ingest pipeline so every
// polled item is attached to its own source row. The dry run's fetch and checks: preview.ts.
// Over 400 lines (~410): the handlers validate and store one source row together, secrets
// included, so a change and its rollback are read in one place.
import { connectorError, type ConnectorRegistry } from './ports';
import { carried, defaultSourceName, previewSource } from './preview';
import { Scheduler, type SchedulerClock, type ScheduledSource } from './scheduler';
import { ApiError, describeZodError, zodDetails, type OpOutput } from '../../shared/contract';
import { renderText, type ErrorLang } from '../../shared/errors';
import type { sourcesOperations, SourceView } from '../../shared/ops/sources';
import {
  CONFIG_SCHEMAS,
  SOURCE_INTERVAL,
  type PolledKind,
  type PolledSourceConfig,
  type SourceAddInput,
  type SourceSecrets,
  type SourceTestInput,
  type SourceTestResult,
  type SourceUpdateInput,
  SECRETS_BY_KIND,
} from '../../shared/sources';
import type { Handlers } from '../api/dispatch';
import type { EventBus } from '../api/events';
import type { IngestPipeline } from '../ingest/pipeline';
import { parseWorded, zodIssueCode } from '../ingest/zod-it';
import type { Logger } from '../platform';
import type { AuditService } from '../audit';
import { noteAudit, skipAudit } from '../api/call-scope';
import { SYSTEM_ACTOR } from '../auth/actor';
import { SourceNameTakenError, type PolledSourceRecord, type SourceRecord, type SourcesRepo } from '../store/sources-repo';
import { SecretDecryptError } from './local-key-store';
import type { SourceVault } from './vault';

type SourceOps = keyof typeof sourcesOperations;
export type SourcesHandlers = Pick<Handlers, SourceOps>;

export interface SourcesServiceDeps {
  repo: SourcesRepo;
  /** Where polled items enter ingest: the one call of the pipeline this feature makes. */
  pipeline: Pick<IngestPipeline, 'ingestForSource'>;
  events: EventBus;
  /** Changes are recorded under the person of the current call (the system for the scheduler). */
  audit: AuditService;
  now: () => number;
  logger: Logger;
  connectors: ConnectorRegistry;
  vault?: SourceVault;
  clock?: SchedulerClock;
  random?: () => number;
  maxPerHost?: number;
  /** The workspace's language: a source's health is stored in it (default Italian). */
  lang?: () => ErrorLang;
}

/** sources.changed at most this often while many sources poll: each one makes clients re-read the list. */
const CHANGED_THROTTLE_MS = 500;

function hasSecrets(s: SourceSecrets | undefined): s is SourceSecrets {
  return s !== undefined && Object.values(s).some((v) => typeof v === 'string' && v.length > 0);
}

/** What clients see of a stored source: never the connector's state, never credentials. */
export function toSourceView(r: SourceRecord, secretNames: string[] = []): SourceView {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    enabled: r.enabled,
    createdAt: r.createdAt,
    mentionCount: r.mentionCount,
    lastItemAt: r.lastItemAt,
    polled: r.polled,
    intervalSec: r.intervalSec,
    config: r.polled ? r.config : null,
    secretNames,
    health: r.health,
  };
}

function toScheduled(r: PolledSourceRecord): ScheduledSource {
  return { ...r };
}

export class SourcesService {
  readonly scheduler: Scheduler;
  private changedTimer: ReturnType<typeof setTimeout> | null = null;
  private lastChangedAt = 0;
  private started = false;

  constructor(private readonly d: SourcesServiceDeps) {
    this.scheduler = new Scheduler({
      connectors: d.connectors,
      ...(d.clock ? { clock: d.clock } : {}),
      ...(d.random ? { random: d.random } : {}),
      ...(d.maxPerHost !== undefined ? { maxPerHost: d.maxPerHost } : {}),
      secrets: (id) => this.secretsOf(id),
      ...(d.lang ? { lang: d.lang } : {}),
      store: {
        recordSuccess: (id, r) => {
          d.repo.recordSuccess(id, r);
          if (r.movedTo) this.followMove(id, r.movedTo);
        },
        recordFailure: (id, r) =>
          d.repo.recordFailure(id, {
            at: r.at,
            kind: r.error.kind,
            message: r.error.message,
            ...(r.error.httpStatus !== undefined ? { httpStatus: r.error.httpStatus } : {}),
            failures: r.failures,
            nextPollAt: r.nextPollAt,
            ...(r.state ? { state: r.state } : {}),
            ...(r.pausedReason ? { pausedReason: r.pausedReason } : {}),
          }),
      },
      sink: (src, items) => {
        const res = d.pipeline.ingestForSource(
          { id: src.id, kind: src.kind },
          items.map((i) => ({ ...i, source: src.name })),
        );
        if (res.rejected.length > 0) {
          d.logger.warn(`fonte ${src.name}: ${res.rejected.length} elementi scartati`, { first: res.rejected[0]?.reason });
        }
        return { accepted: res.accepted, duplicates: res.duplicates };
      },
      onPolled: () => this.changed(),
      onPaused: (src, reason) => {
        d.logger.warn(`fonte ${src.name} sospesa`, { reason });
        // The scheduler's doing, not an op: a system event through the audit writer.
        d.audit.record(SYSTEM_ACTOR, 'sources.paused', `source:${src.id}`, { name: src.name, reason });
        d.events.emit('sources.paused', { id: src.id, name: src.name, reason });
        this.changed(true);
      },
    });
  }

  /** Polls every enabled source from now on (serve, desktop). CLI commands never start it. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const r of this.d.repo.polled()) if (r.enabled) this.scheduler.upsert(toScheduled(r));
    this.scheduler.start();
  }

  stop(): void {
    this.started = false;
    this.scheduler.stop();
    if (this.changedTimer) clearTimeout(this.changedTimer);
    this.changedTimer = null;
  }

  view(r: SourceRecord): SourceView {
    let secretNames: string[] = [];
    if (this.d.vault && r.polled) {
      try {
        secretNames = this.d.vault.names(r.id);
      } catch (e) {
        this.d.logger.warn(`credenziali della fonte ${r.id} illeggibili`, { error: e instanceof Error ? e.message : String(e) });
      }
    }
    return toSourceView(r, secretNames);
  }

  list(): SourceView[] {
    return this.d.repo.records(this.d.now()).map((r) => this.view(r));
  }

  handlers(): SourcesHandlers {
    return {
      'sources.list': () => this.list(),
      'sources.add': (input) => this.add(input),
      'sources.update': (input) => this.update(input),
      'sources.pause': ({ id }) => this.pause(id),
      'sources.resume': ({ id }) => this.resume(id),
      'sources.delete': ({ id }) => this.delete(id),
      'sources.test': (input) => this.test(input),
      'sources.pollNow': ({ id }) => this.pollNow(id),
    };
  }

  add(input: SourceAddInput): SourceView {
    assertSecretsFit(input.kind, input.secrets);
    if (hasSecrets(input.secrets) && !this.d.vault) {
      throw new ApiError('sources.noVaultAdd');
    }
    const cfg = { kind: input.kind, config: input.config } as PolledSourceConfig;
    const name = input.name ?? defaultSourceName(cfg);
    const intervalSec = input.intervalSec ?? SOURCE_INTERVAL.defaultSec;
    const now = this.d.now();
    let id: number;
    try {
      id = this.d.repo.create({ kind: input.kind, name, config: input.config, intervalSec }, now);
    } catch (e) {
      if (e instanceof SourceNameTakenError) throw new ApiError('sources.nameTaken', { name: e.sourceName });
      throw e;
    }
    if (hasSecrets(input.secrets) && this.d.vault) {
      try {
        this.d.vault.put(id, input.secrets);
      } catch (e) {
        // A source that cannot log in would only fail: take it back whole.
        this.d.repo.delete(id);
        throw new ApiError('sources.vaultFailed', { reason: e instanceof Error ? e.message : String(e) });
      }
    }
    this.schedule(id, true);
    this.changed(true);
    return this.mustView(id);
  }

  update(input: SourceUpdateInput): SourceView {
    const r = this.mustRecord(input.id);
    let config: object | undefined;
    if (input.config !== undefined) {
      if (!r.polled) throw new ApiError('sources.noSettings');
      const parsed = parseWorded(CONFIG_SCHEMAS[r.kind as PolledKind], input.config, 'it');
      if (!parsed.success) throw new ApiError('sources.badSettings', {}, zodDetails(parsed.error, zodIssueCode));
      config = parsed.data;
    }
    if (input.intervalSec !== undefined && !r.polled) throw new ApiError('sources.noInterval');
    if (r.polled) assertSecretsFit(r.kind as PolledKind, input.secrets);
    if (hasSecrets(input.secrets) && !this.d.vault) {
      throw new ApiError('sources.noVaultUpdate');
    }
    const configChanged = config !== undefined && JSON.stringify(config) !== JSON.stringify(r.config);
    try {
      this.d.repo.update(r.id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(config !== undefined ? { config } : {}),
        ...(input.intervalSec !== undefined ? { intervalSec: input.intervalSec } : {}),
        ...(configChanged ? { resetState: true } : {}),
      });
    } catch (e) {
      if (e instanceof SourceNameTakenError) throw new ApiError('sources.nameTaken', { name: e.sourceName });
      throw e;
    }
    if (hasSecrets(input.secrets) && this.d.vault) this.d.vault.put(r.id, input.secrets);
    noteAudit({
      detail: {
        configChanged,
        // Whether credentials changed, never their values.
        credentialsChanged: hasSecrets(input.secrets),
      },
    });
    if (r.polled && r.enabled) this.schedule(r.id, configChanged || hasSecrets(input.secrets));
    this.changed(true);
    return this.mustView(r.id);
  }

  pause(id: number): SourceView {
    const r = this.mustPolled(id);
    this.scheduler.remove(id);
    if (r.enabled) this.d.repo.setPaused(id, renderText('source.pausedByYou', {}, this.d.lang?.() ?? 'it'), null);
    else skipAudit();
    this.changed(true);
    return this.mustView(id);
  }

  resume(id: number): SourceView {
    const r = this.mustPolled(id);
    if (!r.enabled) this.d.repo.setPaused(id, null, this.d.now());
    else skipAudit();
    this.schedule(id, true);
    this.changed(true);
    return this.mustView(id);
  }

  delete(id: number): OpOutput<'sources.delete'> {
    this.mustRecord(id);
    this.scheduler.remove(id);
    const res = this.d.repo.delete(id);
    if (!res) throw new ApiError('sources.notFound', { id });
    try {
      this.d.vault?.remove(id);
    } catch (e) {
      this.d.logger.warn(`credenziali della fonte ${id} non rimosse`, { error: e instanceof Error ? e.message : String(e) });
    }
    this.changed(true);
    return { id, ...res };
  }

  async pollNow(id: number): Promise<SourceView> {
    const r = this.mustPolled(id);
    if (!r.enabled) throw new ApiError('sources.paused', { name: r.name });
    if (!this.started) throw new ApiError('sources.pollingOff');
    await this.scheduler.pollNow(id);
    return this.mustView(id);
  }

  /** Fetches once and shows what would be stored; stores nothing, changes no state. */
  async test(input: SourceTestInput, signal?: AbortSignal): Promise<SourceTestResult> {
    let cfg: PolledSourceConfig;
    let name: string;
    let secrets: SourceSecrets = {};
    const unreadable = (e: unknown): SourceTestResult => ({ ok: false, error: { kind: 'secrets', message: (e as Error).message }, total: 0, items: [], problems: [] });
    if (!('kind' in input)) {
      const r = this.mustPolled(input.id);
      const parsed = parseWorded(CONFIG_SCHEMAS[r.kind as PolledKind], r.config, 'it');
      if (!parsed.success) {
        const { kind, message, ref } = connectorError('config', 'source.badSettings', { why: describeZodError(parsed.error, 'it').join('; ') });
        return { ok: false, error: { kind, message, ...carried(ref) }, total: 0, items: [], problems: [] };
      }
      cfg = { kind: r.kind, config: parsed.data } as PolledSourceConfig;
      name = r.name;
      try {
        secrets = this.secretsOf(r.id);
      } catch (e) {
        return unreadable(e);
      }
    } else {
      cfg = { kind: input.kind, config: input.config } as PolledSourceConfig;
      assertSecretsFit(cfg.kind, input.secrets);
      name = defaultSourceName(cfg);
      if (input.id !== undefined) {
        const r = this.mustPolled(input.id);
        if (r.kind !== cfg.kind) throw new ApiError('sources.kindMismatch', { name: r.name, kind: r.kind, asKind: cfg.kind });
        name = r.name;
        // Only what was typed again replaces the saved credentials, as in sources.update.
        const typed = Object.fromEntries(Object.entries(input.secrets ?? {}).filter(([, v]) => typeof v === 'string' && v !== ''));
        try {
          secrets = { ...this.secretsOf(r.id), ...typed };
        } catch (e) {
          if (Object.keys(typed).length === 0) return unreadable(e);
          secrets = typed;
        }
      } else {
        secrets = input.secrets ?? {};
      }
    }
    return previewSource(this.d.connectors, cfg, { name, secrets, now: this.d.now, ...(signal ? { signal } : {}) });
  }

  /** A source's credentials; throws a coded error the Sources view shows. */
  private secretsOf(id: number): SourceSecrets {
    if (!this.d.vault) return {};
    try {
      return this.d.vault.get(id);
    } catch (e) {
      if (e instanceof SecretDecryptError) throw e;
      throw new ApiError('secrets.readFailed', { reason: e instanceof Error ? e.message : String(e) });
    }
  }

  private followMove(id: number, url: string): void {
    const r = this.d.repo.get(id, this.d.now());
    if (!r || r.kind !== 'rss') return;
    this.d.repo.update(id, { config: { ...r.config, url } });
    const s = this.d.repo.polledOne(id);
    if (s) this.scheduler.upsert(toScheduled(s));
    this.d.logger.info(`fonte ${r.name}: il feed si è spostato per sempre, indirizzo aggiornato`, { url });
  }

  private schedule(id: number, restart: boolean): void {
    const s = this.d.repo.polledOne(id);
    if (s) this.scheduler.upsert(toScheduled(s), { restart });
  }

  private mustRecord(id: number): SourceRecord {
    const r = this.d.repo.get(id, this.d.now());
    if (!r) throw new ApiError('sources.notFound', { id });
    return r;
  }

  private mustPolled(id: number): SourceRecord {
    const r = this.mustRecord(id);
    if (!r.polled) throw new ApiError('sources.pushOnly', { name: r.name, kind: r.kind });
    return r;
  }

  private mustView(id: number): SourceView {
    return this.view(this.mustRecord(id));
  }

  /** Throttled: a burst of polls makes one sources.changed, not five hundred. */
  private changed(now = false): void {
    const t = Date.now();
    if (now || t - this.lastChangedAt >= CHANGED_THROTTLE_MS) {
      if (this.changedTimer) clearTimeout(this.changedTimer);
      this.changedTimer = null;
      this.lastChangedAt = t;
      this.d.events.emit('sources.changed', {});
      return;
    }
    if (this.changedTimer) return;
    this.changedTimer = setTimeout(() => {
      this.changedTimer = null;
      this.lastChangedAt = Date.now();
      this.d.events.emit('sources.changed', {});
    }, CHANGED_THROTTLE_MS - (t - this.lastChangedAt));
    this.changedTimer.unref?.();
  }
}

/** Credentials a kind does not use are refused, not kept: nothing secret is stored for nothing. */
function assertSecretsFit(kind: PolledKind, secrets: SourceSecrets | undefined): void {
  if (!secrets) return;
  const allowed: readonly string[] = SECRETS_BY_KIND[kind];
  const extra = Object.entries(secrets)
    .filter(([k, v]) => v !== undefined && v !== '' && !allowed.includes(k))
    .map(([k]) => k);
  if (extra.length > 0) {
    throw allowed.length === 0
      ? new ApiError('sources.noCredentials', { kind, fields: extra.join(', ') })
      : new ApiError('sources.onlyCredentials', { kind, allowed: allowed.join(', '), fields: extra.join(', ') });
  }
}
