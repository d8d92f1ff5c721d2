// Composition root: lock the data folder, open the store, build the features' services, and
// register their modules (core/<feature>/index.ts) in one list: the op table and the ordered
// ingest stages come from there. What stays here is the app's own module: the ingest entry
// points (webhook, import, replay and the demo), app info, settings and the inbox.
// Over 500 lines (~640) on purpose: building every service and wiring their signals is one
// sequence that reads top to bottom, and cutting it would scatter one start-up order over
// files; what is not wiring already lives elsewhere (replays and the demo in replays.ts, each
// feature's handlers in core/<feature>). The seam, if it grows: the app module's handlers
// (app info, settings, the inbox) into an app-handlers.ts.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnectorRegistry } from '../connectors/inbound/registry';
import { createPublishConnectors } from '../connectors/outbound/registry';
import { ApiError, type TeamServerInfo } from '../shared/contract';
import { LIMITS, type IngestResult, type Mention } from '../shared/schemas';
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from '../shared/time-zone';
import type { MetricIngestResult } from '../shared/metrics';
import { appOps } from '../core/app-ops';
import { noteAudit, skipAudit } from '../core/api/call-scope';
import { createDispatcher, type AuditWriter, type Dispatch, type Handlers } from '../core/api/dispatch';
import { RefusalLog } from '../core/api/refusals';
import { EventBus } from '../core/api/events';
import { featureModule, registerModules, type FeatureEvents, type FeatureModule } from '../core/api/modules';
import type { CoreApp, OpenAppOptions, ReplaySummary } from './app';
import { Replays, type DemoBuild } from './replays';
import { DemoWorkspace } from './demo-workspace';
import type { ImportDeps } from '../core/ingest/import';
import { ImportJobs, ImportUploads, type ImportJob, type ImportJobRequest } from '../core/ingest/import-job';
import { IngestPipeline, type IngestOrigin } from '../core/ingest/pipeline';
import { AuthorAliases } from '../core/ingest/author-alias';
import { acquireDataDirLock } from '../core/lock';
import type { Platform } from '../core/platform';
import { APP_VERSION } from '../core/version';
import { analysisModule, emitSentimentStatus, SentimentCorrections, SentimentRescoreJob, sentimentAnalyzer, WorkspaceLayerTrainer, type SentimentAnalyzer } from '../core/analysis';
import { AudiencesService, audiencesModule } from '../core/audiences';
import { ANCHOR_COPY_SETTING, AuditAnchor, AuditService, auditModule, loadOrCreateAnchorKey, type AnchorCopyPlace } from '../core/audit';
import { AuthService, authModule, SYSTEM_ACTOR } from '../core/auth';
import { WebhooksService, webhooksModule } from '../core/webhooks';
import { WebhooksRepo } from '../core/store/webhooks-repo';
import { NotesService, notesModule } from '../core/notes';
import { InboxSearch, SavedSearchesService, searchesModule } from '../core/search';
import { SavedSearchesRepo } from '../core/store/saved-searches-repo';
import { PresenceService, presenceModule } from '../core/presence';
import { NotesRepo } from '../core/store/notes-repo';
import { NotificationsService, notificationsModule } from '../core/notifications';
import { AssignmentsService, assignmentsModule } from '../core/assignments';
import { NotificationsRepo } from '../core/store/notifications-repo';
import { AssignmentsRepo } from '../core/store/assignments-repo';
import { TagsService, tagsModule } from '../core/tags';
import { TagsRepo } from '../core/store/tags-repo';
import { MetricsService, metricsModule } from '../core/metrics';
import { MomentAcks, MomentsService, momentsModule } from '../core/moments';
import { PerimetersService, perimetersModule } from '../core/perimeters';
import { PublishingService, publishingModule } from '../core/publishing';
import { createContextResolver, createTargetResolver, mergeWarnings, ResponsesService, responsesModule, warningsOfMoment } from '../core/responses';
import { createLocalKeyStore, createSourceVault, SourcesService, sourcesModule, type SourceVault } from '../core/sources';
import { AuditQuery } from '../core/store/audit-query';
import { AuditRepo } from '../core/store/audit-repo';
import { openDatabase, type Db } from '../core/store/db';
import { ImportReportsRepo } from '../core/store/import-reports-repo';
import { InvalidCursorError, MentionsRepo } from '../core/store/mentions-repo';
import { createAlertSenders } from '../connectors/outbound/notify/registry';
import { PolicyRepo } from '../core/store/policy-repo';
import { ResponsesRepo } from '../core/store/responses-repo';
import { SentimentCorrectionsRepo } from '../core/store/sentiment-corrections-repo';
import { SettingsRepo } from '../core/store/settings-repo';
import { SourceSecretsRepo } from '../core/store/source-secrets-repo';
import { SourcesRepo } from '../core/store/sources-repo';
import { UsersRepo } from '../core/store/users-repo';

