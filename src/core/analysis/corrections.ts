// A person corrects a mention's sentiment. One write transaction holds the label every
// aggregate reads, the history row, the audit entry and the moments' counters (the op is
// declared atomic: the dispatcher writes the row in the transaction it opens around this
// call); then open screens hear of it and the workspace layer retrains in the background.
//
// Rules (README, Sentiment): setting the label a mention already shows changes nothing (no
// history, no audit: a double key press is not two decisions). Setting the engine's own label
// on a corrected mention undoes the correction ("corretto da" goes, the mention leaves the
// layer's examples). Any other change is a correction by this person, replacing the last
// one. Every change is kept in sentiment_corrections and in the audit.
import type { Actor } from '../../shared/auth';
import { ApiError } from '../../shared/contract';
import type { Mention } from '../../shared/schemas';
import type { SentimentLabel } from '../../shared/sentiment';
import { noteAudit, skipAudit } from '../api/call-scope';
import type { Handlers } from '../api/dispatch';
import type { EventBus } from '../api/events';
import type { MomentsService } from '../moments';
import { effectiveScore, type MentionsRepo } from '../store/mentions-repo';
import type { SentimentCorrectionsRepo } from '../store/sentiment-corrections-repo';
import type { WorkspaceLayerTrainer } from './layer-trainer';

export interface CorrectionsDeps {
  repo: SentimentCorrectionsRepo;
  mentions: MentionsRepo;
  events: EventBus;
  moments: Pick<MomentsService, 'relabel'>;
  trainer: Pick<WorkspaceLayerTrainer, 'kick'>;
  /** Adds what the inbox shows beside a stored mention (theme chips). */
  decorate: (items: Mention[]) => Mention[];
  now: () => number;
}

export class SentimentCorrections {
  constructor(private readonly d: CorrectionsDeps) {}

  correct(actor: Actor, id: number, label: SentimentLabel): Mention {
    const change = this.d.repo.transaction(() => this.#apply(actor, id, label));
    if (change === null) skipAudit();
    else noteAudit({ detail: { mentionId: id, ...change } });
    const stored = this.d.mentions.get(id);
    if (!stored) throw new ApiError('mentions.notFound', { id });
    const mention = this.d.decorate([stored])[0] ?? stored;
    if (change !== null) {
      this.d.events.emit('mentions.updated', { items: [mention] });
      this.d.trainer.kick();
    }
    return mention;
  }

  /**
   * A bulk action's corrections (the same rules, one by one, in one transaction): each
   * mention's label before, for those that changed; one mentions.updated for them all. The
   * bulk op writes its one audit row; each change is kept in the history as a single one is.
   */
  correctMany(actor: Actor, items: readonly { id: number; label: SentimentLabel }[]): { id: number; label: SentimentLabel }[] {
    const previous = this.d.repo.transaction(() =>
      items.flatMap(({ id, label }) => {
        const change = this.#apply(actor, id, label);
        // A mention never scored has no label to go back to (rows from before sentiment existed).
        return change === null || change.from === null ? [] : [{ id, label: change.from }];
      }),
    );
    if (previous.length > 0) {
      const stored = previous.map((p) => this.d.mentions.get(p.id)).filter((m): m is Mention => m !== null);
      this.d.events.emit('mentions.updated', { items: this.d.decorate(stored) });
      this.d.trainer.kick();
    }
    return previous;
  }

  /** One mention's change, inside the caller's transaction; null when it already shows that label. */
  #apply(actor: Actor, id: number, label: SentimentLabel): { from: SentimentLabel | null; to: SentimentLabel; model: SentimentLabel | null; revert?: true } | null {
    const st = this.d.repo.state(id);
    if (!st) throw new ApiError('mentions.notFound', { id });
    if (st.label === label) return null;
    const revert = st.correctedAt !== null && label === st.modelLabel;
    const at = this.d.now();
    // The system actor (CLI, tests) is no row of users.
    const userId = actor.userId > 0 ? actor.userId : null;
    this.d.repo.apply(id, label, revert ? null : userId, revert ? null : at);
    this.d.repo.addHistory({ mentionId: id, label, previousLabel: st.label, userId, createdAt: at });
    // In the same transaction: a moment's counts never disagree with the stored label.
    this.d.moments.relabel(
      id,
      { label: st.label, score: effectiveScore(st.score, st.label, st.correctedAt !== null) },
      { label, score: effectiveScore(st.score, label, !revert) },
    );
    return { from: st.label, to: label, model: st.modelLabel, ...(revert ? { revert: true as const } : {}) };
  }
}

export function correctionHandlers(svc: SentimentCorrections): Pick<Handlers, 'mentions.correctSentiment'> {
  return {
    'mentions.correctSentiment': ({ id, label }, ctx) => svc.correct(ctx.actor, id, label),
  };
}
