// The Tier 2 (metrics) feature's one face (issue #15): everything outside core/metrics
// imports it from here. Owned content, metric points (webhook, CSV, demo), panels, alert
// rules, alerts and their notifiers.
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { metricsHandlers } from './handlers';
import { metricsOps } from './ops';
import type { MetricsService } from './service';

export { MetricsService, type MetricsServiceDeps } from './service';
export { metricsHandlers, metricsOps };

export const metricsEvents = {
  emits: ['metrics.points', 'alerts.changed', 'notify.delivery', 'notify.desktop'],
  consumes: [],
} as const satisfies FeatureEvents;

export function metricsModule(deps: { metrics: MetricsService }): FeatureModule {
  return featureModule({ name: 'metrics', ops: metricsOps, handlers: metricsHandlers(deps.metrics), events: metricsEvents });
}