export { DataDirLockedError } from '../core/lock';

export const DB_FILE = 'vedetta.db';
export { DEMO_STREAM } from './replays';

/** The events of what the app runs itself: the ingest pipeline, file import, replays. */
export const APP_EVENTS = {
  emits: ['mentions.added', 'mentions.flagged', 'sources.changed', 'import.finished', 'import.progress', 'replay.state'],
  consumes: [],
} as const satisfies FeatureEvents;


class CoreAppImpl implements CoreApp {
  readonly events = new EventBus();
  readonly dispatch: Dispatch;
  private readonly mentions: MentionsRepo;
  private readonly search: InboxSearch;
  private readonly saved: SavedSearchesService;
  private readonly sources: SourcesRepo;
  private readonly settings: SettingsRepo;
  private readonly reports: ImportReportsRepo;
  private readonly audit: AuditRepo;
  /** The one audit writer every area records through. */
  readonly auditService: AuditService;
  /** The registered feature modules, in registration order. */
  readonly modules: readonly FeatureModule[];
  get ingestStages(): readonly string[] {
    return this.pipeline.stages.map((s) => s.name);
  }
  readonly auth: AuthService;
  private readonly pipeline: IngestPipeline;
  /** The authors' readable aliases ("Volpe-482"), drawn at ingest and for older authors at start. */
  private readonly aliases: AuthorAliases;
  /** Background imports (a worker reads, this thread stores between turns of the loop). */
  readonly importJobs: ImportJobs;
  private readonly uploads: ImportUploads;
  private readonly analyzer: SentimentAnalyzer;
  private readonly rescore: SentimentRescoreJob;
  /** This workspace's correction layer (the analyzer is shared per process; the layer never is). */
  private readonly layerTrainer: WorkspaceLayerTrainer;
  private readonly corrections: SentimentCorrections;
  private readonly perimeters: PerimetersService;
  private readonly sourcesService: SourcesService;
  /** Sealed credentials of sources (safeStorage on desktop, the local key file otherwise). */
  readonly vault: SourceVault;
  private readonly metricsSvc: MetricsService;
  private readonly moments: MomentsService;
  /** Who took each moment in charge (the crisis banner's acknowledgement). */
  private readonly momentAcks: MomentAcks;
  readonly publishing: PublishingService;
  private readonly responses: ResponsesService;
  /** Audiences, moment risk and the pre-intervention checklist (read by the response workflow). */
  readonly audiences: AudiencesService;
  readonly webhooks: WebhooksService;
  /** Internal notes on mentions and moments, and each person's read state. */
  private readonly notes: NotesService;
  /** Who has a mention, a moment or a response open now (memory only). */
  private readonly presence: PresenceService;
  /** Each person's in-app notifications; other features notify through it. */
  readonly notifications: NotificationsService;
  private readonly assignments: AssignmentsService;
  /** Tags on mentions and the inbox's bulk actions. */
  private readonly tags: TagsService;
  private readonly refusals: RefusalLog;
  private readonly replays: Replays;
  /** The demo workspace's perimeter, audiences, channel, people and runs. */
  private readonly demo: DemoWorkspace;
  private teamServer: TeamServerInfo | null = null;
  private closed = false;

