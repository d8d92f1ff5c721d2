// Tier 2 state: the panel of one channel (reloaded when the backend pushes new points),
// the alerts with their SLA clocks, rules, CSV import with mapping, notification channels
// and the delivery log, and desktop notifications.
import { ApiError, type OpOutput, type VedettaApi } from '../../../shared/contract';
import type { Alert, Delivery, NotifyConfig, NotifySecrets, NotifySettings, Rule, RuleInput } from '../../../shared/alerts';
import type { Channel, Content, ContentInput, CsvMapping, CsvPreview, MetricImportReport, Panel } from '../../../shared/metrics';
import type { MacroArea } from '../../../shared/regions';
import { listen } from '../../lib/events';

export type Tier2Tab = 'panels' | 'alerts' | 'content' | 'import' | 'rules';
export type Area = 'all' | MacroArea;

export interface Toast {
  id: number;
  title: string;
  body: string;
  severity: 'critical' | 'moderate';
}

/** Test hooks on <html>: E2E tests wait on these instead of sleeping. */
function bump(name: 'tier2Panel' | 'tier2Alerts'): void {
  const el = document.documentElement;
  el.dataset[name] = String(Number(el.dataset[name] ?? '0') + 1);
}

function message(e: unknown): string {
  if (e instanceof ApiError && e.details?.length) return `${e.message}: ${e.detailLines().slice(0, 3).join('; ')}`;
  return e instanceof Error ? e.message : String(e);
}

export class Tier2Store {
  tab = $state<Tier2Tab>('panels');
  channel = $state<Channel>('instagram_reel');
  contentId = $state<number | undefined>(undefined);
  area = $state<Area>('all');
  panel = $state.raw<Panel | null>(null);
  panelError = $state<string | null>(null);
  alerts = $state.raw<Alert[]>([]);
  showResolved = $state(false);
  alertError = $state<string | null>(null);
  rules = $state.raw<Rule[]>([]);
  ruleError = $state<string | null>(null);
  notify = $state.raw<NotifyConfig | null>(null);
  notifyError = $state<string | null>(null);
  deliveries = $state.raw<Delivery[]>([]);
  toasts = $state<Toast[]>([]);
  /** Bumped at each live update so the view can flash what changed. */
  liveTick = $state(0);

  csvFile = $state.raw<{ name: string; content: string } | null>(null);
  csvPreview = $state.raw<CsvPreview | null>(null);
  csvReport = $state.raw<MetricImportReport | null>(null);
  csvError = $state<string | null>(null);
  csvBusy = $state(false);

  #reloadTimer: ReturnType<typeof setTimeout> | null = null;
  #off: () => void;
  #toastId = 0;
  #active = false;
  /** Every content id seen in any panel: a point for an unseen one may be new content of ours. */
  #known = new Set<number>();

  constructor(private readonly api: VedettaApi) {
    this.#off = listen(api, {
      'metrics.points': ({ contentIds }) => {
        if (!this.#active) return;
        const shown = this.panel?.contents.map((c) => c.id) ?? [];
        // A point for another channel's content still may be a new content of ours.
        // Reload when the points are ours, or when a content may have joined this channel.
        if (contentIds.length === 0 || shown.length === 0 || contentIds.some((id) => shown.includes(id)) || contentIds.some((id) => !this.#known.has(id))) this.#reloadSoon();
      },
      'alerts.changed': ({ alert }) => {
        const rest = this.alerts.filter((a) => a.id !== alert.id);
        this.alerts = alert.state === 'resolved' && !this.showResolved ? rest : [alert, ...rest].sort((a, b) => b.firedAt.localeCompare(a.firedAt) || b.id - a.id);
        bump('tier2Alerts');
      },
      'notify.desktop': (n) => this.#desktop(n),
      'notify.delivery': () => {
        if (this.#active) void this.loadDeliveries();
      },
    });
  }

  get openAlerts(): number {
    return this.alerts.filter((a) => a.state !== 'resolved').length;
  }

  async enter(): Promise<void> {
    this.#active = true;
    await Promise.all([this.loadPanel(), this.loadAlerts(), this.loadRules()]);
  }

  leave(): void {
    this.#active = false;
  }

  dispose(): void {
    this.#off();
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
  }

  #reloadSoon(): void {
    if (this.#reloadTimer) return;
    // Points arrive in bursts: one reload for a burst.
    this.#reloadTimer = setTimeout(() => {
      this.#reloadTimer = null;
      void this.loadPanel(true);
    }, 150);
  }

  async loadPanel(live = false): Promise<void> {
    try {
      const p = await this.api.call('metrics.panel', { channel: this.channel, contentId: this.contentId, area: this.area });
      this.panel = p;
      for (const c of p.contents) this.#known.add(c.id);
      this.panelError = null;
      if (live) this.liveTick++;
      bump('tier2Panel');
    } catch (e) {
      this.panelError = message(e);
    }
  }

  setChannel(c: Channel): void {
    this.channel = c;
    this.contentId = undefined;
    void this.loadPanel();
  }

  setContent(id: number | undefined): void {
    this.contentId = id;
    void this.loadPanel();
  }

  setArea(a: Area): void {
    this.area = a;
    void this.loadPanel();
  }

  async loadAlerts(): Promise<void> {
    try {
      this.alerts = await this.api.call('alerts.list', { includeResolved: this.showResolved });
      this.alertError = null;
      bump('tier2Alerts');
    } catch (e) {
      this.alertError = message(e);
    }
  }

