// Tier 2 in core, assembled from its parts: owned content and metric points coming in
// (points.ts), the series and panels read from them (series.ts, panels.ts), alert rules
// evaluated on arrival and by a timer (rules.ts), the alert lifecycle with SLA clocks
// (alerts.ts) and its notifications (notify.ts, configured in notify-config.ts; the senders
// are connectors/outbound/notify). This class wires them, runs the timer and answers the
// contract. The SQL lives in store/metrics-repo.ts and store/alerts-repo.ts.
import type { Alert, Delivery, NotifyChannel, NotifyConfig, NotifySecrets, NotifySettings, ParsedRuleInput, Rule } from '../../shared/alerts';
import type { Channel, Content, MetricId, MetricImportReport, MetricIngestResult, Panel, ParsedCsvMapping } from '../../shared/metrics';
import type { MacroArea } from '../../shared/regions';
import type { ErrorLang } from '../../shared/errors';
import type { EventBus } from '../api/events';
import type { Logger } from '../platform';
import type { SecretStore } from '../sources';
import { AlertsRepo } from '../store/alerts-repo';
import type { Db } from '../store/db';
import { MetricsRepo } from '../store/metrics-repo';
import { AlertLifecycle } from './alerts';
import { Notifier, testMessage } from './notify';
import { NotifyConfigStore } from './notify-config';
import { Panels } from './panels';
import { MetricPoints } from './points';
import type { AlertSenders } from './ports';
import { AlertRules, type Touched } from './rules';
import { compoundSeries, seriesOf } from './series';

export interface MetricsServiceDeps {
  db: Db;
  events: EventBus;
  now: () => number;
  logger: Logger;
  secrets: SecretStore;
  /** How often overdue SLAs and time-based rules are checked (default 15 s). */
  tickMs?: number;
  notifyBackoffMs?: readonly number[];
  /** The alert senders (connectors/outbound/notify): e-mail, Slack, Teams, Telegram. */
  alertSenders: AlertSenders;
  /** The workspace's language, for alert notifications and the delivery log (default Italian). */
  lang?: () => ErrorLang;
  /** Length of one SLA minute; tests shorten it (see TestHooks.slaMinuteMs). */
  slaMinuteMs?: number;
}

export class MetricsService {
  readonly metrics: MetricsRepo;
  readonly alertsRepo: AlertsRepo;
  readonly notifier: Notifier;
  private readonly notify: NotifyConfigStore;
  private readonly points: MetricPoints;
  private readonly panels: Panels;
  private readonly rules: AlertRules;
  private readonly alerts: AlertLifecycle;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastSweep = 0;
  private closed = false;

  constructor(private readonly d: MetricsServiceDeps) {
    this.metrics = new MetricsRepo(d.db);
    this.alertsRepo = new AlertsRepo(d.db);
    this.notify = new NotifyConfigStore({ alertsRepo: this.alertsRepo, secrets: d.secrets, logger: d.logger });
    this.notifier = new Notifier({
      settings: () => this.notifySettings(),
      secrets: () => this.notifySecrets(),
      log: (x) => {
        if (this.closed) return;
        this.alertsRepo.logDelivery({ ...x, at: Date.parse(x.at) });
        this.d.events.emit('notify.delivery', { id: 0, ...x });
      },
      desktop: (m) => this.d.events.emit('notify.desktop', { alertId: m.alertId, title: m.title, body: m.lines.slice(0, 2).join(' — '), severity: m.severity }),
      senders: d.alertSenders,
      lang: () => this.lang(),
      logger: d.logger,
      now: d.now,
      backoffMs: d.notifyBackoffMs,
    });
    this.alerts = new AlertLifecycle({
      db: d.db,
      events: d.events,
      now: d.now,
      metrics: this.metrics,
      alertsRepo: this.alertsRepo,
      notifier: this.notifier,
      lang: () => this.lang(),
      ...(d.slaMinuteMs !== undefined ? { slaMinuteMs: d.slaMinuteMs } : {}),
    });
    this.rules = new AlertRules(this.metrics, this.alertsRepo, this.alerts, d.now, () => this.lang());
    this.points = new MetricPoints({ db: d.db, events: d.events, now: d.now, metrics: this.metrics, rules: this.rules, lang: () => this.lang() });
    this.panels = new Panels(this.metrics, this.alertsRepo, d.now);
  }

