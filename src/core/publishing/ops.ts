// Access and audit of publishing. What the outbox does on its own (an entry enqueued by the
// responses workflow, sent, reconciled, failed, interrupted by a crash) is not an op: the
// service writes those rows through the audit writer, in the transaction of the change.
import type { OpName } from '../../shared/contract';
import type { OpDeclarations } from '../api/call-scope';
import { READ } from '../auth/permissions';

// Channels decide where responses go and whether legal must review: admin and strategist.
const CHANNEL_KEEPERS = ['admin', 'strategist'] as const;
// Whoever posts by hand records where; a failed entry is re-queued by the same people.
const POSTERS = ['admin', 'manager'] as const;

export const publishingOps: OpDeclarations<Extract<OpName, `publishing.${string}`>> = {
  'publishing.channels': { access: READ, mutates: false, audit: false },
  'publishing.channelCreate': {
    access: CHANNEL_KEEPERS,
    mutates: true,
    audit: (_i, ch) => ({
      subject: `channel:${ch.id}`,
      detail: { name: ch.name, kind: ch.kind, requiresLegal: ch.requiresLegal, config: ch.config, sealedFields: [...ch.secretNames].sort() },
    }),
  },
  // The service notes what changed (which credentials, never their values).
  'publishing.channelUpdate': {
    access: CHANNEL_KEEPERS,
    mutates: true,
    target: (i) => `channel:${i.id}`,
    audit: (i, ch) => ({ action: i.enabled === false ? 'publishing.channelDisable' : 'publishing.channelUpdate', subject: `channel:${ch.id}` }),
  },
  'publishing.channelDisable': { access: CHANNEL_KEEPERS, mutates: true, target: (i) => `channel:${i.id}`, audit: (_i, ch) => ({ subject: `channel:${ch.id}` }) },
  // Tries the credentials against the platform; stores nothing.
  'publishing.channelTest': { access: CHANNEL_KEEPERS, mutates: false, audit: false },
  'publishing.outbox': { access: READ, mutates: false, audit: false },
  // The service notes the channel and URL when it records them; the same URL again changes
  // nothing. Atomic: the entry's new state and its row are one transaction.
  'publishing.recordManual': {
    access: POSTERS,
    mutates: true,
    atomic: true,
    target: (i) => `outbox:${i.id}`,
    audit: (_i, e, { note }) => (note ? { subject: `outbox:${e.id}`, contentHash: e.contentHash } : null),
  },
  'publishing.retry': {
    access: POSTERS,
    mutates: true,
    target: (i) => `outbox:${i.id}`,
    audit: (_i, e) => ({ subject: `outbox:${e.id}`, detail: { responseId: e.responseId, channel: e.channelName }, contentHash: e.contentHash }),
  },
};
