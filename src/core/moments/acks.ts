// Taking a moment in charge: acknowledging a crisis drops its banner on every screen, records who
// and when (audited, in the same transaction: the op is declared atomic) and assigns the moment
// to that person. A rebuild renumbers moments: each acknowledgement follows its moment by
// anchor, as the pre-intervention checklist does.
import { ApiError } from '../../shared/contract';
import type { Actor } from '../../shared/auth';
import type { MomentSummary } from '../../shared/moments';
import type { EventBus } from '../api/events';
import { noteAudit, skipAudit } from '../api/call-scope';
import type { Db } from '../store/db';
import { MomentAcksRepo } from '../store/moment-acks-repo';
import { anchorOf, reattachByAnchor } from './anchor';
import type { MomentsService } from './service';

export interface MomentAcksDeps {
  db: Db;
  events: EventBus;
  moments: MomentsService;
  /** Wall clock: when the person acknowledged. */
  now: () => number;
}

export class MomentAcks {
  private readonly repo: MomentAcksRepo;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: MomentAcksDeps) {
    this.repo = new MomentAcksRepo(deps.db);
    // Subscribed before any adapter: the rebuilt moments carry their acknowledgement again
    // before a client re-reads them.
    this.unsubscribe = deps.moments.changes.on(({ rebuilt }) => {
      if (rebuilt) this.reattach();
    });
  }

  stop(): void {
    this.unsubscribe();
  }

  acknowledge(id: number, actor: Actor): MomentSummary {
    const mrepo = this.deps.moments.repo;
    const row = mrepo.get(id);
    if (!row) throw new ApiError('moments.notFound', { id });
    // The first person who took it in charge keeps it: a second click changes nothing.
    if (this.repo.of(id, row.kind, row.opened_at)) {
      skipAudit();
      return this.deps.moments.summary(row);
    }
    const anchor = anchorOf(mrepo, id)!;
    const at = this.deps.now();
    this.deps.db.transaction(() => {
      this.repo.put(id, {
        anchor: JSON.stringify(anchor),
        user_id: actor.userId > 0 ? actor.userId : null,
        username: actor.username,
        display_name: actor.displayName,
        acknowledged_at: at,
      });
      noteAudit({ detail: { momentId: id, kind: row.kind, title: row.title, openedAt: new Date(row.opened_at).toISOString() } });
    })();
    const summary = this.deps.moments.summary(row);
    this.deps.events.emit('moments.acknowledged', { moment: summary });
    return summary;
  }

  /** After a rebuild: each acknowledgement follows its moment, re-anchored to its new opening. */
  private reattach(): void {
    const mrepo = this.deps.moments.repo;
    this.deps.db.transaction(() => {
      reattachByAnchor(mrepo, this.repo.all(), (id) => this.repo.delete(id), (to, r) => {
        const anchor = to > 0 ? anchorOf(mrepo, to) : null;
        this.repo.put(to, { ...r, anchor: anchor ? JSON.stringify(anchor) : r.anchor });
      });
    })();
  }
}