  constructor(
    readonly platform: Platform,
    private readonly mode: OpenAppOptions['mode'],
    private readonly db: Db,
    private readonly releaseLock: () => void,
    options: Pick<OpenAppOptions, 'vault' | 'connectors' | 'maxPerHost' | 'publishConnectors'> = {},
  ) {
    this.mentions = new MentionsRepo(db);
    this.search = new InboxSearch(this.mentions);
    this.saved = new SavedSearchesService({ repo: new SavedSearchesRepo(db), search: this.search, events: this.events, now: () => platform.now() });
    this.sources = new SourcesRepo(db);
    this.settings = new SettingsRepo(db);
    this.reports = new ImportReportsRepo(db);
    this.audit = new AuditRepo(db);
    // The chain's head is also kept outside the database, so cutting the newest rows shows.
    const anchorCopyPlace: AnchorCopyPlace = {
      load: () => {
        const dir = this.settings.internal(ANCHOR_COPY_SETTING);
        return typeof dir === 'string' && dir.length > 0 ? dir : null;
      },
      save: (dir) => this.settings.setInternal(ANCHOR_COPY_SETTING, dir),
    };
    const anchor = new AuditAnchor(
      platform.dataDir,
      loadOrCreateAnchorKey(platform.dataDir),
      () => this.audit.head(),
      () => platform.now(),
      (e) => platform.logger.warn(`audit anchor not written: ${e instanceof Error ? e.message : String(e)}`),
      anchorCopyPlace,
    );
    this.auditService = new AuditService(this.audit, new AuditQuery(db), () => platform.now(), anchor);
    this.auth = new AuthService({
      users: new UsersRepo(db),
      audit: this.auditService,
      now: () => platform.now(),
      // A team server opens the workspace to the network: no one-click sign-in there.
      demoPeople: () => (this.teamServer ? [] : this.demo.people()),
    });
    this.webhooks = new WebhooksService({ repo: new WebhooksRepo(db), audit: this.auditService, now: () => platform.now(), events: this.events });
    this.notifications = new NotificationsService({ repo: new NotificationsRepo(db), events: this.events, now: () => platform.now() });
    this.assignments = new AssignmentsService({ repo: new AssignmentsRepo(db), notifications: this.notifications, events: this.events, now: () => platform.now() });
    // One secret store for every credential: source logins and notification channels.
    const secretStore = platform.secretStore ?? createLocalKeyStore(platform.dataDir);
    this.vault = createSourceVault(new SourceSecretsRepo(db), secretStore, () => platform.now());
    const secret = this.settings.workspaceSecret();
    const sentiment = sentimentAnalyzer(platform.resourcesDir);
    this.analyzer = sentiment;
    if (sentiment.status.error) platform.logger.warn(`sentiment: ${sentiment.status.error}`);
    this.rescore = new SentimentRescoreJob({
      db,
      mentions: this.mentions,
      settings: this.settings,
      analyzer: sentiment,
      logger: platform.logger,
      now: () => platform.now(),
      onProgress: () => {
        if (!this.closed) emitSentimentStatus(this.events, this.analyzer, this.rescore);
      },
      // Labels changed under the moments' counts: adjust them in place, as a person's
      // correction does (a rebuild would renumber the moments responses point at).
      onRelabel: (changes) => {
        if (!this.closed) this.moments.relabelMany(changes);
      },
      layer: () => this.layerTrainer.current(),
    });
    const correctionsRepo = new SentimentCorrectionsRepo(db);
    this.layerTrainer = new WorkspaceLayerTrainer({
      repo: correctionsRepo,
      analyzer: sentiment,
      now: () => platform.now(),
      logger: platform.logger,
      debounceMs: platform.timers?.layerDebounceMs,
    });
    this.layerTrainer.load();
    this.perimeters = new PerimetersService({ db, events: this.events, now: () => platform.now(), secret: () => secret, logger: platform.logger });
    this.moments = new MomentsService({ db, events: this.events, perimeters: this.perimeters, mentions: this.mentions, now: () => platform.now(), logger: platform.logger, ...(platform.elapsed ? { clock: platform.elapsed } : {}) });
    this.audiences = new AudiencesService({ db, events: this.events, moments: this.moments, perimeters: this.perimeters, now: () => platform.now(), logger: platform.logger });
    this.momentAcks = new MomentAcks({ db, events: this.events, moments: this.moments, now: () => platform.now() });
    // A note's @names are told through the one notification module (kind 'noted').
    this.presence = new PresenceService({ events: this.events, now: () => platform.now() });
    this.notes = new NotesService({ repo: new NotesRepo(db), events: this.events, moments: this.moments, now: () => platform.now(), notify: (n) => this.notifications.notify(n) });
    this.corrections = new SentimentCorrections({
      repo: correctionsRepo,
      mentions: this.mentions,
      events: this.events,
      moments: this.moments,
      trainer: this.layerTrainer,
      decorate: (items) => this.perimeters.decorate(items),
      now: () => platform.now(),
    });
    this.tags = new TagsService({
      repo: new TagsRepo(db),
      mentions: this.mentions,
      events: this.events,
      assignments: this.assignments,
      reads: this.notes,
      corrections: this.corrections,
      decorate: (items) => this.perimeters.decorate(items),
      now: () => platform.now(),
    });
    this.sourcesService = new SourcesService({
      repo: this.sources,
      // The pipeline is built below, from the modules' stages; sources poll only once started.
      pipeline: { ingestForSource: (source, items) => this.pipeline.ingestForSource(source, items) },
      events: this.events,
      audit: this.auditService,
      now: () => platform.now(),
      logger: platform.logger,
      connectors: options.connectors ?? createConnectorRegistry(),
      vault: options.vault ?? this.vault,
      lang: () => this.settings.get().locale,
      ...(options.maxPerHost !== undefined ? { maxPerHost: options.maxPerHost } : {}),
    });
    this.metricsSvc = new MetricsService({
      db,
      events: this.events,
      now: () => platform.now(),
      logger: platform.logger,
      secrets: secretStore,
      tickMs: platform.timers?.alertTickMs,
      notifyBackoffMs: platform.timers?.notifyBackoffMs === undefined ? undefined : [platform.timers.notifyBackoffMs, platform.timers.notifyBackoffMs],
      slaMinuteMs: platform.testHooks?.slaMinuteMs,
      alertSenders: createAlertSenders(),
      lang: () => this.settings.get().locale,
    });
    this.metricsSvc.start();
    const hooks = platform.testHooks;
    this.publishing = new PublishingService({
      db,
      events: this.events,
      now: () => platform.now(),
      logger: platform.logger,
      secrets: secretStore,
      connectors: options.publishConnectors ?? createPublishConnectors(hooks?.reddit ? { reddit: hooks.reddit } : {}),
      mention: (id) => this.mentions.get(id),
      audit: (actor, action, subject, detail, contentHash) => {
        this.auditService.record(actor, action, subject, detail, contentHash ?? null);
      },
      ...(hooks?.publishBackoffMs ? { backoffMs: hooks.publishBackoffMs } : {}),
      ...(hooks?.afterPublishSend ? { afterSend: hooks.afterPublishSend } : {}),
      lang: () => this.settings.get().locale,
    });
    const responsesRepo = new ResponsesRepo(db);
    const ownedBy = (m: Mention): string | null => {
      const brandId = this.perimeters.owned.ownerOf({ sourceName: m.sourceName, threadId: m.threadId, authorKey: m.authorKey, url: m.url });
      return brandId === null ? null : (this.perimeters.repo.brand(brandId)?.name ?? null);
    };
    this.responses = new ResponsesService({
      repo: responsesRepo,
      policy: new PolicyRepo(db),
      audit: this.auditService,
      events: this.events,
      now: () => platform.now(),
      publisher: () => this.publishing,
      lang: () => this.settings.get().locale,
      // The audience risk map (issue #7): a moment's own area; a mention takes the strongest
      // area among the moments it belongs to.
      riskArea: (t) => {
        const areas = t.kind === 'moment' ? [this.audiences.riskArea(t.id)] : this.moments.repo.momentIdsOfMention(t.id).map((id) => this.audiences.riskArea(id));
        return areas.includes('strong') ? 'strong' : areas.includes('weak') ? 'weak' : null;
      },
      // A mention from a strong audience gets the legal step even outside any moment.
      strongAudiences: (t) => (t.kind === 'mention' ? this.audiences.strongAudiencesOfMention(t.id) : []),
      // The moment's "prima di intervenire" hints block publishing until overridden: the
      // moment answered, or the open moments a mention is part of.
      warnings: (t) => {
        const ids = t.kind === 'moment' ? [t.id] : this.moments.repo.momentIdsOfMention(t.id);
        return mergeWarnings(ids.flatMap((id) => {
          const m = this.moments.repo.get(id);
          if (!m || (t.kind === 'mention' && m.closed_at !== null)) return [];
          return warningsOfMoment({ kind: m.kind, open: m.closed_at === null }, this.audiences.hints(id));
        }));
      },
      context: createContextResolver({
        mention: (id) => this.mentions.get(id),
        thread: (m) => this.mentions.thread(m),
        brandsOf: (kind, id) => {
          const themeIds = kind === 'mention' ? (this.perimeters.repo.themesOf([id]).get(id) ?? []).map((t) => t.themeId) : [this.moments.repo.get(id)?.theme_id ?? null];
          const defs = new Map(this.perimeters.repo.themeDefs().map((t) => [t.id, t]));
          const names = themeIds.map((tid) => (tid === null ? undefined : defs.get(tid)?.brandId)).map((b) => (b === undefined ? null : (this.perimeters.repo.brand(b)?.name ?? null)));
          return [...new Set(names.filter((n): n is string => n !== null))];
        },
        brands: () => this.perimeters.repo.brands().map((b) => b.name),
        ownedBy,
      }),
      targets: createTargetResolver({
        mention: (id) => this.mentions.get(id),
        mentionThemeIds: (id) => (this.perimeters.repo.themesOf([id]).get(id) ?? []).map((t) => t.themeId),
        moment: (id) => this.moments.detail(id, (items) => items),
        theme: (id) => responsesRepo.themeFacts(id),
        ownedBy,
      }),
    });
    this.responses.attachPublisher();
    const app = registerModules([
      this.appModule(),
      analysisModule({ analyzer: this.analyzer, rescore: this.rescore, corrections: this.corrections }),
      // Stages free to go run in the order registered: audiences before moments, as ever.
      perimetersModule({ perimeters: this.perimeters, mentions: this.mentions, now: () => platform.now() }),
      audiencesModule({ audiences: this.audiences }),
      momentsModule({ moments: this.moments, acks: this.momentAcks, decorate: (items) => this.perimeters.decorate(items) }),
      sourcesModule({ sources: this.sourcesService }),
      metricsModule({ metrics: this.metricsSvc }),
      authModule({ auth: this.auth }),
      auditModule({ audit: this.auditService, now: () => platform.now() }),
      publishingModule({ publishing: this.publishing }),
      responsesModule({ responses: this.responses }),
      webhooksModule({ webhooks: this.webhooks }),
      notesModule({ notes: this.notes }),
      presenceModule({ presence: this.presence }),
      notificationsModule({ notifications: this.notifications }),
      assignmentsModule({ assignments: this.assignments }),
      tagsModule({ tags: this.tags }),
      searchesModule({ saved: this.saved, mentions: this.mentions, now: () => this.platform.now() }),
    ]);
    this.modules = app.modules;
    this.aliases = new AuthorAliases(db, () => secret);
    this.pipeline = new IngestPipeline({
      sentiment,
      layer: () => this.layerTrainer.current(),
      stages: app.stages,
      db,
      sources: this.sources,
      mentions: this.mentions,
      events: this.events,
      now: () => platform.now(),
      secret: () => secret,
      keepAuthorNames: () => this.settings.get().authorHandles.enabled,
      aliases: this.aliases,
      lang: () => this.settings.get().locale,
    });
    this.importJobs = new ImportJobs({
      ...this.importDeps(), dataDir: platform.dataDir, db,
      ...(platform.testHooks?.importWorkerHeapMb ? { workerHeapMb: platform.testHooks.importWorkerHeapMb } : {}),
    });
    this.uploads = new ImportUploads(this.importJobs);
    this.demo = new DemoWorkspace({
      perimeters: this.perimeters,
      audiences: this.audiences,
      publishing: this.publishing,
      auth: this.auth,
      settings: this.settings,
      seedMetrics: () => this.metricsSvc.seedDemo(),
      logger: platform.logger,
      now: () => platform.now(),
    });
    this.replays = new Replays({
      pipeline: this.pipeline,
      events: this.events,
      logger: platform.logger,
      resourcesDir: platform.resourcesDir,
      prepareDemo: () => this.demo.prepare(),
      bucketMs: () => this.moments.settings.bucketMinutes * 60_000,
      now: () => platform.now(),
      closed: () => this.closed,
    });
    const audit: AuditWriter = (actor, action, subject, detail, contentHash) => this.auditService.record(actor, action, subject, detail, contentHash ?? null);
    this.refusals = new RefusalLog(audit, () => platform.now());
    const inner = createDispatcher(app.handlers, {
      resolveSession: (token) => this.auth.resolve(token),
      audit,
      transaction: (fn) => db.transaction(fn)(),
      refusals: this.refusals,
    });
    // Mentions scored by another engine (an older model, the rules' fallback) or never
    // scored are re-scored in the background; a quit resumes where it stopped.
    void this.rescore.start();
    // A re-match interrupted by the last quit resumes where it stopped.
    this.perimeters.kick();
    this.assignMissingAliases('');
    this.dispatch = async (op, input, caller) => {
      if (this.closed) throw new ApiError('app.closing');
      return inner(op, input, caller);
    };
  }

