// Contract handlers of the sentiment area.
import type { SentimentStatus } from '../../shared/ops/sentiment';
import type { Handlers } from '../api/dispatch';
import type { SentimentRescoreJob } from './backfill';
import type { SentimentAnalyzer } from './sentiment';

type SentimentHandlers = Pick<Handlers, 'sentiment.status'>;

/** What the status bar and Settings show: the engine, why not the model, the re-score's progress. */
export function sentimentStatus(analyzer: SentimentAnalyzer, rescore: SentimentRescoreJob): SentimentStatus {
  const s = analyzer.status;
  return { engine: s.engine, modelId: s.modelId, modelDate: s.trainedAt, error: s.error, errorRef: s.errorRef ?? null, rescore: rescore.progress() };
}

export function sentimentHandlers(deps: { analyzer: SentimentAnalyzer; rescore: SentimentRescoreJob }): SentimentHandlers {
  return {
    'sentiment.status': () => sentimentStatus(deps.analyzer, deps.rescore),
  };
}
