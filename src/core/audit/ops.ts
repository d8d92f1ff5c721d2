// Access and audit of the audit log itself: everyone signed in reads it (analysts see
// everything); nobody changes it; exporting it is itself worth a row.
import type { auditOperations } from '../../shared/ops/audit';
import type { OpDeclarations } from '../api/call-scope';
import { READ } from '../auth/permissions';

export const auditOps: OpDeclarations<keyof typeof auditOperations> = {
  'audit.list': { access: READ, mutates: false, audit: false },
  'audit.facets': { access: READ, mutates: false, audit: false },
  'audit.verify': { access: READ, mutates: false, audit: false },
  'audit.exportCsv': { access: READ, mutates: false, audit: ({ filter }, out) => ({ action: 'audit.export', subject: null, detail: { rows: out.rows, filter } }) },
};