  /**
   * What the app handles itself: app info, settings, the inbox's mentions, file import and the
   * demo; it owns the ingest pipeline, so the pipeline's and the replayer's events are its own.
   */
  private appModule(): FeatureModule {
    return featureModule({ name: 'app', ops: appOps, handlers: this.appHandlers(), events: APP_EVENTS });
  }

  private appHandlers(): Pick<Handlers, keyof typeof appOps> {
    return {
      'app.info': () => ({
        version: APP_VERSION,
        dataDir: this.platform.dataDir,
        mode: this.mode === 'desktop' ? 'desktop' : 'browser',
        // app.info answers before sign-in too: it holds nothing secret (the webhook keys are
        // webhooks.list's, for administrators).
        webhookUrl: this.webhooks.mentionsUrl,
        mentionCount: this.mentions.countAll(),
        credentialsBackend: this.vault.backend,
        team: this.teamServer,
      }),
      'settings.get': () => this.settings.get(),
      'settings.update': (patch) => this.settings.update(patch),
      'settings.setTimeZone': ({ timeZone }) => {
        const zone = canonicalTimeZone(timeZone) ?? DEFAULT_TIME_ZONE;
        if (zone === this.settings.get().timeZone) skipAudit();
        return this.settings.update({ timeZone: zone });
      },
      'settings.setAuthorHandles': ({ enabled, legalBasis }, ctx) => {
        const was = this.settings.get().authorHandles;
        if (!enabled && !was.enabled) {
          skipAudit();
          return this.settings.get();
        }
        // Off: the handles kept meanwhile have no basis any more, they go at once.
        if (!enabled) noteAudit({ detail: { erased: this.mentions.eraseAuthorNames() } });
        const at = new Date(this.platform.now()).toISOString();
        return this.settings.update({ authorHandles: { enabled, legalBasis: enabled ? (legalBasis ?? null) : null, by: ctx.actor.displayName, at } });
      },
      'mentions.list': ({ query, after, limit, sort }, ctx) => {
        try {
          // "Assegnati a me": the person is the session's, never one named by the client.
          const page = this.search.list(query, after, limit, sort, query.assignedTo === 'me' ? ctx.actor.userId : null);
          return { ...page, items: this.perimeters.decorate(page.items) };
        } catch (err) {
          if (err instanceof InvalidCursorError) throw new ApiError('mentions.badCursor');
          throw err;
        }
      },
      'mentions.get': ({ id }) => {
        const mention = this.mentions.get(id);
        if (!mention) throw new ApiError('mentions.notFound', { id });
        return { mention: this.perimeters.decorate([mention])[0]!, thread: this.mentions.thread(mention) };
      },
      'mentions.setStatus': ({ id, status }) => {
        const from = this.mentions.get(id)?.status;
        // Only archiving (or bringing back) is a decision worth a row: see app-ops.ts.
        if (from !== status && (from === 'archived' || status === 'archived')) noteAudit({ detail: { from } });
        else skipAudit();
        const m = this.mentions.setStatus(id, status);
        if (!m) throw new ApiError('mentions.notFound', { id });
        return this.perimeters.decorate([m])[0]!;
      },
      'import.file': async ({ fileName, format, content, keepGoodRows }) => {
        // The text goes to a file in the data folder and through the same worker as an upload.
        const path = join(this.importJobs.folder, `${randomUUID()}.upload`);
        writeFileSync(path, content, { mode: 0o600 });
        return this.importFile({ path, fileName, ...(format ? { format } : {}), keepGoodRows: keepGoodRows === true, removeFile: true }).done;
      },
      'import.begin': (i) => this.uploads.begin(i),
      'import.chunk': ({ uploadId, offset, data }) => {
        skipAudit();
        return this.uploads.chunk(uploadId, offset, data);
      },
      'import.end': ({ uploadId }) => {
        const { jobId, fileName, done } = this.uploads.end(uploadId);
        // The report is stored and sent as import.finished; a close before the end is not an error here.
        done.catch((e: unknown) => this.platform.logger.warn('import stopped', { fileName, error: e instanceof Error ? e.message : String(e) }));
        return { jobId, fileName };
      },
      'import.cancel': ({ jobId }) => ({ cancelled: this.importJobs.cancel(jobId) }),
      'import.reports': () => this.reports.list(),
      'demo.start': ({ speed }) => this.replays.startDemo(speed),
      'demo.stop': () => {
        if (!this.replays.stopDemo()) skipAudit();
        return this.replays.state();
      },
      'demo.state': () => this.replays.state(),
    };
  }

