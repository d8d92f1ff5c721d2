// What the responses service needs from the rest of core, injected so it tests alone.
import type { Actor } from '../../shared/auth';
import type { Severity } from '../../shared/policy';
import type { Stance } from '../../shared/perimeters';
import type { TargetKind } from '../../shared/responses';

/** The one audit method every area calls (AuditService.record of the auth foundation). */
export interface AuditSink {
  record(actor: Actor, action: string, subject: string | null, detail?: Record<string, unknown>, contentHash?: string | null): void;
}

export interface TargetFacts {
  title: string;
  themes: { id: number; name: string; stance: Stance }[];
  /** The mention a reply goes under (the mention itself, or none for a moment). */
  mentionId: number | null;
  /** Suggested severity when the author gives none (a crisis is critical, a reply on the brand's own thread high). */
  severity: Severity;
  /** The brand whose own account or thread the target mention is on; null otherwise. */
  ownedBy?: string | null;
}

export type TargetResolver = (kind: TargetKind, id: number) => TargetFacts | null;
