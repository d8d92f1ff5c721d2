// Contract handlers of the sentiment area.
import type { Handlers } from '../api/dispatch';
import type { MentionsRepo } from '../store/mentions-repo';
import type { SentimentBackfill } from './backfill';

type SentimentHandlers = Pick<Handlers, 'sentiment.status'>;

export function sentimentHandlers(deps: { mentions: MentionsRepo; backfill: SentimentBackfill }): SentimentHandlers {
  return {
    'sentiment.status': () => {
      const p = deps.backfill.progress();
      const remaining = deps.mentions.countUnscored();
      return { scored: p.scored, remaining, done: remaining === 0 };
    },
  };
}
