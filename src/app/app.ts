// The composition root: opens the store, wires core's services with the connectors (core
// declares the ports, this layer passes the implementations in), and hands adapters
// (Electron IPC, HTTP server, CLI, tests) one object to talk to.
import type { IngestResult, IngestReject, IngestWarning } from '../shared/schemas';
import type { SourceView } from '../shared/ops/sources';
import type { MetricIngestResult } from '../shared/metrics';
import type { Alert } from '../shared/alerts';
import type { Dispatch } from '../core/api/dispatch';
import type { EventBus } from '../core/api/events';
import type { FeatureModule } from '../core/api/modules';
import type { Platform } from '../core/platform';
import type { ConnectorRegistry, SourceVault } from '../core/sources';
import type { AuthService } from '../core/auth';
import type { AuditService } from '../core/audit';
import type { WebhooksService } from '../core/webhooks';
import type { NotificationsService } from '../core/notifications';
import type { TeamServerInfo } from '../shared/contract';
import type { PublishConnectors, PublishingService } from '../core/publishing';
import type { Checklist, RiskArea } from '../shared/audiences';
import type { ImportJob, ImportJobRequest, ImportJobs } from '../core/ingest/import-job';
import type { DemoBuild } from './replays';

export type AppMode = 'desktop' | 'browser' | 'cli';

/** What a file replay stored, for the CLI's closing report. Lines are the file's. */
export interface ReplaySummary {
  total: number;
  accepted: number;
  duplicates: number;
  /** Lines that were not JSON objects or had no time (never sent), then items refused. */
  rejected: IngestReject[];
  /** Items stored with a warning (a published time far past its arrival). */
  warnings: IngestWarning[];
  /** Added to every recorded published time: 0 unless shiftToNow. */
  shiftMs: number;
}

export interface OpenAppOptions {
  platform: Platform;
  mode: AppMode;
  /** Keeps source credentials; without one, sources with credentials are refused. */
  vault?: SourceVault;
  /** Connectors by kind (tests shorten their timeouts); defaults to every built-in one. */
  connectors?: ConnectorRegistry;
  /** Polls at most this many sources per host at once. */
  maxPerHost?: number;
  /** Publishing connectors by kind (tests point them at local servers). */
  publishConnectors?: PublishConnectors;
}

export interface CoreApp {
  readonly platform: Platform;
  /** Validated entry point for every contract operation (see shared/contract.ts). */
  readonly dispatch: Dispatch;
  /** Contract events: mentions.added, sources.changed, replay.state, import.finished. */
  readonly events: EventBus;
  /** People, passwords, sessions (the CLI's `vedetta users`). */
  readonly auth: AuthService;
  /** The feature modules this app registered (each core/<feature>/index.ts builds its own). */
  readonly modules: readonly FeatureModule[];
  /** The ingest stages after storage, by name, in the order they run (declared by the features). */
  readonly ingestStages: readonly string[];
  /** The one audit writer: every area records its changes through it. */
  readonly auditService: AuditService;
  /** Channels and the outbox; implements the Publisher the responses workflow calls. */
  readonly publishing: PublishingService;
  /**
   * The inbound webhook's body, already JSON-parsed but untrusted: one object or an array.
   * Validates each item, stores the good ones in one transaction, reports the rest.
   */
  ingestWebhook(body: unknown): IngestResult;
  /** The metrics webhook's body (array of points or { content, points }), untrusted. */
  ingestMetricsWebhook(body: unknown): MetricIngestResult;
  /**
   * Import a file in the background (core/ingest/import-job.ts): read and parsed by a worker
   * thread, stored here between turns of the event loop, import.progress events on the way,
   * the stored report at the end. No audit row (the CLI writes its own).
   */
  importFile(req: ImportJobRequest): ImportJob;
  /** Background imports running: cancel one by its id. */
  readonly importJobs: ImportJobs;
  /**
   * Replay a JSONL stream: delivered with its recorded gaps divided by speed, published times
   * as recorded (or, with shiftToNow, all moved so the last item is dated at the replay's end).
   * Resolves when done, with what was stored.
   */
  replayFile(file: string, speed: number, opts?: { shiftToNow?: boolean }): Promise<ReplaySummary>;
  /**
   * The demo workspace without a window (`vedetta demo`): perimeter, audiences, a manual
   * channel, its people and Tier 2, then a fresh run of the demo stream stored at once.
   */
  buildDemo(): Promise<DemoBuild>;
  /** Where the server listens for webhooks: shown by app.info and webhooks.list (null: it stopped). */
  setWebhookEndpoints(endpoints: { mentionsUrl: string; metricsUrl: string } | null): void;
  /** A team server's public URL and certificate fingerprint: shown by app.info (null: stopped). */
  setTeamServer(team: TeamServerInfo | null): void;
  /** The webhook keys: the server asks it which key a request's token opens, and notes each use. */
  readonly webhooks: WebhooksService;
  /** Each person's in-app notifications: the desktop app shows its signed-in person's new ones. */
  readonly notifications: NotificationsService;
  /** Starts polling every enabled source and the publishing outbox (serve, desktop); CLI one-shot commands never call it. */
  startSources(): void;
  /** Stops replays and timers, closes the database, releases the data-folder lock. */
  close(): void;
  /**
   * What the response workflow asks of a moment before the brand speaks: its risk area
   * (null for an unknown moment) and its "prima di intervenire" checklist.
   */
  readonly audiences: {
    riskArea(momentId: number): RiskArea | null;
    getChecklist(momentId: number): Checklist;
  };
}

/** Read-only access for CLI commands that may run beside a live instance. */
export interface ReadOnlyStore {
  status(): { dataDir: string; schemaVersion: number; mentions: number; sources: number; lockedBy: number | null };
  /** Every source with its health, as sources.list gives it (credentials' names omitted). */
  sources(): SourceView[];
  /** Streams every mention in inbox order as JSONL or CSV lines to write(). */
  exportMentions(format: 'jsonl' | 'csv', write: (chunk: string) => void): number;
  /** Alerts for `vedetta alerts list`, newest first. */
  alerts(includeResolved: boolean): Pick<Alert, 'id' | 'state' | 'severity' | 'ruleName' | 'contentKey' | 'contentTitle' | 'metric' | 'region' | 'escalated' | 'message' | 'firedAt' | 'dueAt'>[];
  close(): void;
}

export { openApp, DataDirLockedError, DB_FILE } from './app-impl';
export type { DemoBuild } from './replays';
export { DEMO_PEOPLE } from './demo-workspace';
export { openReadOnly } from './read-only';
