// Refused calls (no session, an expired one, the wrong role) are on record, but a flood of
// them (a script retrying with a dead session, someone probing) must not bloat the audit
// log: the first refusal of a kind is written at once, and the same refusal again (same
// person, op and reason) within the minute is counted, then written as one row saying how
// many times and between when.
import type { Actor } from '../../shared/auth';
import type { AuditWriter } from './call-scope';

export const REFUSAL_WINDOW_MS = 60_000;
/** Kinds of refusal tracked at once; beyond it the oldest are written out and forgotten. */
const MAX_KINDS = 10_000;

interface Kind {
  actor: Actor;
  op: string;
  detail: Record<string, unknown>;
  since: number;
  repeats: number;
  last: number;
}

export class RefusalLog {
  private readonly kinds = new Map<string, Kind>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: AuditWriter,
    private readonly now: () => number,
  ) {}

  refuse(actor: Actor, op: string, detail: Record<string, unknown>): void {
    const key = `${actor.userId}\u0000${actor.username}\u0000${op}\u0000${String(detail.motivo)}`;
    const t = this.now();
    const seen = this.kinds.get(key);
    if (seen && t - seen.since < REFUSAL_WINDOW_MS) {
      seen.repeats++;
      seen.last = t;
      return;
    }
    if (seen) this.writeRepeats(seen);
    this.kinds.delete(key);
    this.write(actor, op, null, detail);
    this.kinds.set(key, { actor, op, detail, since: t, repeats: 0, last: t });
    if (this.kinds.size > MAX_KINDS) {
      const [oldest, kind] = this.kinds.entries().next().value as [string, Kind];
      this.writeRepeats(kind);
      this.kinds.delete(oldest);
    }
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), REFUSAL_WINDOW_MS);
      this.timer.unref();
    }
  }

  /** Writes every count still open (at shutdown) and forgets them. */
  flush(): void {
    for (const k of this.kinds.values()) this.writeRepeats(k);
    this.kinds.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Kinds whose minute is over: their repeats are written, and they are forgotten. */
  private sweep(): void {
    const t = this.now();
    for (const [key, k] of this.kinds) {
      if (t - k.since < REFUSAL_WINDOW_MS) continue;
      this.writeRepeats(k);
      this.kinds.delete(key);
    }
    if (this.kinds.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private writeRepeats(k: Kind): void {
    if (k.repeats === 0) return;
    this.write(k.actor, k.op, null, { ...k.detail, ripetizioni: k.repeats, dal: new Date(k.since).toISOString(), al: new Date(k.last).toISOString() });
    k.repeats = 0;
  }
}
