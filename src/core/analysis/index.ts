// The analysis feature's one face (issue #15): everything outside core/analysis imports it
// from here. Language, sentiment (rules, model, the workspace's correction layer, the
// background re-score), people's corrections, the perimeter query language and theme
// matching, and the offline batch analysis of `vedetta analyze`.
import type { EventBus } from '../api/events';
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import type { SentimentRescoreJob } from './backfill';
import { correctionHandlers, type SentimentCorrections } from './corrections';
import { sentimentHandlers, sentimentStatus } from './handlers';
import { sentimentOps } from './ops';
import type { SentimentAnalyzer } from './sentiment';

export { sentimentAnalyzer, SentimentAnalyzer, type SentimentStatus } from './sentiment';
export { analyzeMention, type SentimentFields } from './analyze';
export { detectLanguage } from './lang';
export { WorkspaceLayer } from './workspace-layer';
export { WorkspaceLayerTrainer } from './layer-trainer';
export { SentimentRescoreJob, type LabelChange } from './backfill';
export { SentimentCorrections, correctionHandlers } from './corrections';
export { analyzeStream, BatchFileError, type BatchFormat } from './batch';
export { compileTheme, matchPrepared, matchThemes, relevanceOf, type CompiledTheme } from './perimeters';
export { compileAst, compileQuery, parseQuery, prepareDoc, QueryError, type CompiledQuery, type MatchDocInput, type MatchSpan, type PreparedDoc, type QueryNode } from './query';
export { ftsPlan, type FtsPlan } from './query/fts';
export { sentimentHandlers, sentimentOps, sentimentStatus };

export const analysisEvents = {
  emits: ['mentions.updated', 'sentiment.status'],
  consumes: [],
} as const satisfies FeatureEvents;

/** Tells every client where the analyzer and the background re-score stand. */
export function emitSentimentStatus(events: EventBus, analyzer: SentimentAnalyzer, rescore: SentimentRescoreJob): void {
  events.emit('sentiment.status', sentimentStatus(analyzer, rescore));
}

export function analysisModule(deps: { analyzer: SentimentAnalyzer; rescore: SentimentRescoreJob; corrections: SentimentCorrections }): FeatureModule {
  return featureModule({
    name: 'analysis',
    ops: sentimentOps,
    handlers: { ...sentimentHandlers(deps), ...correctionHandlers(deps.corrections) },
    events: analysisEvents,
  });
}
