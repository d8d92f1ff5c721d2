// Over 500 lines (~730), not yet split: the panels, the rule evaluation and the alert
// lifecycle share one clock and one in-memory rule cache, and the senders already left for
// connectors/outbound/notify. Next seam: the alert lifecycle (SLA, escalation) in its own file.
// Tier 2 in core: stores owned content and metric points, builds the panels, evaluates
// alert rules on arrival and on a timer, runs the alert lifecycle with SLA clocks and
// sends notifications. The SQL lives in store/metrics-repo.ts and store/alerts-repo.ts.
import { ApiError, describeZodError } from '../../shared/contract';
import {
  DEFAULT_SLA_MINUTES,
  NotifySecretsSchema,
  NotifySettingsSchema,
  type Alert,
  type Delivery,
  type Intervention,
  type NotifyChannel,
  type NotifyConfig,
  type NotifySecrets,
  type NotifySettings,
  type ParsedRuleInput,
  type Rule,
} from '../../shared/alerts';
import {
  CHANNEL_KPIS,
  ContentInputSchema,
  METRIC_INFO,
  METRIC_LIMITS,
  MetricPointInputSchema,
  type Channel,
  type Content,
  type Kpi,
  type MetricId,
  type MetricImportReport,
  type MetricIngestResult,
  type MetricReject,
  type Panel,
  type ParsedCsvMapping,
} from '../../shared/metrics';
import { MACRO_AREAS, REGIONS, type MacroArea } from '../../shared/regions';
import type { EventBus } from '../api/events';
import type { Logger } from '../platform';
import type { SecretStore } from '../sources';
import { AlertsRepo, type AlertRow } from '../store/alerts-repo';
import type { Db } from '../store/db';
import { MetricsRepo, type StoredPoint } from '../store/metrics-repo';
import { zodErrors } from '../ingest/zod-it';
import { CsvReadError, csvToPoints, previewCsv } from './csv';
import {
  compoundEngagement,
  dropOffCurve,
  interventionEffect,
  mean,
  normalizeTime,
  projectedBreach,
  regionalGaps,
  relativeWorsening,
  std,
  twoProportionZTest,
} from './formulas';
import { demoMetricHistory } from './demo';
import { DEFAULT_NOTIFY_SETTINGS, messageForAlert, Notifier, testMessage } from './notify';
import type { AlertSenders } from './ports';
import { renderText, TERMS, type ErrorLang, type TermKey } from '../../shared/errors';

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


const COUNTERS = new Set<MetricId>(['likes', 'comments', 'shares', 'views']);
const SERIES_CAP = 240;
const iso = (ms: number): string => new Date(ms).toISOString();

interface Touched {
  contentId: number;
  metric: MetricId;
  region: string;
}

export class MetricsService {
  readonly metrics: MetricsRepo;
  readonly alertsRepo: AlertsRepo;
  readonly notifier: Notifier;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastSweep = 0;
  private closed = false;

