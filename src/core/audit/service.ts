// The one way every area writes to the audit log: who (person, roles), what, on what,
// and the hash of the content when there is one. Details must never carry secrets.
import type { Actor } from '../../shared/auth';
import type { AuditEntry, AuditRepo, AuditVerification } from '../store/audit-repo';

/** Keys whose values are never written to the audit, whatever a caller passes. */
const SECRET_KEY = /pass(word)?|secret|token|credential|api[-_]?key|authorization|cookie/i;

function scrub(detail: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(detail)) {
    if (SECRET_KEY.test(k)) out[k] = '[omesso]';
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = scrub(v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

export class AuditService {
  constructor(
    private readonly repo: AuditRepo,
    private readonly now: () => number,
  ) {}

  record(actor: Actor, action: string, subject: string | null, detail: Record<string, unknown> = {}, contentHash: string | null = null): AuditEntry {
    return this.repo.append(
      { actor: actor.username, userId: actor.userId, roles: actor.roles, action, subject, detail: scrub(detail), contentHash },
      this.now(),
    );
  }

  verify(): AuditVerification {
    return this.repo.verify();
  }

  mentionsUser(userId: number): boolean {
    return this.repo.mentionsUser(userId);
  }
}
