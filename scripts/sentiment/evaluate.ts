// Shared by `npm run train:sentiment` and `npm run eval:sentiment`: scorers over the
// held-back 20% of each corpus, and the table they print.
import type { LexiconSet, Lexicon } from '../../src/core/analysis/lexicon';
import { buildLexicons, readRawLists } from '../../src/core/analysis/lexicon';
import { addLogits, argmax, CLASSES } from '../../src/core/analysis/model/linear';
import type { LoadedModel } from '../../src/core/analysis/model/model-file';
import { trainLinear, type Example } from '../../src/core/analysis/model/train';
import { SentimentAnalyzer } from '../../src/core/analysis/sentiment';
import type { SentimentLabel } from '../../src/shared/sentiment';
import { plainFeatures } from './baseline';
import { CORPORA, isTest, isTrain, LABEL_INDEX, loadCorpus, type Corpus, type Sample } from './data';
import { metrics, type Metrics } from './metrics';

export type Labeler = (text: string, lang: 'it' | 'en') => SentimentLabel;

export interface Row {
  /** What is measured: "it-sentipolc16-train (20%)", "it-feelit (tutto, senza FEEL-IT)"… */
  set: string;
  lang: 'it' | 'en';
  scorer: string;
  m: Metrics;
}

/** The shipped model as the app runs it (language given, as the ingest path knows it). */
export function modelLabeler(model: LoadedModel, lex: LexiconSet): Labeler {
  const a = new SentimentAnalyzer(lex, model);
  return (text, lang) => a.analyze(text, lang).label;
}

/** The plain lexicon baseline: lower-cased words and emoji looked up, weights summed, sign = label. */
export function afinnLabeler(): Labeler {
  const raw = readRawLists();
  const lists = buildLexicons({ ...raw, curatedIt: [], curatedEmoji: [], curatedEn: [], itForms: [] });
  const TOKEN = /[\p{L}\p{M}']+|\p{Extended_Pictographic}/gu;
  const run = (lex: Lexicon, text: string): SentimentLabel => {
    let s = 0;
    for (const m of text.toLowerCase().matchAll(TOKEN)) s += lex.words.get(m[0]) ?? 0;
    return s > 0 ? 'positive' : s < 0 ? 'negative' : 'neutral';
  };
  return (text, lang) => run(lang === 'it' ? lists.it : lists.en, text);
}

/** L2 of the plain baseline, chosen like the model's by cross-validation inside the 80%. */
export const PLAIN_L2 = 3e-5;
export const PLAIN_BITS = 20;

/** The plain word+char n-gram logistic regression, trained on the 80% of one corpus per language. */
export function plainLabeler(mainCorpus: Record<'it' | 'en', string>): Labeler {
  const models = {} as Record<'it' | 'en', ReturnType<typeof trainLinear>>;
  for (const lang of ['it', 'en'] as const) {
    const c = CORPORA.find((x) => x.name === mainCorpus[lang]);
    if (!c) throw new Error(`corpus sconosciuto: ${mainCorpus[lang]}`);
    const ex: Example[] = loadCorpus(c).filter(isTrain).map((s) => ({ f: plainFeatures(s.text, PLAIN_BITS), y: LABEL_INDEX[s.label], s: 1 }));
    models[lang] = trainLinear(ex, PLAIN_BITS, { l2: PLAIN_L2, maxIter: 300 });
  }
  return (text, lang) => {
    const z = new Float64Array(3);
    addLogits(models[lang], plainFeatures(text, PLAIN_BITS), z);
    return CLASSES[argmax(z)] ?? 'neutral';
  };
}

/** The held-back part of a corpus: its 20% when a model trained on the 80%, else all of it. */
export function heldBack(c: Corpus, trainedOn: ReadonlySet<string>): { label: string; samples: Sample[] } {
  const all = loadCorpus(c);
  return trainedOn.has(c.name) ? { label: `${c.name} (20%)`, samples: all.filter(isTest) } : { label: `${c.name} (tutto)`, samples: all };
}

export function score(set: string, lang: 'it' | 'en', samples: readonly Sample[], scorer: string, label: Labeler): Row {
  return { set, lang, scorer, m: metrics(samples.map((s) => s.label), samples.map((s) => label(s.text, lang))) };
}

const pct = (x: number): string => (x * 100).toFixed(1);

/** A Markdown table: one line per (set, scorer). */
export function table(rows: readonly Row[]): string {
  const head = ['set', 'scorer', 'n', 'acc', 'macro-F1', 'macro-R', 'F1 neg', 'F1 neu', 'F1 pos', 'confusione (righe: vero neg/neu/pos; colonne: previsto)'];
  const lines = rows.map((r) => {
    const c = r.m.confusion;
    const conf = (['negative', 'neutral', 'positive'] as const).map((g) => `${c[g].negative}/${c[g].neutral}/${c[g].positive}`).join(' · ');
    const f = (l: SentimentLabel): string => (r.m.perClass[l].support ? pct(r.m.perClass[l].f1) : '–');
    return [r.set, r.scorer, String(r.m.n), pct(r.m.accuracy), pct(r.m.macroF1), pct(r.m.macroRecall), f('negative'), f('neutral'), f('positive'), conf];
  });
  const out = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 || i === head.length - 1 ? ':--' : '--:')).join('|')}|`];
  for (const l of lines) out.push(`| ${l.join(' | ')} |`);
  return out.join('\n');
}