  ingestMetricsWebhook(body: unknown): MetricIngestResult {
    this.assertOpen();
    return this.metricsSvc.ingestWebhook(body);
  }

  ingestWebhook(body: unknown): IngestResult {
    this.assertOpen();
    if (body === null || typeof body !== 'object') {
      throw new ApiError('webhook.badBody');
    }
    const items: unknown[] = Array.isArray(body) ? body : [body];
    if (items.length > LIMITS.batchMax) {
      throw new ApiError('webhook.tooMany', { max: LIMITS.batchMax, count: items.length });
    }
    return this.ingest(items, 'webhook');
  }

  importFile(req: ImportJobRequest): ImportJob {
    this.assertOpen();
    return this.importJobs.start(req);
  }

  private importDeps(): ImportDeps {
    return { pipeline: this.pipeline, reports: this.reports, events: this.events, now: () => this.platform.now(), logger: this.platform.logger, lang: () => this.settings.get().locale };
  }

  replayFile(file: string, speed: number, opts: { shiftToNow?: boolean } = {}): Promise<ReplaySummary> {
    return this.replays.replayFile(file, speed, opts);
  }

  async buildDemo(): Promise<DemoBuild> {
    this.assertOpen();
    const built = await this.replays.buildDemo();
    // Not an op: the command line's build is recorded here, as the system, with what it added.
    const { prepared, accepted, duplicates } = built;
    this.auditService.record(SYSTEM_ACTOR, 'demo.build', 'demo', { ...prepared, accepted, duplicates });
    return built;
  }