  /** Acts on an alert as the signed-in person (the server names them). */
  async act(op: 'alerts.acknowledge' | 'alerts.resolve', id: number): Promise<boolean>;
  async act(op: 'alerts.intervene', id: number, what: string): Promise<boolean>;
  async act(op: 'alerts.acknowledge' | 'alerts.resolve' | 'alerts.intervene', id: number, what = ''): Promise<boolean> {
    try {
      this.alertError = null;
      const a = op === 'alerts.intervene' ? await this.api.call(op, { id, what }) : await this.api.call(op, { id });
      const rest = this.alerts.filter((x) => x.id !== a.id);
      this.alerts = a.state === 'resolved' && !this.showResolved ? rest : [a, ...rest].sort((x, y) => y.firedAt.localeCompare(x.firedAt) || y.id - x.id);
      return true;
    } catch (e) {
      this.alertError = message(e);
      return false;
    }
  }

  async loadRules(): Promise<void> {
    try {
      this.rules = await this.api.call('alerts.rules', {});
    } catch (e) {
      this.ruleError = message(e);
    }
  }

  async saveRule(id: number | undefined, rule: RuleInput): Promise<boolean> {
    try {
      this.ruleError = null;
      await this.api.call('alerts.saveRule', { id, rule });
      await this.loadRules();
      return true;
    } catch (e) {
      this.ruleError = message(e);
      return false;
    }
  }

  async deleteRule(id: number): Promise<void> {
    try {
      await this.api.call('alerts.deleteRule', { id });
      await this.loadRules();
    } catch (e) {
      this.ruleError = message(e);
    }
  }

  // ── Content registry ──
  contents = $state.raw<Content[]>([]);
  contentError = $state<string | null>(null);

  async loadContents(): Promise<void> {
    try {
      this.contents = await this.api.call('metrics.contents', {});
    } catch (e) {
      this.contentError = message(e);
    }
  }

  async saveContent(input: ContentInput): Promise<boolean> {
    try {
      this.contentError = null;
      await this.api.call('metrics.saveContent', input);
      await this.loadContents();
      return true;
    } catch (e) {
      this.contentError = message(e);
      return false;
    }
  }

  /** A value entered by hand (language fit), now, in the user's zone. */
  async record(content: string, metric: 'language_fit_score', value: number): Promise<boolean> {
    try {
      this.contentError = null;
      const r = await this.api.call('metrics.record', { points: [{ content, metric, value, time: new Date().toISOString() }] });
      if (r.rejected.length > 0) {
        this.contentError = r.rejected.map((x) => x.reason).join('; ');
        return false;
      }
      await this.loadContents();
      return true;
    } catch (e) {
      this.contentError = message(e);
      return false;
    }
  }

  // ── CSV ──
  async chooseCsv(file: File): Promise<void> {
    this.csvError = null;
    this.csvReport = null;
    this.csvPreview = null;
    this.csvBusy = true;
    try {
      const content = await file.text();
      this.csvFile = { name: file.name, content };
      this.csvPreview = await this.api.call('metrics.csvPreview', { fileName: file.name, content });
    } catch (e) {
      this.csvFile = null;
      this.csvError = message(e);
    } finally {
      this.csvBusy = false;
    }
  }

  async importCsv(mapping: CsvMapping): Promise<void> {
    if (!this.csvFile) return;
    this.csvBusy = true;
    this.csvError = null;
    try {
      this.csvReport = await this.api.call('metrics.csvImport', { fileName: this.csvFile.name, content: this.csvFile.content, mapping });
    } catch (e) {
      this.csvError = message(e);
    } finally {
      this.csvBusy = false;
    }
  }

  // ── Notifications ──
  async loadNotify(): Promise<void> {
    try {
      [this.notify, this.deliveries] = await Promise.all([this.api.call('notify.get', {}), this.api.call('notify.deliveries', { limit: 50 })]);
    } catch (e) {
      this.notifyError = message(e);
    }
  }

  async loadDeliveries(): Promise<void> {
    try {
      this.deliveries = await this.api.call('notify.deliveries', { limit: 50 });
    } catch {
      /* the previous log stays */
    }
  }

  async saveNotify(settings: NotifySettings, secrets: NotifySecrets): Promise<boolean> {
    try {
      this.notifyError = null;
      this.notify = await this.api.call('notify.update', { settings, secrets });
      return true;
    } catch (e) {
      this.notifyError = message(e);
      return false;
    }
  }

  async testNotify(channel: OpOutput<'notify.deliveries'>[number]['channel']): Promise<void> {
    try {
      await this.api.call('notify.test', { channel });
      await this.loadDeliveries();
    } catch (e) {
      this.notifyError = message(e);
    }
  }

  dismissToast(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  #desktop(n: { title: string; body: string; severity: 'critical' | 'moderate' }): void {
    const id = ++this.#toastId;
    this.toasts = [...this.toasts.slice(-2), { id, title: n.title, body: n.body, severity: n.severity }];
    setTimeout(() => this.dismissToast(id), n.severity === 'critical' ? 30_000 : 12_000);
    // The OS notification too, where the user allowed it (Electron allows it by default).
    try {
      if (typeof Notification !== 'undefined' && Notification.permission === 'granted') new Notification(n.title, { body: n.body });
    } catch {
      /* the in-app toast is enough */
    }
  }
}
