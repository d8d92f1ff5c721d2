// Contract handlers of the Tier 2 operations (see shared/ops/metrics.ts).
import type { Handlers } from '../api/dispatch';
import type { metricsOperations } from '../../shared/ops/metrics';
import type { MetricsService } from './service';

type MetricsHandlers = Pick<Handlers, keyof typeof metricsOperations>;

export function metricsHandlers(svc: MetricsService, audit: (action: string, subject: string, detail: Record<string, unknown>) => void): MetricsHandlers {
  return {
    'metrics.contents': ({ channel }) => svc.metrics.list(channel),
    'metrics.saveContent': (input) => {
      const c = svc.saveContent(input);
      audit('metrics.saveContent', c.key, { channel: c.channel });
      return c;
    },
    'metrics.record': ({ points }) => svc.ingest([], points),
    'metrics.panel': ({ channel, contentId, area }) => svc.panel(channel, contentId, area),
    'metrics.csvPreview': ({ content }) => svc.csvPreview(content),
    'metrics.csvImport': ({ fileName, content, mapping }) => {
      const r = svc.csvImport(fileName, content, mapping);
      audit('metrics.csvImport', fileName, { accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected.length, error: r.error });
      return r;
    },
    'alerts.list': ({ includeResolved }) => svc.listAlerts(includeResolved),
    'alerts.acknowledge': ({ id, by }) => {
      const a = svc.acknowledge(id, by);
      audit('alerts.acknowledge', String(id), { by });
      return a;
    },
    'alerts.intervene': ({ id, what, who }) => {
      const a = svc.intervene(id, what, who);
      audit('alerts.intervene', String(id), { what, who });
      return a;
    },
    'alerts.resolve': ({ id, by }) => {
      const a = svc.resolve(id, by);
      audit('alerts.resolve', String(id), { by });
      return a;
    },
    'alerts.rules': () => svc.alertsRepo.rules(),
    'alerts.saveRule': ({ id, rule }) => {
      const r = svc.saveRule(id, rule);
      audit('alerts.saveRule', String(r.id), { ...rule });
      return r;
    },
    'alerts.deleteRule': ({ id }) => {
      const deleted = svc.alertsRepo.deleteRule(id);
      audit('alerts.deleteRule', String(id), {});
      return { deleted };
    },
    'notify.get': () => svc.notifyConfig(),
    'notify.update': ({ settings, secrets }) => {
      const c = svc.updateNotify(settings, secrets);
      // Which secrets changed, never their values.
      audit('notify.update', 'notify', { settings: settings !== undefined, secrets: Object.keys(secrets ?? {}) });
      return c;
    },
    'notify.test': ({ channel }) => svc.testNotify(channel),
    'notify.deliveries': ({ limit }) => svc.alertsRepo.deliveries(limit),
  };
}
