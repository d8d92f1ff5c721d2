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
    const changed = this.d.repo.transaction(() => {
      const st = this.d.repo.state(id);
      if (!st) throw new ApiError('mentions.notFound', { id });
      if (st.label === label) {
        skipAudit();
        return false;
      }
      const revert = st.correctedAt !== null && label === st.modelLabel;
      const at = this.d.now();
      // The system actor (CLI, tests) is no row of users.
      const userId = actor.userId > 0 ? actor.userId : null;
      this.d.repo.apply(id, label, revert ? null : userId, revert ? null : at);
      this.d.repo.addHistory({ mentionId: id, label, previousLabel: st.label, userId, createdAt: at });
      noteAudit({ detail: { mentionId: id, from: st.label, to: label, model: st.modelLabel, ...(revert ? { revert: true } : {}) } });
      // In the same transaction: a moment's counts never disagree with the stored label.
      this.d.moments.relabel(
        id,
        { label: st.label, score: effectiveScore(st.score, st.label, st.correctedAt !== null) },
        { label, score: effectiveScore(st.score, label, !revert) },
      );
      return true;
    });
    const stored = this.d.mentions.get(id);
    if (!stored) throw new ApiError('mentions.notFound', { id });
    const mention = this.d.decorate([stored])[0] ?? stored;
    if (changed) {
      this.d.events.emit('mentions.updated', { items: [mention] });
      this.d.trainer.kick();
    }
    return mention;
  }
}

export function correctionHandlers(svc: SentimentCorrections): Pick<Handlers, 'mentions.correctSentiment'> {
  return {
    'mentions.correctSentiment': ({ id, label }, ctx) => svc.correct(ctx.actor, id, label),
  };
}
