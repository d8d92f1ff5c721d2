// One entry point for sentiment: picks the scorer by language (wink-nlp for English, the
// Italian rules otherwise; both lexicons together for mixed Italian/English texts) and
// turns the score into a label.
import type { SentimentLabel, SentimentTerm } from '../../shared/sentiment';
import { detectLanguageDetail } from './lang';
import { buildLexicons, readRawLists, type LexiconSet } from './lexicon';
import { scoreEnglish } from './sentiment-en';
import { scoreWithRules } from './sentiment-rules';
import { tokenize } from './tokenize';

export interface SentimentResult {
  score: number;
  label: SentimentLabel;
  terms: SentimentTerm[];
  /** Which scorer ran: 'it' rules, 'en' wink-nlp, 'mixed' rules with both lexicons. */
  scorer: 'it' | 'en' | 'mixed';
}

/** Scores at or beyond these are positive/negative; in between, neutral. */
export interface Thresholds {
  it: number;
  en: number;
  mixed: number;
}
// Chosen on the development sets (npm run eval:sentiment): the rules' score of a single
// mild word is about 0.25, wink's is lower because it averages over the matched phrases.
export const DEFAULT_THRESHOLDS: Thresholds = { it: 0.25, en: 0.05, mixed: 0.25 };

/** Long texts are scored on their beginning: a 100 KB post is rare and its opening says enough. */
export const SCORED_CHARS = 10_000;

const NEUTRAL: SentimentResult = { score: 0, label: 'neutral', terms: [], scorer: 'it' };

export function labelFor(score: number, threshold: number): SentimentLabel {
  if (score >= threshold) return 'positive';
  if (score <= -threshold) return 'negative';
  return 'neutral';
}

export class SentimentAnalyzer {
  constructor(
    readonly lexicons: LexiconSet,
    readonly thresholds: Thresholds = DEFAULT_THRESHOLDS,
  ) {}

  /**
   * Sentiment of a text. `lang` is what is known already (the stored language), else it is
   * detected. Never throws on odd input: empty or symbol-only text is neutral.
   */
  analyze(text: string, lang?: string): SentimentResult {
    const sample = text.length > SCORED_CHARS ? text.slice(0, SCORED_CHARS) : text;
    if (!sample.trim()) return NEUTRAL;
    const guess = detectLanguageDetail(sample);
    const known = lang && lang !== 'und' ? lang : guess.lang;
    if (guess.mixed || (known !== 'it' && known !== 'en')) {
      const r = scoreWithRules(sample, this.lexicons.mixed, tokenize(sample));
      return { score: r.score, label: labelFor(r.score, this.thresholds.mixed), terms: r.terms, scorer: 'mixed' };
    }
    if (known === 'en') {
      const r = scoreEnglish(sample);
      return { score: r.score, label: labelFor(r.score, this.thresholds.en), terms: r.terms, scorer: 'en' };
    }
    const r = scoreWithRules(sample, this.lexicons.it, tokenize(sample));
    return { score: r.score, label: labelFor(r.score, this.thresholds.it), terms: r.terms, scorer: 'it' };
  }
}

const cache = new Map<string, SentimentAnalyzer>();

/** The analyzer for a resources folder (lexicons are read once per process). */
export function sentimentAnalyzer(resourcesDir?: string): SentimentAnalyzer {
  const key = resourcesDir ?? '';
  let a = cache.get(key);
  if (!a) {
    a = new SentimentAnalyzer(buildLexicons(readRawLists(resourcesDir)));
    cache.set(key, a);
  }
  return a;
}
