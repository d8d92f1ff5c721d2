// Access and audit of sources. A source paused by the scheduler after repeated failures is a
// system event, not an op: the service writes it through the audit writer itself.
import type { sourcesOperations } from '../../shared/ops/sources';
import type { OpDeclarations } from '../api/call-scope';
import { EDITORS, READ } from '../auth/permissions';

export const sourcesOps: OpDeclarations<keyof typeof sourcesOperations> = {
  'sources.list': { access: READ, mutates: false, audit: false },
  'sources.add': {
    access: EDITORS,
    mutates: true,
    audit: (i, s) => ({ subject: `source:${s.id}`, detail: { kind: i.kind, name: s.name, intervalSec: s.intervalSec, config: i.config as Record<string, unknown> } }),
  },
  // The service notes whether the settings and the credentials changed (never their values).
  'sources.update': {
    access: EDITORS,
    mutates: true,
    target: (i) => `source:${i.id}`,
    audit: (i, s) => ({ subject: `source:${s.id}`, detail: { name: i.name, intervalSec: i.intervalSec } }),
  },
  // Pausing a paused source (resuming a running one) changes nothing and writes nothing.
  'sources.pause': { access: EDITORS, mutates: true, target: (i) => `source:${i.id}`, audit: (i, s) => ({ subject: `source:${i.id}`, detail: { name: s.name } }) },
  'sources.resume': { access: EDITORS, mutates: true, target: (i) => `source:${i.id}`, audit: (i, s) => ({ subject: `source:${i.id}`, detail: { name: s.name } }) },
  'sources.delete': {
    access: EDITORS,
    mutates: true,
    target: (i) => `source:${i.id}`,
    audit: (i, r) => ({ subject: `source:${i.id}`, detail: { name: r.name, deletedMentions: r.deletedMentions } }),
  },
  // Fetches a source once and shows what would be stored: stores nothing. Outbound traffic,
  // so editors only.
  'sources.test': { access: EDITORS, mutates: false, audit: false },
  // Fetches now and stores what is new, as the scheduler would.
  'sources.pollNow': { access: EDITORS, mutates: true, target: (i) => `source:${i.id}`, audit: (i, s) => ({ subject: `source:${i.id}`, detail: { name: s.name } }) },
};
