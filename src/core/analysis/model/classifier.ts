// The trained classifier at work: features of the text for its language's model, class
// probabilities (with the workspace's correction layer added when there is one), and the
// words that moved the decision, read off the same weights.
import type { SentimentLabel, SentimentTerm } from '../../../shared/sentiment';
import type { Lexicon, LexiconSet } from '../lexicon';
import { MAX_TERMS } from '../sentiment-rules';
import { tokenize, type Token } from '../tokenize';
import { borrowFeatures, extractFeatures, type Features } from './features';
import { dictionaryOf, type Dictionary } from './hashtags';
import { addLogits, addLogitsAndPolarity, argmax, CLASSES, K, softmax } from './linear';
import type { LanguageModel, LoadedModel } from './model-file';

export type ModelLang = 'it' | 'en';

/** Extra logits per language learned from a workspace's corrections (see WorkspaceLayer). */
export interface LogitLayer {
  addLogits(lang: ModelLang, f: Features, out: Float64Array): void;
  /** Polarity contributions of the layer per feature, added to the model's for the explanation. */
  contributions(lang: ModelLang, f: Features): Float64Array | null;
}

export interface ModelPrediction {
  label: SentimentLabel;
  /** p(positive) − p(negative), in [-1, 1]. */
  score: number;
  probs: Float64Array;
  terms: SentimentTerm[];
}

/** A tweet's length: longer texts are read in runs of whole sentences up to about this long. */
export const CHUNK_CHARS = 280;

const SENTENCE_END = /(?<=[.!?…;\n])\s+/u;
/** Whether SENTENCE_END occurs: one of its marks, then white space. */
const SENTENCE_BREAK = /[.!?…;\n]\s/u;

/** Whole sentences packed into runs of at most `max` characters (a longer sentence is a run alone). */
export function chunkText(text: string, max: number): string[] {
  // A text with nowhere to split is one run, as the split below would find: many posts a
  // little longer than a tweet are one sentence, and the look-behind split tries every position.
  if (!SENTENCE_BREAK.test(text)) return [text];
  const out: string[] = [];
  let cur = '';
  for (const sentence of text.split(SENTENCE_END)) {
    if (!sentence) continue;
    if (cur && cur.length + 1 + sentence.length > max) {
      out.push(cur);
      cur = sentence;
    } else cur = cur ? `${cur} ${sentence}` : sentence;
  }
  if (cur) out.push(cur);
  return out.length ? out : [text];
}

export class ModelScorer {
  private readonly dict: Record<ModelLang, Dictionary>;

  constructor(
    readonly model: LoadedModel,
    private readonly lexicons: LexiconSet,
  ) {
    this.dict = { it: dictionaryOf(lexicons.it), en: dictionaryOf(lexicons.en) };
  }

  get id(): string {
    return this.model.id;
  }

  lexicon(lang: ModelLang): Lexicon {
    return lang === 'it' ? this.lexicons.it : this.lexicons.en;
  }

  /** The features one language's model reads (the workspace layer trains on these). */
  features(text: string, lang: ModelLang, tokens?: readonly Token[]): Features {
    const m = this.lang(lang);
    return extractFeatures(text, this.lexicon(lang), this.dict[lang], m.features, tokens);
  }

  lang(lang: ModelLang): LanguageModel {
    return lang === 'it' ? this.model.it : this.model.en;
  }

  /** Logits of the shipped model alone (the offset a correction layer learns on top of). */
  baseLogits(lang: ModelLang, f: Features): Float64Array {
    const z = new Float64Array(K);
    addLogits(this.lang(lang).weights, f, z);
    return z;
  }

