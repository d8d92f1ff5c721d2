// Access and audit of Tier 2: owned contents and their metric points, alerts and their
// rules, notification channels.
import type { metricsOperations } from '../../shared/ops/metrics';
import type { OpDeclarations } from '../api/call-scope';
import { EDITORS, READ } from '../auth/permissions';

export const metricsOps: OpDeclarations<keyof typeof metricsOperations> = {
  'metrics.contents': { access: READ, mutates: false, audit: false },
  'metrics.saveContent': { access: EDITORS, mutates: true, audit: (_i, c) => ({ subject: c.key, detail: { channel: c.channel } }) },
  // Points typed in by hand (the webhook's points are system ingestion, not an op).
  'metrics.record': {
    access: EDITORS,
    mutates: true,
    audit: ({ points }, r) => {
      const contents = [...new Set(points.map((p) => p.content))];
      return {
        subject: contents.length === 1 ? contents[0]! : null,
        detail: { points: points.length, accepted: r.accepted, duplicates: r.duplicates, updated: r.updated, late: r.late, rejected: r.rejected.length },
      };
    },
  },
  'metrics.panel': { access: READ, mutates: false, audit: false },
  // Reads the file and shows what would be imported; stores nothing.
  'metrics.csvPreview': { access: EDITORS, mutates: false, audit: false },
  'metrics.csvImport': {
    access: EDITORS,
    mutates: true,
    audit: ({ fileName }, r) => ({ subject: fileName, detail: { accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected.length, error: r.error } }),
  },
  'alerts.list': { access: READ, mutates: false, audit: false },
  // The row's actor is who acted: the signed-in person.
  'alerts.acknowledge': { access: EDITORS, mutates: true, target: (i) => String(i.id), audit: ({ id }) => ({ subject: String(id), detail: {} }) },
  'alerts.intervene': { access: EDITORS, mutates: true, target: (i) => String(i.id), audit: ({ id, what }) => ({ subject: String(id), detail: { what } }) },
  'alerts.resolve': { access: EDITORS, mutates: true, target: (i) => String(i.id), audit: ({ id }) => ({ subject: String(id), detail: {} }) },
  'alerts.rules': { access: READ, mutates: false, audit: false },
  'alerts.saveRule': { access: EDITORS, mutates: true, audit: ({ rule }, r) => ({ subject: String(r.id), detail: { ...rule } }) },
  'alerts.deleteRule': { access: EDITORS, mutates: true, target: (i) => String(i.id), audit: ({ id }) => ({ subject: String(id), detail: {} }) },
  'notify.get': { access: READ, mutates: false, audit: false },
  // Which secrets changed, never their values.
  'notify.update': {
    access: EDITORS,
    mutates: true,
    audit: ({ settings, secrets }) => ({ subject: 'notify', detail: { settings: settings !== undefined, secrets: Object.keys(secrets ?? {}) } }),
  },
  // Sends a test message to a configured channel and shows the outcome; stores nothing.
  'notify.test': { access: EDITORS, mutates: false, audit: false },
  'notify.deliveries': { access: READ, mutates: false, audit: false },
};
