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
import { fmtValue, seriesOf } from './series';
import { renderText, TERMS, type ErrorLang, type TermKey } from '../../shared/errors';

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
    /** The workspace's language: an alert's message is stored worded in it. */
    private readonly lang: () => ErrorLang = () => 'it',
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
    // Stored with the alert: worded now, in the workspace's language.
    const lang = this.lang();
    const pct = (v: number): string => fmtValue(rule.metric, v, lang);
    const metric: TermKey = `metric.${rule.metric}`;
    if (rule.kind === 'threshold') {
      const hit = rule.direction === 'above' ? last.value > rule.threshold : last.value < rule.threshold;
      const side = rule.direction === 'above' ? 'alert.above' : 'alert.below';
      if (hit) this.alerts.fire(rule, contentId, '', last.value, rule.threshold, renderText('alert.threshold', { metric, value: pct(last.value), side, threshold: pct(rule.threshold) }, lang), quiet);
    } else if (rule.kind === 'relative_drop') {
      const baseline = series.slice(-rule.window - 1, -1).map((p) => p.value);
      const worse = relativeWorsening(last.value, baseline, info.higherIsBetter);
      if (worse !== null && worse >= rule.threshold) {
        const m = mean(baseline) as number;
        this.alerts.fire(rule, contentId, '', last.value, m, renderText('alert.drop', { metric, value: pct(last.value), pct: Math.round(worse * 100), mean: pct(m) }, lang), quiet);
      }
    } else if (rule.kind === 'trend') {
      const recent = series.slice(-rule.window).map((p) => ({ x: p.at, y: p.value }));
      if (recent.length < Math.min(rule.window, 3)) return;
      const proj = projectedBreach(recent, rule.threshold, rule.direction, rule.horizonMinutes * 60_000);
      if (proj?.breach) {
        const params = { metric, value: pct(last.value), projected: pct(proj.projected), minutes: rule.horizonMinutes, threshold: pct(rule.threshold) };
        this.alerts.fire(rule, contentId, '', last.value, proj.projected, renderText('alert.trend', params, lang), quiet);
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
        this.alerts.fire(rule, contentId, v.code, v.value, g.mean, renderText('alert.regional', params, lang), quiet);
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
