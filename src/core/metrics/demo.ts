// The demo workspace's owned content (the fictional Caffè Aurora) and 36 hours of metric
// history, so Tier 2 has panels, a drop-off curve, an A/B test, a regional map and a few
// alerts to show the moment the demo opens. Deterministic for a given `now`.
import { REGIONS } from '../../shared/regions';
import type { ContentInput, MetricPointInput } from '../../shared/metrics';

const HOUR = 3600_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEMO_CONTENT: ContentInput[] = [
  { key: 'reel-crema-autunno', channel: 'instagram_reel', title: 'Reel · La crema d’autunno', url: 'https://example.com/aurora/reel-crema-autunno' },
  { key: 'reel-barista-casa', channel: 'instagram_reel', title: 'Reel · Barista a casa', url: 'https://example.com/aurora/reel-barista-casa' },
  { key: 'nl-novembre', channel: 'newsletter', title: 'Newsletter di novembre', variants: ['A', 'B'], control_variant: 'A' },
  { key: 'web-guida-moka', channel: 'web_article', title: 'Guida alla moka perfetta', url: 'https://example.com/aurora/guida-moka' },
  { key: 'post-capsule-compostabili', channel: 'social_post', title: 'Post · Capsule compostabili', url: 'https://example.com/aurora/capsule' },
  { key: 'post-natale-aurora', channel: 'social_post', title: 'Post · Il Natale di Aurora' },
  { key: 'loc-alto-adige-de', channel: 'localized', title: 'Kaffee Aurora · Südtirol (de)', region: '04' },
];

// Regions where the newsletter converts less: the map shows them and the gap rule fires.
const WEAK: Record<string, number> = { '15': 0.78, '19': 0.8, '18': 0.85 };

export function demoMetricHistory(now: number): { content: ContentInput[]; points: MetricPointInput[] } {
  const r = rng(20261123);
  const end = Math.floor(now / HOUR) * HOUR;
  const hours = 36;
  const points: MetricPointInput[] = [];
  const at = (h: number): string => new Date(end - (hours - 1 - h) * HOUR).toISOString();
  const push = (content: string, metric: MetricPointInput['metric'], value: number, time: string, extra: Partial<MetricPointInput> = {}): void => {
    points.push({ content, metric, value: Math.round(value * 10_000) / 10_000, time, tz: 'Europe/Rome', ...extra });
  };
  const noise = (scale: number): number => (r() - 0.5) * 2 * scale;

  for (let h = 0; h < hours; h++) {
    const time = at(h);
    // Reel 1: healthy.
    const v1 = 2_000 + h * 620;
    push('reel-crema-autunno', 'views', Math.round(v1), time);
    push('reel-crema-autunno', 'likes', Math.round(v1 * (0.082 + noise(0.004))), time);
    push('reel-crema-autunno', 'comments', Math.round(v1 * 0.011), time);
    push('reel-crema-autunno', 'shares', Math.round(v1 * 0.014), time);
    push('reel-crema-autunno', 'avg_time_on_watch', 14.2 + noise(0.8), time);
    push('reel-crema-autunno', 'drop_off_rate_30s', 0.24 + noise(0.015), time);
    push('reel-crema-autunno', 'drop_off_rate_60s', 0.41 + noise(0.015), time);
    push('reel-crema-autunno', 'drop_off_rate_90s', 0.57 + noise(0.015), time);
    push('reel-crema-autunno', 'share_rate', 0.014 + noise(0.001), time);
    if (h % 6 === 5) push('reel-crema-autunno', 'language_fit_score', 0.86 + noise(0.03), time);
    // Reel 2: viewers leave early in the last hours (a critical drop-off alert).
    const v2 = 1_200 + h * 300;
    const late = h >= hours - 3;
    push('reel-barista-casa', 'views', v2, time);
    push('reel-barista-casa', 'likes', Math.round(v2 * 0.06), time);
    push('reel-barista-casa', 'comments', Math.round(v2 * 0.008), time);
    push('reel-barista-casa', 'shares', Math.round(v2 * 0.006), time);
    push('reel-barista-casa', 'avg_time_on_watch', (late ? 8.5 : 12.5) + noise(0.6), time);
    push('reel-barista-casa', 'drop_off_rate_30s', (late ? 0.36 : 0.26) + noise(0.01), time);
    push('reel-barista-casa', 'drop_off_rate_60s', (late ? 0.55 : 0.43) + noise(0.01), time);
    push('reel-barista-casa', 'drop_off_rate_90s', (late ? 0.7 : 0.6) + noise(0.01), time);
    // Newsletter: CTR, bounce, time to click; variants every 6 hours.
    push('nl-novembre', 'ctr', 0.041 + noise(0.003), time);
    push('nl-novembre', 'bounce_rate', 0.12 + noise(0.01), time);
    push('nl-novembre', 'time_to_click', 95 + noise(12), time);
    push('nl-novembre', 'share_rate', 0.006 + noise(0.001), time);
    // Web article: bounce creeping up towards 30% (the trend rule projects the breach).
    push('web-guida-moka', 'bounce_rate', h < hours - 6 ? 0.21 + noise(0.01) : 0.22 + (h - (hours - 6)) * 0.014, time);
    push('web-guida-moka', 'ctr', 0.027 + noise(0.002), time);
    push('web-guida-moka', 'time_to_click', 41 + noise(5), time);
    push('web-guida-moka', 'share_rate', 0.009 + noise(0.001), time);
    // Social posts.
    for (const [key, base, eng] of [['post-capsule-compostabili', 3_000, 0.07], ['post-natale-aurora', 1_500, 0.05]] as const) {
      const v = base + h * 400;
      push(key, 'views', v, time);
      push(key, 'likes', Math.round(v * eng), time);
      push(key, 'comments', Math.round(v * eng * 0.18), time);
      push(key, 'shares', Math.round(v * eng * 0.22), time);
      push(key, 'share_rate', eng * 0.22 + noise(0.001), time);
      push(key, 'ctr', 0.018 + eng * 0.1 + noise(0.001), time);
    }
    // Localized content.
    push('loc-alto-adige-de', 'language_fit_score', 0.74 + noise(0.03), time);
    push('loc-alto-adige-de', 'ctr', 0.031 + noise(0.002), time);
    push('loc-alto-adige-de', 'bounce_rate', 0.18 + noise(0.01), time);
  }
  // A/B counts (cumulative) and conversion by region at the last hour.
  const last = at(hours - 1);
  push('nl-novembre', 'impressions', 24_000, last, { variant: 'A' });
  push('nl-novembre', 'clicks', 984, last, { variant: 'A' });
  push('nl-novembre', 'impressions', 24_000, last, { variant: 'B' });
  push('nl-novembre', 'clicks', 1_128, last, { variant: 'B' });
  for (const reg of REGIONS) {
    push('nl-novembre', 'regional_conversion_rate', 0.034 * (WEAK[reg.code] ?? 1 + noise(0.05)), last, { region: reg.code });
  }
  push('loc-alto-adige-de', 'regional_conversion_rate', 0.046, last, { region: '04' });
  // Published shortly before the history starts, a few hours apart.
  const content = DEMO_CONTENT.map((c, i) => ({ ...c, published_at: new Date(end - (hours + 2 + i * 3) * HOUR).toISOString() }));
  return { content, points };
}