  start(): void {
    const ms = this.d.tickMs ?? 15_000;
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (err) {
        this.d.logger.error('alerts: controllo periodico non riuscito', { err: String(err) });
      }
    }, ms);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.notifier.close();
  }

  // ── Points in ──────────────────────────────────────────────────────────────────────
  /** See MetricPoints.ingest. */
  ingest(contents: readonly unknown[], points: readonly unknown[], lines?: readonly number[], createMissing?: Channel, quiet = false): MetricIngestResult {
    return this.points.ingest(contents, points, lines, createMissing, quiet);
  }

  /** The webhook's body: an array of points or { content, points }. */
  ingestWebhook(body: unknown): MetricIngestResult {
    return this.points.ingestWebhook(body);
  }

  /** Fills an empty workspace with the demo's owned content and metric history. */
  seedDemo(): boolean {
    return this.points.seedDemo();
  }

  saveContent(input: unknown): Content {
    return this.points.saveContent(input);
  }

  /** An unreadable file throws its CsvReadError, an ApiError with its code. */
  csvPreview(content: string): ReturnType<MetricPoints['csvPreview']> {
    return this.points.csvPreview(content);
  }

  csvImport(fileName: string, content: string, mapping: ParsedCsvMapping): MetricImportReport {
    return this.points.csvImport(fileName, content, mapping);
  }

  // ── Series and panels ──────────────────────────────────────────────────────────────
  compoundSeries(contentId: number): { at: number; value: number }[] {
    return compoundSeries(this.metrics, contentId);
  }

  seriesOf(contentId: number, metric: MetricId, region = '', last?: number): { at: number; value: number }[] {
    return seriesOf(this.metrics, this.d.now, contentId, metric, region, last);
  }

  panel(channel: Channel, contentId: number | undefined, area: 'all' | MacroArea): Panel {
    return this.panels.panel(channel, contentId, area);
  }

  // ── Alerts ─────────────────────────────────────────────────────────────────────────
  /** Evaluates the enabled rules on the series just touched. */
  evaluate(touched: readonly Touched[], quiet = false): void {
    this.rules.evaluate(touched, quiet);
  }

  /**
   * Timer: escalates alerts past their SLA and, every minute, sweeps the rules over the
   * series active in the last week, so a rule added or tightened applies to current data
   * without waiting for the next point.
   */
  tick(): void {
    if (this.closed) return;
    const now = this.d.now();
    if (now - this.lastSweep >= 60_000) {
      this.lastSweep = now;
      this.evaluate(this.metrics.activeSeries(now - 7 * 24 * 3600_000, 20_000));
    }
    this.alerts.escalateOverdue(now);
  }

  alert(id: number): Alert {
    return this.alerts.alert(id);
  }

  listAlerts(includeResolved: boolean): Alert[] {
    return this.alerts.listAlerts(includeResolved);
  }

  acknowledge(id: number, by: string): Alert {
    return this.alerts.acknowledge(id, by);
  }

  intervene(id: number, what: string, who: string): Alert {
    return this.alerts.intervene(id, what, who);
  }

  resolve(id: number, by: string): Alert {
    return this.alerts.resolve(id, by);
  }

  saveRule(id: number | undefined, rule: ParsedRuleInput): Rule {
    return this.rules.saveRule(id, rule);
  }

  // ── Notifications ──────────────────────────────────────────────────────────────────
  notifySettings(): NotifySettings {
    return this.notify.notifySettings();
  }

  notifySecrets(): NotifySecrets {
    return this.notify.notifySecrets();
  }

  notifyConfig(): NotifyConfig {
    return this.notify.notifyConfig();
  }

  updateNotify(settings: NotifySettings | undefined, secrets: NotifySecrets | undefined): NotifyConfig {
    return this.notify.updateNotify(settings, secrets);
  }

  async testNotify(channel: NotifyChannel): Promise<Delivery[]> {
    const out = await this.notifier.send(testMessage(this.lang()), channel);
    return out.map((d, i) => ({ id: i, ...d }));
  }

  private lang(): ErrorLang {
    return this.d.lang?.() ?? 'it';
  }
}
