// Alert rules: their validation when saved, and their evaluation on the series a batch of
// points touched (and on every active series by the minute's sweep). A threshold, a relative
// drop against the series' own history, a trend projected to cross the threshold, a region
// below the others: a hit fires an alert (alerts.ts).
import { ApiError } from '../../shared/contract';
import type { ParsedRuleInput, Rule } from '../../shared/alerts';
import { METRIC_INFO, type Channel, type MetricId } from '../../shared/metrics';
import { REGIONS } from '../../shared/regions';
import type { AlertsRepo } from '../store/alerts-repo';
import type { MetricsRepo } from '../store/metrics-repo';
import type { AlertLifecycle } from './alerts';
import { mean, projectedBreach, regionalGaps, relativeWorsening } from './formulas';
import { fmtValue, METRIC_LABEL_IT, seriesOf } from './series';

const COUNTERS = new Set<MetricId>(['likes', 'comments', 'shares', 'views']);

/** A series a batch of points touched. */
export interface Touched {
  contentId: number;
  metric: MetricId;
  region: string;
}

export class AlertRules {
  constructor(
    private readonly metrics: MetricsRepo,
    private readonly alertsRepo: AlertsRepo,
    private readonly alerts: AlertLifecycle,
    private readonly now: () => number,
  ) {}

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
    const series = seriesOf(this.metrics, this.now, contentId, rule.metric, '', rule.kind === 'threshold' ? 1 : rule.window + 1);
    const last = series[series.length - 1];
    if (!last) return;
    const info = METRIC_INFO[rule.metric];
    const pct = (v: number): string => fmtValue(rule.metric, v);
    const name = METRIC_LABEL_IT[rule.metric];
    if (rule.kind === 'threshold') {
      const hit = rule.direction === 'above' ? last.value > rule.threshold : last.value < rule.threshold;
      if (hit) this.alerts.fire(rule, contentId, '', last.value, rule.threshold, `${name} ${pct(last.value)} (${rule.direction === 'above' ? 'oltre' : 'sotto'} la soglia ${pct(rule.threshold)})`, quiet);
    } else if (rule.kind === 'relative_drop') {
      const baseline = series.slice(-rule.window - 1, -1).map((p) => p.value);
      const worse = relativeWorsening(last.value, baseline, info.higherIsBetter);
      if (worse !== null && worse >= rule.threshold) {
        const m = mean(baseline) as number;
        this.alerts.fire(rule, contentId, '', last.value, m, `${name} ${pct(last.value)}, ${Math.round(worse * 100)}% peggio della media storica ${pct(m)}`, quiet);
      }
    } else if (rule.kind === 'trend') {
      const recent = series.slice(-rule.window).map((p) => ({ x: p.at, y: p.value }));
      if (recent.length < Math.min(rule.window, 3)) return;
      const proj = projectedBreach(recent, rule.threshold, rule.direction, rule.horizonMinutes * 60_000);
      if (proj?.breach) {
        this.alerts.fire(rule, contentId, '', last.value, proj.projected, `${name} ${pct(last.value)}, in tendenza verso ${pct(proj.projected)} entro ${rule.horizonMinutes} min (soglia ${pct(rule.threshold)})`, quiet);
      }
    }
  }

  private evalRegional(rule: Rule, contentId: number, quiet: boolean): void {
    const values = this.metrics.latestByRegion([contentId], rule.metric);
    if (values.length < 2) return;
    const g = regionalGaps(values, rule.threshold);
    for (const v of g.values) {
      if (v.gap < -rule.threshold) {
        const name = REGIONS.find((r) => r.code === v.code)?.name ?? v.code;
        this.alerts.fire(rule, contentId, v.code, v.value, g.mean, `${name}: ${METRIC_LABEL_IT[rule.metric].toLowerCase()} ${fmtValue(rule.metric, v.value)}, ${Math.round(-v.gap * 100)}% sotto la media delle regioni ${fmtValue(rule.metric, g.mean ?? 0)}`, quiet);
      }
    }
  }

  saveRule(id: number | undefined, rule: ParsedRuleInput): Rule {
    if (id !== undefined && !this.alertsRepo.rule(id)) throw new ApiError('metrics.ruleNotFound', { id });
    if (rule.kind === 'regional_gap' && rule.metric !== 'regional_conversion_rate') {
      throw new ApiError('metrics.ruleGapMetric');
    }
    if ((rule.kind === 'relative_drop' || rule.kind === 'regional_gap') && !(rule.threshold > 0 && rule.threshold < 1)) {
      throw new ApiError('metrics.ruleThresholdFraction');
    }
    return this.alertsRepo.saveRule(id ?? null, rule, this.now());
  }
}
