// The one way every area writes to the audit log: who (person, roles), what, on what,
// and the hash of the content when there is one. Details must never carry secrets.
//
// Who calls record():
// - the dispatcher (core/api/dispatch.ts), for every op: the row its declaration describes
//   (each feature's ops.ts), a refusal, or a failure. Services never write an op's row
//   themselves; they hand it their facts with noteAudit() (core/api/call-scope.ts).
// - services, for system events that are no op: what the outbox worker does (publishing.*
//   published, reconciled, failed, interrupted, and an entry enqueued by the responses
//   workflow), a response settled by the outbox (responses.published, publishFailed), a
//   source paused by the scheduler (sources.paused).
import type { Actor } from '../../shared/auth';
import type { AnchorCopyStatus, AuditFilter, AuditRow, AuditVerifyResult } from '../../shared/ops/audit';
import { ApiError } from '../../shared/contract';
import type { AuditEntry, AuditRepo, AuditVerification } from '../store/audit-repo';
import { AUDIT_CSV_COLUMNS, type AuditQuery } from '../store/audit-query';
import { csvCell } from '../csv-cell';
import type { AnchorCheck, AuditAnchor } from './anchor';

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
    private readonly query: AuditQuery,
    private readonly now: () => number,
    /** The outside anchor of the chain's head; absent in read-only uses. */
    private readonly anchor: AuditAnchor | null = null,
  ) {}

  record(actor: Actor, action: string, subject: string | null, detail: Record<string, unknown> = {}, contentHash: string | null = null): AuditEntry {
    const entry = this.repo.append(
      { actor: actor.username, userId: actor.userId, roles: actor.roles, action, subject, detail: scrub(detail), contentHash },
      this.now(),
    );
    this.anchor?.touch();
    return entry;
  }

  /** Writes the anchor now (at shutdown: the last rows must not wait for the debounce). */
  flushAnchor(): void {
    this.anchor?.flush();
  }

  verify(): AuditVerification {
    return this.repo.verify();
  }

  mentionsUser(userId: number): boolean {
    return this.repo.mentionsUser(userId);
  }

  verifyResult(): AuditVerifyResult {
    const hashOf = (id: number): string | null => this.repo.hashOf(id);
    return toVerifyResult(this.repo.verify(), this.anchor ? this.anchor.check(hashOf) : { state: 'none' }, this.anchor?.checkCopy(hashOf) ?? null);
  }

  anchorCopyStatus(): AnchorCopyStatus {
    if (!this.anchor) throw new ApiError('audit.anchorReadOnly');
    return this.anchor.copyStatus();
  }

  setAnchorCopy(dir: string | null): AnchorCopyStatus {
    if (!this.anchor) throw new ApiError('audit.anchorReadOnly');
    return this.anchor.setCopyDir(dir);
  }

  page(filter: AuditFilter, before: number | undefined, limit: number): { items: AuditRow[]; total: number; next: number | null } {
    return this.query.page(filter, before, limit);
  }

  facets(): { actors: string[]; actions: string[] } {
    return this.query.facets();
  }

  /** CSV (RFC 4180, formula-safe cells) of the matching rows, oldest first; returns the row count. */
  exportCsv(filter: AuditFilter, write: (chunk: string) => void): number {
    return writeAuditCsv(this.query.iterate(filter), write);
  }
}

/**
 * The chain's own check and the anchors', as one answer: any failing fails the log. A
 * missing anchor ('none': a folder from before anchoring, an unmounted copy folder) is said,
 * not failed.
 */
export function toVerifyResult(v: AuditVerification, anchor: AnchorCheck, anchorCopy: AnchorCheck | null = null): AuditVerifyResult {
  const broken = v.ok ? null : v.brokenRow;
  const holds = (a: AnchorCheck | null): boolean => a === null || a.state === 'ok' || a.state === 'none';
  return { ok: v.ok && holds(anchor) && holds(anchorCopy), entries: v.entries, broken, anchor, anchorCopy };
}

export function writeAuditCsv(rows: Iterable<AuditRow>, write: (chunk: string) => void): number {
  let buf = `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
  let n = 0;
  for (const r of rows) {
    const cells = [r.id, new Date(r.at).toISOString(), r.actor, r.userId, r.roles ? r.roles.join('|') : null, r.action, r.subject, r.detail, r.contentHash, r.hash];
    buf += `${cells.map((c) => csvCell(c)).join(',')}\r\n`;
    n++;
    if (buf.length > 65_536) {
      write(buf);
      buf = '';
    }
  }
  if (buf) write(buf);
  return n;
}
