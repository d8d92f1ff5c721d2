// A channel's panel: its KPIs (of the whole channel or of one content), the video drop-off
// curve, compound engagement per content, the regional conversion gaps and the A/B test.
// Reads only.
import { CHANNEL_KPIS, type Channel, type Content, type Kpi, type MetricId, type Panel } from '../../shared/metrics';
import { REGIONS, type MacroArea } from '../../shared/regions';
import type { AlertsRepo } from '../store/alerts-repo';
import type { MetricsRepo } from '../store/metrics-repo';
import { dropOffCurve, mean, regionalGaps, std, twoProportionZTest } from './formulas';
import { bucket, compoundSeries } from './series';

const SERIES_CAP = 240;

export class Panels {
  constructor(
    private readonly metrics: MetricsRepo,
    private readonly alertsRepo: AlertsRepo,
    private readonly now: () => number,
  ) {}

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
      const s = compoundSeries(this.metrics, c.id);
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
    if (metric === 'compound_engagement') pts = ids.flatMap((id) => compoundSeries(this.metrics, id));
    else if (metric === 'sentiment_score') {
      const now = this.now();
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
}
