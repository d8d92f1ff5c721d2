// One entry point for sentiment: the shipped trained model (resources/sentiment/model.bin)
// scores Italian, English, and mixed or other-language texts with both of its languages;
// when the model file is missing or damaged, the rule scorer over the lexicons takes over
// (English blended with wink-nlp) and every result and the status say so.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../shared/contract';
import type { ErrorRef } from '../../shared/errors';
import type { SentimentLabel, SentimentTerm } from '../../shared/sentiment';
import { detectLanguageDetail, isMixedItEn } from './lang';
import { buildLexicons, readRawLists, type LexiconSet } from './lexicon';
import { englishModel, scoreEnglish } from './sentiment-en';
import { scoreWithRules, topTerms } from './sentiment-rules';
import { tokenize } from './tokenize';
import { CHUNK_CHARS, ModelScorer, type ModelLang } from './model/classifier';
import { decodeModel, ModelFileError, type LoadedModel } from './model/model-file';
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
  /** The same as a code, for clients that speak another language. */
  errorRef?: ErrorRef | null;
  /** When the model in use was built (ISO date); null for the rules. */
  trainedAt: string | null;
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
/** Nothing but the white space trim() removes (\s is that same set), tested without a trimmed copy. */
const BLANK = /^\s*$/;

const NEUTRAL: SentimentResult = { score: 0, label: 'neutral', terms: [], scorer: 'it', engine: 'rules', modelId: RULES_MODEL_ID };

export function labelFor(score: number, threshold: number): SentimentLabel {
  if (score >= threshold) return 'positive';
  if (score <= -threshold) return 'negative';
  return 'neutral';
}

/** The part of a text that is scored, with accents composed. */
export function prepare(text: string): string {
  const sample = text.length > SCORED_CHARS ? text.slice(0, SCORED_CHARS) : text;
  // Decomposed accents (e + U+0301, as some platforms send) must match the lexicons' "é".
  return COMBINING.test(sample) ? sample.normalize('NFC') : sample;
}

/** Which scorer a text goes to: its language's, or both for mixed Italian/English and other languages. */
export function routeOf(sample: string, lang?: string): 'it' | 'en' | 'mixed' {
  let known = lang && lang !== 'und' ? lang : null;
  let mixed: boolean;
  if (known) mixed = (known === 'it' || known === 'en') && isMixedItEn(sample);
  else {
    const guess = detectLanguageDetail(sample);
    known = guess.lang;
    mixed = guess.mixed;
  }
  return mixed || (known !== 'it' && known !== 'en') ? 'mixed' : known;
}

export const langsOf = (route: 'it' | 'en' | 'mixed'): ModelLang[] => (route === 'mixed' ? ['it', 'en'] : [route]);

export class SentimentAnalyzer {
  private readonly scorer: ModelScorer | null;
  private readonly modelError: string | null;
  private readonly modelErrorRef: ErrorRef | null;

  /**
   * `model`: the loaded shipped model, or the reason (in Italian) it could not be loaded;
   * without one the analyzer runs the rule scorer and says so in its status and results.
   */
  constructor(
    readonly lexicons: LexiconSet,
    model: LoadedModel | ModelProblem | null = null,
    readonly thresholds: Thresholds = DEFAULT_THRESHOLDS,
  ) {
    if (model && 'id' in model) {
      this.scorer = new ModelScorer(model, lexicons);
      this.modelError = null;
      this.modelErrorRef = null;
    } else {
      this.scorer = null;
      this.modelError = model?.error ?? null;
      this.modelErrorRef = model?.errorRef ?? null;
      // Load wink's model now (app start), not on the first English mention of a live stream.
      englishModel();
    }
  }

  /** Which engine scores, and why not the model when it is not. */
  get status(): SentimentStatus {
    return this.scorer
      ? { engine: 'model', modelId: this.scorer.id, error: null, trainedAt: this.scorer.model.createdAt }
      : { engine: 'rules', modelId: RULES_MODEL_ID, error: this.modelError, ...(this.modelErrorRef ? { errorRef: this.modelErrorRef } : {}), trainedAt: null };
  }

  /** The trained model's scorer (the workspace layer learns on its features); null in fallback. */
  get model(): ModelScorer | null {
    return this.scorer;
  }

  /**
   * Sentiment of a text. `lang` is what is known already (the stored language), else it is
   * detected. Never throws on odd input: empty or symbol-only text is neutral. `layer` is the
   * workspace's correction layer, added on top of the shipped model.
   */
  analyze(text: string, lang?: string, layer?: WorkspaceLayer | null): SentimentResult {
    const sample = prepare(text);
    if (BLANK.test(sample)) return this.scorer ? { ...NEUTRAL, engine: 'model', modelId: this.scorer.id } : NEUTRAL;
    const scorer = routeOf(sample, lang);
    if (this.scorer) {
      // A text the model reads in runs tokenizes each run itself: the whole text's tokens would go unread.
      const tokens = sample.length > CHUNK_CHARS ? null : tokenize(sample);
      const p = this.scorer.predict(sample, langsOf(scorer), tokens, layer?.forModel(this.scorer.id) ?? null);
      return { score: p.score, label: p.label, terms: p.terms, scorer, engine: 'model', modelId: this.scorer.id };
    }
    const tokens = tokenize(sample);
    if (scorer === 'mixed') {
      const r = scoreWithRules(sample, this.lexicons.mixed, tokens);
      return { score: r.score, label: labelFor(r.score, this.thresholds.mixed), terms: r.terms, scorer: 'mixed', engine: 'rules', modelId: RULES_MODEL_ID };
    }
    if (scorer === 'en') {
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

/** The file the shipped model lives in, beside the lexicons. */
export const MODEL_FILE = 'model.bin';

/** Why the model cannot be used: the Italian text, and the code each client words. */
export type ModelProblem = { error: string; errorRef?: ErrorRef };

function problem(e: ApiError): ModelProblem {
  return { error: e.toBody().message, errorRef: { key: e.key, params: { ...e.params } } };
}

/** The shipped model from the lexicons' folder, or why it cannot be used. */
export function loadModel(sentimentDir: string | null): LoadedModel | ModelProblem {
  const path = sentimentDir ? join(sentimentDir, MODEL_FILE) : null;
  if (!path || !existsSync(path)) return problem(new ApiError('sentiment.modelMissing'));
  try {
    return decodeModel(readFileSync(path));
  } catch (err) {
    return problem(err instanceof ModelFileError ? err : new ApiError('sentiment.modelUnreadable', { reason: (err as Error).message }));
  }
}

/** The analyzer for a resources folder (lexicons and model are read once per process). */
export function sentimentAnalyzer(resourcesDir?: string): SentimentAnalyzer {
  const key = resourcesDir ?? '';
  let a = cache.get(key);
  if (!a) {
    const raw = readRawLists(resourcesDir);
    a = new SentimentAnalyzer(buildLexicons(raw), loadModel(raw.curatedDir));
    cache.set(key, a);
  }
  return a;
}