  /**
   * One language, or both averaged for mixed and other languages. A text longer than a
   * tweet (a review, a forum post) is read in tweet-sized runs of whole sentences and their
   * probabilities averaged: the model learned from tweets, and one bag of a long text's
   * words would let every common word's small lean add up with its length.
   */
  predict(text: string, langs: readonly ModelLang[], tokens: readonly Token[] | null, layer?: LogitLayer | null): ModelPrediction {
    const chunks = text.length > CHUNK_CHARS ? chunkText(text, CHUNK_CHARS) : [text];
    const probs = new Float64Array(K);
    const byWord = new Map<string, number>();
    const share = 1 / (langs.length * chunks.length);
    for (const chunk of chunks) {
      // Tokenized once per run, not once per language (mixed texts are read with both).
      const toks = (chunks.length === 1 ? tokens : null) ?? tokenize(chunk);
      for (const lang of langs) {
        // Borrowed: this text's features are read here and in explain, then never again, so
        // they need not be copied out of the extractor's buffers (nor the pulls allocated).
        const m = this.lang(lang);
        const f = borrowFeatures(chunk, this.lexicon(lang), this.dict[lang], m.features, toks);
        const z = new Float64Array(K);
        if (polarityScratch.length < f.length) polarityScratch = new Float64Array(Math.max(f.length, polarityScratch.length * 2));
        const polarity = addLogitsAndPolarity(m.weights, f, z, polarityScratch);
        layer?.addLogits(lang, f, z);
        const p = softmax(z);
        for (let k = 0; k < K; k++) probs[k] = (probs[k] ?? 0) + (p[k] ?? 0) * share;
        explain(polarity, f, layer?.contributions(lang, f) ?? null, byWord, share);
      }
    }
    const label = CLASSES[argmax(probs)] ?? 'neutral';
    const score = Math.max(-1, Math.min(1, (probs[2] ?? 0) - (probs[0] ?? 0)));
    return { label, score, probs, terms: topTerms(byWord) };
  }
}

/** Reused from one prediction to the next: the pull of each feature, and of each source word. */
let polarityScratch = new Float64Array(2048);
let perSourceScratch = new Float64Array(256);

/** Adds each input word's pull towards positive (+) or negative (−), in logits (`c`: the model's pull per feature). */
function explain(c: Float64Array, f: Features, extra: Float64Array | null, byWord: Map<string, number>, share: number): void {
  if (extra) for (let i = 0; i < c.length; i++) c[i] = (c[i] ?? 0) + (extra[i] ?? 0);
  const n = f.words.length;
  if (perSourceScratch.length < n) perSourceScratch = new Float64Array(Math.max(n, perSourceScratch.length * 2));
  const perSource = perSourceScratch.subarray(0, n).fill(0);
  let lexPos = 0;
  let lexNeg = 0;
  for (let i = 0; i < f.length; i++) {
    const src = f.source[i] ?? -1;
    if (src >= 0) perSource[src] = (perSource[src] ?? 0) + (c[i] ?? 0);
    else if (src === -2) lexPos += c[i] ?? 0;
    else if (src === -3) lexNeg += c[i] ?? 0;
  }
  // The lexicon signals are shared out among the words that fed them, by their weight.
  const lex = f.lexicon;
  const posTotal = lex.reduce((a, x) => a + (x.w > 0 ? x.w : 0), 0);
  const negTotal = lex.reduce((a, x) => a + (x.w < 0 ? -x.w : 0), 0);
  for (const { src, w } of lex) {
    if (w > 0 && posTotal > 0) perSource[src] = (perSource[src] ?? 0) + (lexPos * w) / posTotal;
    if (w < 0 && negTotal > 0) perSource[src] = (perSource[src] ?? 0) + (lexNeg * -w) / negTotal;
  }
  const stops = f.stops;
  for (let s = 0; s < perSource.length; s++) {
    const term = f.words[s];
    // A grammar word's pull is only that of the word pair it ends: not a reason to show.
    if (term === undefined || stops[s] === 1) continue;
    byWord.set(term, (byWord.get(term) ?? 0) + (perSource[s] ?? 0) * share);
  }
}

function topTerms(byWord: Map<string, number>): SentimentTerm[] {
  // The words below the cut are left out while the map is read (forEach makes no entry
  // pair per word), rather than after copying every entry.
  const kept: [string, number][] = [];
  byWord.forEach((w, term) => {
    if (Math.abs(w) >= 0.05) kept.push([term, w]);
  });
  return kept
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, MAX_TERMS)
    .map(([term, weight]) => ({ term: term.length > 120 ? `${term.slice(0, 119)}…` : term, weight: Math.round(weight * 100) / 100 }));
}
