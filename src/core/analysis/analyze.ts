// The analyze step of the ingest path: what the store keeps beside each mention's words.
import type { SentimentLabel, SentimentTerm } from '../../shared/sentiment';
import { RULES_MODEL_ID, type SentimentAnalyzer } from './sentiment';
import type { WorkspaceLayer } from './workspace-layer';

export interface SentimentFields {
  sentimentScore: number;
  sentimentLabel: SentimentLabel;
  sentimentTerms: SentimentTerm[];
  /** What scored it: 'rules' or the shipped model's id (older engines are re-scored). */
  sentimentModel: string;
}

export interface AnalyzableMention {
  title: string | null;
  text: string;
  lang: string;
}

/** What is scored of a mention: its title and text together (also what corrections teach). */
export function mentionText(m: { title: string | null; text: string }): string {
  return m.title ? `${m.title}\n${m.text}` : m.text;
}

/** Sentiment of a mention (title and text together). Never throws: a failure is neutral. */
export function analyzeMention(m: AnalyzableMention, analyzer: SentimentAnalyzer, layer?: WorkspaceLayer | null): SentimentFields {
  try {
    const r = analyzer.analyze(mentionText(m), m.lang, layer);
    return { sentimentScore: Math.round(r.score * 10_000) / 10_000, sentimentLabel: r.label, sentimentTerms: r.terms, sentimentModel: r.modelId };
  } catch {
    // A scorer bug must not lose a mention: it is stored, neutral, and the batch goes on.
    return { sentimentScore: 0, sentimentLabel: 'neutral', sentimentTerms: [], sentimentModel: RULES_MODEL_ID };
  }
}
