// Contract handlers of the Tier 2 operations (see shared/ops/metrics.ts); their access and
// audit are declared in ./ops.ts.
import type { Handlers } from '../api/dispatch';
import type { metricsOperations } from '../../shared/ops/metrics';
import type { MetricsService } from './service';

type MetricsHandlers = Pick<Handlers, keyof typeof metricsOperations>;

export function metricsHandlers(svc: MetricsService): MetricsHandlers {
  return {
    'metrics.contents': ({ channel }) => svc.metrics.list(channel),
    'metrics.saveContent': (input) => svc.saveContent(input),
    'metrics.record': ({ points }) => svc.ingest([], points),
    'metrics.panel': ({ channel, contentId, area }) => svc.panel(channel, contentId, area),
    'metrics.csvPreview': ({ content }) => svc.csvPreview(content),
    'metrics.csvImport': ({ fileName, content, mapping }) => svc.csvImport(fileName, content, mapping),
    'alerts.list': ({ includeResolved }) => svc.listAlerts(includeResolved),
    'alerts.acknowledge': ({ id }, ctx) => svc.acknowledge(id, ctx.actor.displayName),
    'alerts.intervene': ({ id, what }, ctx) => svc.intervene(id, what, ctx.actor.displayName),
    'alerts.resolve': ({ id }, ctx) => svc.resolve(id, ctx.actor.displayName),
    'alerts.rules': () => svc.alertsRepo.rules(),
    'alerts.saveRule': ({ id, rule }) => svc.saveRule(id, rule),
    'alerts.deleteRule': ({ id }) => ({ deleted: svc.alertsRepo.deleteRule(id) }),
    'notify.get': () => svc.notifyConfig(),
    'notify.update': ({ settings, secrets }) => svc.updateNotify(settings, secrets),
    'notify.test': ({ channel }) => svc.testNotify(channel),
    'notify.deliveries': ({ limit }) => svc.alertsRepo.deliveries(limit),
  };
}
