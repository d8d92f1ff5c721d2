// One entry point for sentiment: picks the scorer by language (English: wink-nlp blended
// with the rules over AFINN-165; Italian: the rules over the Italian lexicons; mixed
// Italian/English and other languages: the rules over both lexicons) and turns the score
// into a label.
import type { SentimentLabel, SentimentTerm } from '../../shared/sentiment';
import { detectLanguageDetail, isMixedItEn } from './lang';
import { buildLexicons, readRawLists, type LexiconSet } from './lexicon';
import { englishModel, scoreEnglish } from './sentiment-en';
import { scoreWithRules, topTerms } from './sentiment-rules';
import { tokenize } from './tokenize';
import type { WorkspaceLayer } from './workspace-layer';

export interface SentimentResult {
  score: number;
  label: SentimentLabel;
  terms: SentimentTerm[];
  /** Which scorer ran: 'it' rules, 'en' wink-nlp + rules, 'mixed' rules with both lexicons. */
  scorer: 'it' | 'en' | 'mixed';
  /** 'model' = the shipped trained classifier; 'rules' = the lexicon fallback (model missing or corrupt). */
  engine: SentimentEngine;
  /** What scored it, stored per mention: 'rules' or the shipped model's id. */
  modelId: string;
}

export type SentimentEngine = 'model' | 'rules';

/** What the app tells the user about the scorer (status bar, Settings). */
export interface SentimentStatus {
  engine: SentimentEngine;
  modelId: string;
  /** Why the model is not in use, in Italian; null when it is. */
  error: string | null;
}

export const RULES_MODEL_ID = 'rules';

/** Scores at or beyond these are positive/negative; in between, neutral. */
export interface Thresholds {
  it: number;
  en: number;
  mixed: number;
}
// Chosen on the development sets (npm run eval:sentiment): the rules' score of a single
// mild word (weight ±1) is 0.25.
export const DEFAULT_THRESHOLDS: Thresholds = { it: 0.25, en: 0.15, mixed: 0.25 };

/**
 * English blends wink-nlp's document score with the rules over AFINN-165: wink alone
 * averages its phrase scores, which flattens short posts (a lone "ugh" or "yay" often
 * scores 0); the rules add elongation, capitals, exclamations and the social words.
 */
export const EN_WINK_WEIGHT = 0.3;

/** Long texts are scored on their beginning: a 100 KB post is rare and its opening says enough. */
export const SCORED_CHARS = 10_000;

const COMBINING = /[\u0300-\u036f]/;

const NEUTRAL: SentimentResult = { score: 0, label: 'neutral', terms: [], scorer: 'it', engine: 'rules', modelId: RULES_MODEL_ID };

export function labelFor(score: number, threshold: number): SentimentLabel {
  if (score >= threshold) return 'positive';
  if (score <= -threshold) return 'negative';
  return 'neutral';
}

export class SentimentAnalyzer {
  constructor(
    readonly lexicons: LexiconSet,
    readonly thresholds: Thresholds = DEFAULT_THRESHOLDS,
  ) {
    // Load wink's model now (app start), not on the first English mention of a live stream.
    englishModel();
  }

  /**
   * Sentiment of a text. `lang` is what is known already (the stored language), else it is
   * detected. Never throws on odd input: empty or symbol-only text is neutral.
   */
  /** Which engine scores, and why not the model when it is not. */
  get status(): SentimentStatus {
    return { engine: 'rules', modelId: RULES_MODEL_ID, error: null };
  }

  analyze(text: string, lang?: string, layer?: WorkspaceLayer | null): SentimentResult {
    void layer;
    let sample = text.length > SCORED_CHARS ? text.slice(0, SCORED_CHARS) : text;
    if (!sample.trim()) return NEUTRAL;
    // Decomposed accents (e + U+0301, as some platforms send) must match the lexicons' "é".
    if (COMBINING.test(sample)) sample = sample.normalize('NFC');
    let known = lang && lang !== 'und' ? lang : null;
    let mixed: boolean;
    if (known) mixed = (known === 'it' || known === 'en') && isMixedItEn(sample);
    else {
      const guess = detectLanguageDetail(sample);
      known = guess.lang;
      mixed = guess.mixed;
    }
    const tokens = tokenize(sample);
    if (mixed || (known !== 'it' && known !== 'en')) {
      const r = scoreWithRules(sample, this.lexicons.mixed, tokens);
      return { score: r.score, label: labelFor(r.score, this.thresholds.mixed), terms: r.terms, scorer: 'mixed', engine: 'rules', modelId: RULES_MODEL_ID };
    }
    if (known === 'en') {
      const w = scoreEnglish(sample);
      const r = scoreWithRules(sample, this.lexicons.en, tokens);
      const score = EN_WINK_WEIGHT * w.score + (1 - EN_WINK_WEIGHT) * r.score;
      return { score, label: labelFor(score, this.thresholds.en), terms: mergeTerms(r.terms, w.terms), scorer: 'en', engine: 'rules', modelId: RULES_MODEL_ID };
    }
    const r = scoreWithRules(sample, this.lexicons.it, tokens);
    return { score: r.score, label: labelFor(r.score, this.thresholds.it), terms: r.terms, scorer: 'it', engine: 'rules', modelId: RULES_MODEL_ID };
  }
}

/** The rules' drivers, plus wink's phrases the rules did not already name. */
function mergeTerms(rules: SentimentTerm[], wink: SentimentTerm[]): SentimentTerm[] {
  const seen = new Set(rules.map((t) => t.term.toLowerCase()));
  const extra = wink.filter((t) => !seen.has(t.term.toLowerCase()) && ![...seen].some((s) => s.endsWith(t.term.toLowerCase())));
  return topTerms([...rules, ...extra]);
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