  constructor(private readonly d: MetricsServiceDeps) {
    this.metrics = new MetricsRepo(d.db);
    this.alertsRepo = new AlertsRepo(d.db);
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

  // ── Ingest ─────────────────────────────────────────────────────────────────────────
  /**
   * Validates content registrations and points, stores the good ones in one transaction,
   * then evaluates the rules on the series they touched. `lines` maps an item's index to
   * the file line it came from (CSV import).
   */
  ingest(contents: readonly unknown[], points: readonly unknown[], lines?: readonly number[], createMissing?: Channel, quiet = false): MetricIngestResult {
    const now = this.d.now();
    const rejected: MetricReject[] = [];
    // Reasons are worded in the workspace's language: a CSV import's report is stored.
    const lang = this.lang();
    const errorMap = zodErrors(lang);
    const reject = (index: number, reason: string): void => {
      rejected.push({ index, ...(lines?.[index] !== undefined ? { line: lines[index] } : {}), reason });
    };
    const contentInputs = contents.map((c) => ContentInputSchema.safeParse(c, { error: errorMap }));
    const parsed: (StoredPoint & { key: string; index: number })[] = [];
    points.forEach((raw, index) => {
      const r = MetricPointInputSchema.safeParse(raw, { error: errorMap });
      if (!r.success) return reject(index, describeZodError(r.error).join('; '));
      const p = r.data;
      const unit = METRIC_INFO[p.metric].unit;
      if (unit === 'rate' && (p.value < 0 || p.value > 1)) return reject(index, renderText('metrics.rateRange', { metric: p.metric, value: p.value }, lang));
      if ((unit === 'count' || unit === 'seconds') && p.value < 0) return reject(index, renderText('metrics.negative', { metric: p.metric }, lang));
      if (p.metric === 'language_fit_score' && (p.value < 0 || p.value > 1)) return reject(index, renderText('metrics.fitRange', {}, lang));
      const t = normalizeTime(p.time, p.tz, lang);
      if ('error' in t) return reject(index, t.error);
      parsed.push({ key: p.content, index, contentId: 0, metric: p.metric, region: p.region ?? '', variant: p.variant ?? '', at: t.at, value: p.value, tz: t.tz });
    });
    let accepted = 0;
    let duplicates = 0;
    let updated = 0;
    let late = 0;
    let contentCount = 0;
    const touched = new Map<string, Touched>();
    const contentIds = new Set<number>();
    const metricIds = new Set<string>();
    this.d.db.transaction(() => {
      contentInputs.forEach((r, i) => {
        if (!r.success) {
          rejected.push({ index: i, reason: renderText('metrics.contentRow', { index: i, reason: describeZodError(r.error).join('; ') }, lang) });
          return;
        }
        this.metrics.upsertContent(r.data, now);
        contentCount++;
      });
      const ids = new Map<string, number | null>();
      for (const p of parsed) {
        let id = ids.get(p.key);
        if (id === undefined) {
          id = this.metrics.idByKey(p.key);
          if (id === null && createMissing) id = this.metrics.upsertContent({ key: p.key, channel: createMissing, title: p.key }, now).id;
          ids.set(p.key, id);
        }
        if (id === null) {
          reject(p.index, renderText('metrics.unknownContent', { key: p.key }, lang));
          continue;
        }
        const res = this.metrics.putPoint({ ...p, contentId: id }, now);
        if (res.outcome === 'duplicate') {
          duplicates++;
          continue;
        }
        if (res.outcome === 'updated') updated++;
        else accepted++;
        if (res.late) late++;
        contentIds.add(id);
        metricIds.add(p.metric);
        if (p.variant === '') touched.set(`${id}|${p.metric}|${p.region}`, { contentId: id, metric: p.metric, region: p.region });
      }
    })();
    rejected.sort((a, b) => a.index - b.index);
    if (contentIds.size > 0 || contentCount > 0) {
      this.d.events.emit('metrics.points', { contentIds: [...contentIds], metrics: [...metricIds], count: accepted + updated });
      this.evaluate([...touched.values()], quiet);
    }
    return { accepted, duplicates, updated, late, contents: contentCount, rejected };
  }

  /** The webhook's body: an array of points or { content, points }. */
  ingestWebhook(body: unknown): MetricIngestResult {
    if (body === null || typeof body !== 'object') throw new ApiError('metrics.badBody');
    let contents: unknown[] = [];
    let points: unknown[];
    if (Array.isArray(body)) points = body;
    else {
      const o = body as Record<string, unknown>;
      const extra = Object.keys(o).filter((k) => k !== 'content' && k !== 'points');
      if (extra.length > 0) throw new ApiError('metrics.unknownFields', { fields: extra.slice(0, 5).join(', ') });
      if (o.content !== undefined && !Array.isArray(o.content)) throw new ApiError('metrics.contentNotArray');
      if (o.points !== undefined && !Array.isArray(o.points)) throw new ApiError('metrics.pointsNotArray');
      contents = (o.content as unknown[] | undefined) ?? [];
      points = (o.points as unknown[] | undefined) ?? [];
    }
    if (points.length + contents.length === 0) throw new ApiError('metrics.emptyBody');
    if (points.length > METRIC_LIMITS.batchMax || contents.length > METRIC_LIMITS.batchMax) {
      throw new ApiError('metrics.tooMany', { max: METRIC_LIMITS.batchMax });
    }
    return this.ingest(contents, points);
  }

  /** Fills an empty workspace with the demo's owned content and metric history. */
  seedDemo(): boolean {
    if (this.metrics.count() > 0) return false;
    const { content, points } = demoMetricHistory(this.d.now());
    this.ingest(content, []);
    // History, not news: its alerts are listed but not sent out.
    for (let i = 0; i < points.length; i += METRIC_LIMITS.batchMax) this.ingest([], points.slice(i, i + METRIC_LIMITS.batchMax), undefined, undefined, true);
    return true;
  }

  saveContent(input: unknown): Content {
    const r = ContentInputSchema.safeParse(input, { error: zodErrors(this.lang()) });
    if (!r.success) throw new ApiError('metrics.contentInvalid', {}, describeZodError(r.error));
    const { id } = this.metrics.upsertContent(r.data, this.d.now());
    this.d.events.emit('metrics.points', { contentIds: [id], metrics: [], count: 0 });
    return this.metrics.get(id) as Content;
  }

  /** An unreadable file throws its CsvReadError, an ApiError with its code. */
  csvPreview(content: string) {
    return previewCsv(content);
  }

  csvImport(fileName: string, content: string, mapping: ParsedCsvMapping): MetricImportReport {
    let rows: ReturnType<typeof csvToPoints>;
    try {
      rows = csvToPoints(content, mapping, this.lang());
    } catch (err) {
      if (err instanceof CsvReadError) {
        return { fileName, rows: 0, accepted: 0, duplicates: 0, updated: 0, late: 0, contents: 0, rejected: [], error: err.toBody().message, errorRef: { key: err.key, params: { ...err.params } } };
      }
      throw err;
    }
    const total: MetricIngestResult = { accepted: 0, duplicates: 0, updated: 0, late: 0, contents: 0, rejected: [...rows.rejected] };
    for (let i = 0; i < rows.points.length; i += METRIC_LIMITS.batchMax) {
      const chunk = rows.points.slice(i, i + METRIC_LIMITS.batchMax);
      const r = this.ingest([], chunk.map((c) => c.point), chunk.map((c) => c.line), mapping.createMissing);
      total.accepted += r.accepted;
      total.duplicates += r.duplicates;
      total.updated += r.updated;
      total.late += r.late;
      total.rejected.push(...r.rejected.map((x) => ({ ...x, index: i + x.index })));
    }
    total.rejected.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { ...total, fileName, rows: rows.rows, error: null };
  }

  // ── Computed series ────────────────────────────────────────────────────────────────
  /** compound_engagement at each views point, from the latest likes/comments/shares at or before it. */
  compoundSeries(contentId: number): { at: number; value: number }[] {
    const views = this.metrics.series(contentId, 'views');
    if (views.length === 0) return [];
    const parts = (['likes', 'comments', 'shares'] as const).map((m) => this.metrics.series(contentId, m));
    const out: { at: number; value: number }[] = [];
    const idx = [0, 0, 0];
    const cur = [0, 0, 0];
    for (const v of views) {
      parts.forEach((s, k) => {
        while ((idx[k] as number) < s.length && (s[idx[k] as number] as { at: number }).at <= v.at) {
          cur[k] = (s[idx[k] as number] as { value: number }).value;
          idx[k] = (idx[k] as number) + 1;
        }
      });
      const ce = compoundEngagement(cur[0] as number, cur[1] as number, cur[2] as number, v.value);
      if (ce !== null) out.push({ at: v.at, value: ce });
    }
    return out;
  }

  seriesOf(contentId: number, metric: MetricId, region = '', last?: number): { at: number; value: number }[] {
    if (metric === 'compound_engagement') {
      if (region) return [];
      const all = this.compoundSeries(contentId);
      return last === undefined ? all : all.slice(-last);
    }
    if (metric === 'sentiment_score') {
      const c = this.metrics.get(contentId);
      const s = this.metrics.linkedSentiment(c?.url ?? null);
      return s ? [{ at: this.d.now(), value: s.value }] : [];
    }
    return this.metrics.series(contentId, metric, region, '', last);
  }

  // ── Panels ─────────────────────────────────────────────────────────────────────────
  panel(channel: Channel, contentId: number | undefined, area: 'all' | MacroArea): Panel {
    const contents = this.metrics.list(channel);
    const ids = contents.map((c) => c.id);
    const chosen = contents.find((c) => c.id === contentId) ?? null;
    // The KPIs of the whole channel, or of the one content chosen.
    const kpis: Kpi[] = CHANNEL_KPIS[channel].map((metric) => this.kpi(chosen ? [chosen] : contents, metric));
    const selected = chosen ?? contents[0] ?? null;

    let dropOff: Panel['dropOff'] = null;
    const video = selected && channel === 'instagram_reel' ? selected : contents.find((c) => c.channel === 'instagram_reel') ?? null;
    if (video) {
      const v = (m: MetricId): number | null => this.metrics.latest(video.id, m)?.value ?? null;
      const pts = dropOffCurve({ 30: v('drop_off_rate_30s'), 60: v('drop_off_rate_60s'), 90: v('drop_off_rate_90s') });
      if (pts.length > 1) dropOff = { contentId: video.id, points: pts };
    }

    const engagement = contents.slice(0, 12).map((c) => {
      const s = this.compoundSeries(c.id);
      return { contentId: c.id, title: c.title, value: s.length ? (s[s.length - 1] as { value: number }).value : null };
    });

    const areaCodes = new Set(REGIONS.filter((r) => area === 'all' || r.area === area).map((r) => r.code));
    const byRegion = this.metrics.latestByRegion(chosen ? [chosen.id] : ids, 'regional_conversion_rate').filter((r) => areaCodes.has(r.code));
    const gapLimit = this.alertsRepo.rules().find((r) => r.kind === 'regional_gap' && r.enabled)?.threshold ?? 0.1;
    const gaps = regionalGaps(byRegion, gapLimit);

    let ab: Panel['ab'] = null;
    const abContent = selected && selected.variants.length > 1 ? selected : contents.find((c) => c.variants.length > 1) ?? null;
    if (abContent) ab = { contentId: abContent.id, title: abContent.title, variants: this.abTest(abContent) };

    return { channel, contents, kpis, dropOff, engagement, regions: { metric: 'regional_conversion_rate', mean: gaps.mean, values: gaps.values }, ab };
  }

  private kpi(of: readonly Content[], metric: MetricId): Kpi {
    const ids = of.map((c) => c.id);
    let pts: { at: number; value: number }[];
    if (metric === 'compound_engagement') pts = ids.flatMap((id) => this.compoundSeries(id));
    else if (metric === 'sentiment_score') {
      const now = this.d.now();
      pts = of.flatMap((c) => {
        const s = this.metrics.linkedSentiment(c.url);
        return s ? [{ at: now, value: s.value }] : [];
      });
    } else pts = this.metrics.meanSeries(ids, metric, metric === 'regional_conversion_rate');
    pts.sort((a, b) => a.at - b.at);
    const series = bucket(pts, SERIES_CAP);
    const values = series.map((p) => p.v);
    const m = mean(values);
    const last = series[series.length - 1] ?? null;
    return {
      metric,
      latest: last?.v ?? null,
      latestAt: last?.t ?? null,
      mean: values.length >= 2 ? m : null,
      std: std(values),
      change: last && m !== null && m !== 0 && values.length >= 2 ? (last.v - m) / Math.abs(m) : null,
      series,
    };
  }

  private abTest(c: Content): Panel['ab'] extends infer T ? (T extends { variants: infer V } ? V : never) : never {
    const clicks = this.metrics.latestByVariant(c.id, 'clicks');
    const imps = this.metrics.latestByVariant(c.id, 'impressions');
    const ctr = this.metrics.latestByVariant(c.id, 'ctr');
    const control = c.controlVariant ?? c.variants[0] ?? null;
    const cx = control ? clicks.get(control) ?? null : null;
    const cn = control ? imps.get(control) ?? null : null;
    return c.variants.map((variant) => {
      const x = clicks.get(variant) ?? null;
      const n = imps.get(variant) ?? null;
      const rate = x !== null && n !== null && n > 0 ? x / n : ctr.get(variant) ?? null;
      const isControl = variant === control;
      const test = !isControl && x !== null && n !== null && cx !== null && cn !== null ? twoProportionZTest(x, n, cx, cn) : null;
      return { variant, control: isControl, clicks: x, impressions: n, rate, z: test?.z ?? null, pValue: test?.pValue ?? null, significant: test ? test.pValue < 0.05 : null };
    });
  }

  // ── Alerts ─────────────────────────────────────────────────────────────────────────
  /** Evaluates the enabled rules on the series just touched. */
  evaluate(touched: readonly Touched[], quiet = false): void {
    if (touched.length === 0) return;
    const rules = this.alertsRepo.rules().filter((r) => r.enabled);
    if (rules.length === 0) return;
    const seen = new Set<string>();
    const work: Touched[] = [];
    for (const t of touched) {
      const add = (x: Touched): void => {
        const k = `${x.contentId}|${x.metric}|${x.region}`;
        if (!seen.has(k)) {
          seen.add(k);
          work.push(x);
        }
      };
      add(t);
      if (COUNTERS.has(t.metric) && t.region === '') add({ contentId: t.contentId, metric: 'compound_engagement', region: '' });
    }
    const channels = new Map<number, Channel | null>();
    for (const t of work) {
      let ch = channels.get(t.contentId);
      if (ch === undefined) {
        ch = this.metrics.channelOf(t.contentId);
        channels.set(t.contentId, ch);
      }
      for (const rule of rules) {
        if (rule.metric !== t.metric || (rule.channel !== null && rule.channel !== ch)) continue;
        if (rule.kind === 'regional_gap') {
          if (t.region !== '') this.evalRegional(rule, t.contentId, quiet);
        } else if (t.region === '') {
          this.evalSeries(rule, t.contentId, quiet);
        }
      }
    }
  }

  private evalSeries(rule: Rule, contentId: number, quiet: boolean): void {
    // Only the newest points matter to a rule: the baseline window and the latest value.
    const series = this.seriesOf(contentId, rule.metric, '', rule.kind === 'threshold' ? 1 : rule.window + 1);
    const last = series[series.length - 1];
    if (!last) return;
    const info = METRIC_INFO[rule.metric];
    // Stored with the alert: worded now, in the workspace's language.
    const lang = this.lang();
    const pct = (v: number): string => fmtValue(rule.metric, v, lang);
    const metric: TermKey = `metric.${rule.metric}`;
    if (rule.kind === 'threshold') {
      const hit = rule.direction === 'above' ? last.value > rule.threshold : last.value < rule.threshold;
      const side = rule.direction === 'above' ? 'alert.above' : 'alert.below';
      if (hit) this.fire(rule, contentId, '', last.value, rule.threshold, renderText('alert.threshold', { metric, value: pct(last.value), side, threshold: pct(rule.threshold) }, lang), quiet);
    } else if (rule.kind === 'relative_drop') {
      const baseline = series.slice(-rule.window - 1, -1).map((p) => p.value);
      const worse = relativeWorsening(last.value, baseline, info.higherIsBetter);
      if (worse !== null && worse >= rule.threshold) {
        const m = mean(baseline) as number;
        this.fire(rule, contentId, '', last.value, m, renderText('alert.drop', { metric, value: pct(last.value), pct: Math.round(worse * 100), mean: pct(m) }, lang), quiet);
      }
    } else if (rule.kind === 'trend') {
      const recent = series.slice(-rule.window).map((p) => ({ x: p.at, y: p.value }));
      if (recent.length < Math.min(rule.window, 3)) return;
      const proj = projectedBreach(recent, rule.threshold, rule.direction, rule.horizonMinutes * 60_000);
      if (proj?.breach) {
        const params = { metric, value: pct(last.value), projected: pct(proj.projected), minutes: rule.horizonMinutes, threshold: pct(rule.threshold) };
        this.fire(rule, contentId, '', last.value, proj.projected, renderText('alert.trend', params, lang), quiet);
      }
    }
  }

  private evalRegional(rule: Rule, contentId: number, quiet: boolean): void {
    const values = this.metrics.latestByRegion([contentId], rule.metric);
    if (values.length < 2) return;
    const g = regionalGaps(values, rule.threshold);
    for (const v of g.values) {
      if (v.gap < -rule.threshold) {
        const region = REGIONS.find((r) => r.code === v.code)?.name ?? v.code;
        const lang = this.lang();
        // The metric's name mid-sentence, lower case, in the language the alert is stored in.
        const metric = TERMS[lang][`metric.${rule.metric}`].toLowerCase();
        const params = { region, metric, value: fmtValue(rule.metric, v.value, lang), pct: Math.round(-v.gap * 100), mean: fmtValue(rule.metric, g.mean ?? 0, lang) };
        this.fire(rule, contentId, v.code, v.value, g.mean, renderText('alert.regional', params, lang), quiet);
      }
    }
  }

  private fire(rule: Rule, contentId: number, region: string, value: number, reference: number | null, message: string, quiet = false): void {
    const live = this.alertsRepo.liveAlert(rule.id, contentId, region);
    if (live) {
      if (live.value !== value) {
        this.alertsRepo.refreshAlert(live.id, value, reference, message);
        this.d.events.emit('alerts.changed', { alert: this.alert(live.id), reason: 'updated' });
      }
      return;
    }
    const now = this.d.now();
    const sla = rule.slaMinutes || DEFAULT_SLA_MINUTES[rule.severity];
    const id = this.alertsRepo.insertAlert({ ruleId: rule.id, contentId, metric: rule.metric, region, severity: rule.severity, value, reference, message, firedAt: now, dueAt: now + sla * (this.d.slaMinuteMs ?? 60_000) });
    const alert = this.alert(id);
    this.d.events.emit('alerts.changed', { alert, reason: 'fired' });
    if (!quiet) void this.notifier.send(messageForAlert(alert, 'fired', this.lang()));
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
    for (const row of this.alertsRepo.overdue(now)) {
      this.alertsRepo.markEscalated(row.id);
      const alert = this.alert(row.id);
      this.d.events.emit('alerts.changed', { alert, reason: 'escalated' });
      void this.notifier.send(messageForAlert(alert, 'escalated', this.lang()));
    }
  }

  alert(id: number): Alert {
    const row = this.alertsRepo.alert(id);
    if (!row) throw new ApiError('metrics.alertNotFound', { id });
    return this.toAlerts([row])[0] as Alert;
  }

  listAlerts(includeResolved: boolean): Alert[] {
    return this.toAlerts(this.alertsRepo.alerts({ includeResolved, limit: 500 }));
  }

  private toAlerts(rows: AlertRow[]): Alert[] {
    const ints = this.alertsRepo.interventions(rows.map((r) => r.id));
    const now = this.d.now();
    return rows.map((r) => {
      const series = ints.some((i) => i.alert_id === r.id) ? this.seriesOf(r.content_id, r.metric, r.region) : [];
      const interventions: Intervention[] = ints
        .filter((i) => i.alert_id === r.id)
        .map((i) => {
          const e = interventionEffect(series, i.at, r.resolved_at ?? now, METRIC_INFO[r.metric].higherIsBetter);
          return {
            id: i.id,
            alertId: r.id,
            what: i.what,
            who: i.who,
            at: iso(i.at),
            effect: { windowMinutes: Math.round(e.windowMs / 60_000), before: e.before, after: e.after, beforeCount: e.beforeCount, afterCount: e.afterCount, change: e.change, improved: e.improved },
          };
        });
      return {
        id: r.id,
        ruleId: r.rule_id,
        ruleName: r.rule_name,
        kind: r.kind,
        metric: r.metric,
        contentId: r.content_id,
        contentKey: r.content_key,
        contentTitle: r.content_title,
        region: r.region || null,
        severity: r.severity,
        state: r.state,
        escalated: r.escalated === 1,
        value: r.value,
        reference: r.reference,
        message: r.message,
        firedAt: iso(r.fired_at),
        dueAt: iso(r.due_at),
        acknowledgedAt: r.ack_at === null ? null : iso(r.ack_at),
        acknowledgedBy: r.ack_by,
        resolvedAt: r.resolved_at === null ? null : iso(r.resolved_at),
        resolvedBy: r.resolved_by,
        interventions,
      };
    });
  }

  acknowledge(id: number, by: string): Alert {
    const a = this.alert(id);
    if (a.state === 'acknowledged') throw new ApiError('metrics.alertAlreadyAcknowledged');
    if (a.state === 'intervened') throw new ApiError('metrics.alertAlreadyIntervened');
    if (a.state === 'resolved') throw new ApiError('metrics.alertAlreadyResolved');
    this.alertsRepo.setState(id, 'acknowledged', { ackAt: this.d.now(), ackBy: by });
    return this.changed(id, 'acknowledged');
  }

  intervene(id: number, what: string, who: string): Alert {
    const a = this.alert(id);
    if (a.state === 'resolved') throw new ApiError('metrics.alertResolvedNoIntervention');
    const now = this.d.now();
    this.d.db.transaction(() => {
      this.alertsRepo.addIntervention(id, what, who, now);
      // Recording what was done also takes the alert in charge, if nobody had yet.
      this.alertsRepo.setState(id, 'intervened', a.state === 'open' ? { ackAt: now, ackBy: who } : {});
    })();
    return this.changed(id, 'intervened');
  }

  resolve(id: number, by: string): Alert {
    const a = this.alert(id);
    if (a.state === 'resolved') throw new ApiError('metrics.alertAlreadyResolved');
    if (a.state !== 'intervened') throw new ApiError('metrics.alertNeedsIntervention');
    this.alertsRepo.setState(id, 'resolved', { resolvedAt: this.d.now(), resolvedBy: by });
    return this.changed(id, 'resolved');
  }

  private changed(id: number, reason: 'acknowledged' | 'intervened' | 'resolved'): Alert {
    const alert = this.alert(id);
    this.d.events.emit('alerts.changed', { alert, reason });
    return alert;
  }

  saveRule(id: number | undefined, rule: ParsedRuleInput): Rule {
    if (id !== undefined && !this.alertsRepo.rule(id)) throw new ApiError('metrics.ruleNotFound', { id });
    if (rule.kind === 'regional_gap' && rule.metric !== 'regional_conversion_rate') {
      throw new ApiError('metrics.ruleGapMetric');
    }
    if ((rule.kind === 'relative_drop' || rule.kind === 'regional_gap') && !(rule.threshold > 0 && rule.threshold < 1)) {
      throw new ApiError('metrics.ruleThresholdFraction');
    }
    return this.alertsRepo.saveRule(id ?? null, rule, this.d.now());
  }

  // ── Notifications ──────────────────────────────────────────────────────────────────
  notifySettings(): NotifySettings {
    const raw = this.alertsRepo.getInternal('notify.settings');
    if (!raw) return DEFAULT_NOTIFY_SETTINGS;
    try {
      const r = NotifySettingsSchema.safeParse({ ...DEFAULT_NOTIFY_SETTINGS, ...(JSON.parse(raw) as object) });
      return r.success ? r.data : DEFAULT_NOTIFY_SETTINGS;
    } catch {
      return DEFAULT_NOTIFY_SETTINGS;
    }
  }

  notifySecrets(): NotifySecrets {
    const raw = this.alertsRepo.getInternal('notify.secrets');
    if (!raw) return {};
    try {
      const plain = this.d.secrets.decrypt(Buffer.from(raw, 'base64'));
      const r = NotifySecretsSchema.safeParse(JSON.parse(plain));
      return r.success ? r.data : {};
    } catch (err) {
      this.d.logger.warn('notify: segreti non leggibili (chiave cambiata?)', { err: String(err) });
      return {};
    }
  }

  notifyConfig(): NotifyConfig {
    const s = this.notifySecrets();
    return {
      settings: this.notifySettings(),
      secretsSet: Object.entries(s).filter(([, v]) => typeof v === 'string' && v !== '').map(([k]) => k),
      secretBackend: this.d.secrets.backend,
    };
  }

  updateNotify(settings: NotifySettings | undefined, secrets: NotifySecrets | undefined): NotifyConfig {
    if (settings) this.alertsRepo.setInternal('notify.settings', JSON.stringify(settings));
    if (secrets) {
      // A secret sent as '' is cleared; one not sent is kept.
      const merged: Record<string, string> = { ...(this.notifySecrets() as Record<string, string>) };
      for (const [k, v] of Object.entries(secrets)) {
        if (v === undefined) continue;
        if (v === '') delete merged[k];
        else merged[k] = v;
      }
      this.alertsRepo.setInternal('notify.secrets', this.d.secrets.encrypt(JSON.stringify(merged)).toString('base64'));
    }
    return this.notifyConfig();
  }

  async testNotify(channel: NotifyChannel): Promise<Delivery[]> {
    const out = await this.notifier.send(testMessage(this.lang()), channel);
    return out.map((d, i) => ({ id: i, ...d }));
  }

  private lang(): ErrorLang {
    return this.d.lang?.() ?? 'it';
  }
}

/** A metric's value as an alert writes it, with the decimal mark of the language. */
export function fmtValue(metric: MetricId, v: number, lang: ErrorLang = 'it'): string {
  const locale = lang === 'en' ? 'en-GB' : 'it-IT';
  const u = METRIC_INFO[metric].unit;
  if (u === 'rate') return `${(v * 100).toLocaleString(locale, { maximumFractionDigits: 1 })}%`;
  if (u === 'seconds') return `${v.toLocaleString(locale, { maximumFractionDigits: 1 })} s`;
  return v.toLocaleString(locale, { maximumFractionDigits: 2 });
}

/**
 * The points of one or more series (sorted by time) as at most `cap` time buckets, each the
 * mean of the values in it: several contents of a channel read as one line, not a zigzag.
 */
export function bucket(pts: readonly { at: number; value: number }[], cap: number): { t: string; v: number }[] {
  if (pts.length === 0) return [];
  const first = (pts[0] as { at: number }).at;
  const last = (pts[pts.length - 1] as { at: number }).at;
  const distinct = new Set(pts.map((p) => p.at)).size;
  // One bucket per instant while they fit; otherwise equal slices of the time span.
  const width = distinct <= cap ? 0 : (last - first) / cap;
  const out: { t: string; v: number }[] = [];
  let key = Number.NaN;
  let sum = 0;
  let n = 0;
  let at = first;
  const flush = (): void => {
    if (n > 0) out.push({ t: iso(at), v: sum / n });
  };
  for (const p of pts) {
    const k = width === 0 ? p.at : Math.min(cap - 1, Math.floor((p.at - first) / width));
    if (k !== key) {
      flush();
      key = k;
      sum = 0;
      n = 0;
    }
    sum += p.value;
    n++;
    at = p.at;
  }
  flush();
  return out;
}

export { MACRO_AREAS };
