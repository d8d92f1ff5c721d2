// English sentiment with wink-nlp. Its document score is already in [-1, 1]; the phrases
// that made it are not in the public API, so the model's sentiment setter is wrapped to
// keep them (the setter receives the matched spans, then runs unchanged).
import winkNLP, { type Model } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import type { SentimentTerm } from '../../shared/sentiment';
import { topTerms } from './sentiment-rules';

/** [first token, last token, score × 1000 before the setter divides it] */
type Span = [number, number, number];
interface SaModel {
  machines: unknown;
  setter: (px: Span[], rdd: { tokens: ArrayLike<number> }, constants: { tkSize: number; negationFlag: number }, locate: unknown) => void;
}

let captured: { start: number; end: number; score: number }[] = [];
let negationFlag = 0;
let tkSize = 0;
let capturedTokens: ArrayLike<number> | null = null;

const baseSa = (model as unknown as { sa: () => SaModel }).sa;
const wrappedModel = {
  ...(model as unknown as Record<string, unknown>),
  sa: (): SaModel => {
    const m = baseSa();
    return {
      machines: m.machines,
      setter: (px, rdd, constants, locate) => {
        m.setter(px, rdd, constants, locate);
        // After the setter px[i][2] is the phrase score in [-1, 1].
        captured = px.map((p) => ({ start: p[0], end: p[1], score: p[2] }));
        negationFlag = constants.negationFlag;
        tkSize = constants.tkSize;
        capturedTokens = rdd.tokens;
      },
    };
  },
} as unknown as Model;

type Nlp = ReturnType<typeof winkNLP>;
let nlp: Nlp | null = null;

/**
 * Loads the model (about half a second): done when an analyzer is created, so commands
 * that never score (status, export) do not pay for it.
 */
export function englishModel(): Nlp {
  // Sentence breaks and negation are all the sentiment step needs: no POS, no entities.
  nlp ??= winkNLP(wrappedModel, ['sbd', 'negation', 'sentiment']);
  return nlp;
}

export interface EnResult {
  /** wink's document score, in [-1, 1]. */
  score: number;
  terms: SentimentTerm[];
}

/** English sentiment of a text; never throws on odd input (empty text scores 0). */
export function scoreEnglish(text: string): EnResult {
  captured = [];
  capturedTokens = null;
  const model = englishModel();
  const doc = model.readDoc(text);
  const score = Number(doc.out(model.its.sentiment)) || 0;
  const tokens = doc.tokens();
  const items: { term: string; weight: number }[] = [];
  for (const c of captured) {
    const words: string[] = [];
    for (let k = c.start; k <= c.end; k++) words.push(tokens.itemAt(k).out());
    const negated = capturedTokens !== null && (capturedTokens[c.start * tkSize + 3] ?? 0) >= negationFlag;
    // Back to the AFINN-like scale of the Italian drivers, so both read alike in the UI.
    items.push({ term: negated ? `not … ${words.join(' ')}` : words.join(' '), weight: (negated ? -c.score : c.score) * 5 });
  }
  return { score: Math.max(-1, Math.min(1, score)), terms: topTerms(items) };
}
