// Access and audit of the audit log itself: everyone signed in reads it (analysts see
// everything); nobody changes it; exporting it is itself worth a row; administrators choose
// where the anchor's copy is kept.
import type { auditOperations } from '../../shared/ops/audit';
import type { OpDeclarations } from '../api/call-scope';
import { ADMINS, READ } from '../auth/permissions';

export const auditOps: OpDeclarations<keyof typeof auditOperations> = {
  'audit.list': { access: READ, mutates: false, audit: false },
  'audit.facets': { access: READ, mutates: false, audit: false },
  'audit.verify': { access: READ, mutates: false, audit: false },
  // Where the anchor's copy goes is an administrator's choice, and the choice is worth a row.
  'audit.anchorCopy': { access: ADMINS, mutates: false, audit: false },
  'audit.setAnchorCopy': { access: ADMINS, mutates: true, audit: ({ dir }) => ({ subject: 'audit-anchor', detail: { dir } }) },
  'audit.exportCsv': { access: READ, mutates: false, audit: ({ filter }, out) => ({ action: 'audit.export', subject: null, detail: { rows: out.rows, filter } }) },
};
