// Access and audit of moments: their settings, a rebuild, and taking a crisis in charge.
import { MOMENT_ACKNOWLEDGERS } from '../../shared/auth';
import type { momentsOperations } from '../../shared/ops/moments';
import type { OpDeclarations } from '../api/call-scope';
import { EDITORS, READ } from '../auth/permissions';

export const momentsOps: OpDeclarations<keyof typeof momentsOperations> = {
  'moments.list': { access: READ, mutates: false, audit: false },
  'moments.get': { access: READ, mutates: false, audit: false },
  'moments.settings': { access: READ, mutates: false, audit: false },
  'moments.settingsUpdate': { access: EDITORS, mutates: true, audit: (patch) => ({ subject: 'settings:moments', detail: { ...patch } }) },
  // Recomputes every moment from the stored mentions (they are renumbered).
  'moments.rebuild': { access: EDITORS, mutates: true, audit: () => ({ subject: 'moments' }) },
  // Taking a crisis in charge: everyone who acts for the brand; analysts see the banner only.
  // The service notes what the moment was; a second acknowledgement changes nothing and
  // writes nothing. Atomic: the acknowledgement and its row are one transaction.
  'moments.acknowledge': {
    access: MOMENT_ACKNOWLEDGERS,
    mutates: true,
    atomic: true,
    target: (i) => `moment:${i.id}`,
    audit: ({ id }) => ({ action: 'moment.acknowledge', subject: `moment:${id}` }),
  },
};
