import type { auditOperations } from '../../shared/ops/audit';
import type { Handlers } from '../api/dispatch';
import type { AuditService } from './service';

type AuditHandlers = Pick<Handlers, keyof typeof auditOperations>;

export function auditHandlers(audit: AuditService, now: () => number): AuditHandlers {
  return {
    'audit.anchorCopy': () => audit.anchorCopyStatus(),
    'audit.setAnchorCopy': ({ dir }) => audit.setAnchorCopy(dir),
    'audit.list': ({ filter, before, limit }) => audit.page(filter, before, limit),
    'audit.facets': () => audit.facets(),
    'audit.verify': () => audit.verifyResult(),
    'audit.exportCsv': ({ filter }) => {
      let csv = '';
      const rows = audit.exportCsv(filter, (chunk) => (csv += chunk));
      const day = new Date(now()).toISOString().slice(0, 10);
      return { fileName: `vedetta-audit-${day}.csv`, csv, rows };
    },
  };
}
