// The audit feature's one face (issue #15): everything outside core/audit imports it from
// here. The one audit writer (a tamper-evident chain) every area records through, and its
// reads (the log, verification, the CSV export).
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { auditHandlers } from './handlers';
import { auditOps } from './ops';
import type { AuditService } from './service';

export { AuditService, toVerifyResult, writeAuditCsv } from './service';
export { ANCHOR_COPY_FILE, ANCHOR_COPY_SETTING, ANCHOR_FILE, AuditAnchor, checkAnchor, loadOrCreateAnchorKey, readAnchorKey, signAnchor, writeAnchor, type AnchorCopyPlace } from './anchor';
export { auditHandlers, auditOps };

export const auditEvents = { emits: [], consumes: [] } as const satisfies FeatureEvents;

export function auditModule(deps: { audit: AuditService; now: () => number }): FeatureModule {
  return featureModule({ name: 'audit', ops: auditOps, handlers: auditHandlers(deps.audit, deps.now), events: auditEvents });
}