  /**
   * Authors stored before aliases existed get theirs in the background, a slice per turn of
   * the loop (a store of a million mentions has a hundred thousand authors or more).
   */
  private assignMissingAliases(afterKey: string): void {
    if (this.closed) return;
    try {
      const last = this.db.transaction(() => this.aliases.assignMissing(afterKey, 2_000))();
      if (last !== null) setImmediate(() => this.assignMissingAliases(last));
    } catch (e) {
      // Those authors keep showing their short key; the next start tries again.
      this.aliases.forget();
      this.platform.logger.warn('author aliases not assigned', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  setTeamServer(team: TeamServerInfo | null): void {
    this.teamServer = team;
  }

  setWebhookEndpoints(endpoints: { mentionsUrl: string; metricsUrl: string } | null): void {
    this.webhooks.setEndpoints(endpoints);
  }

  startSources(): void {
    this.assertOpen();
    this.sourcesService.start();
    this.publishing.start();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.uploads.closeAll();
    this.importJobs.stopAll();
    this.rescore.stop();
    this.layerTrainer.stop();
    this.perimeters.stop();
    this.moments.stop();
    this.publishing.stop();
    this.responses.stop();
    this.audiences.stop();
    this.momentAcks.stop();
    this.notes.stop();
    this.presence.stop();
    try {
      this.sourcesService.stop();
      this.metricsSvc.close();
      this.replays.stop();
    } finally {
      try {
        // The open minute of webhook use and of repeated refusals is written before the log's anchor.
        this.webhooks.flush();
        this.refusals.flush();
        this.auditService.flushAnchor();
        this.db.close();
      } finally {
        this.releaseLock();
      }
    }
  }

  private ingest(items: readonly unknown[], origin: IngestOrigin): IngestResult {
    const { accepted, duplicates, rejected, warnings, ids } = this.pipeline.ingest(items, origin);
    return { accepted, duplicates, rejected, warnings, ids };
  }


  private assertOpen(): void {
    if (this.closed) throw new ApiError('app.closing');
  }
}

/**
 * Opens the data folder for writing: takes the instance lock (DataDirLockedError when a
 * live process holds it), opens and migrates vedetta.db, and returns the running core.
 */
export function openApp({ platform, mode, ...options }: OpenAppOptions): CoreApp {
  mkdirSync(platform.dataDir, { recursive: true });
  const lock = acquireDataDirLock(platform.dataDir, platform.now());
  let db: Db | null = null;
  try {
    db = openDatabase(join(platform.dataDir, DB_FILE));
    return new CoreAppImpl(platform, mode, db, () => lock.release(), options);
  } catch (err) {
    db?.close();
    lock.release();
    throw err;
  }
}
