// Scratch: cross-validation inside the train 80% to choose settings (never the test 20%).
import { buildLexicons, readRawLists } from '../../src/core/analysis/lexicon';
import { DEFAULT_FEATURES, extractFeatures, type FeatureOptions, type Features } from '../../src/core/analysis/model/features';
import { dictionaryOf } from '../../src/core/analysis/model/hashtags';
import { addLogits, argmax, CLASSES } from '../../src/core/analysis/model/linear';
import { trainLinear, type Example } from '../../src/core/analysis/model/train';
import { plainFeatures } from './baseline';
import { balance } from './recipe';
import { CORPORA, foldOf, isTrain, LABEL_INDEX, loadCorpus, type Sample } from './data';
import { metrics } from './metrics';

const lang = (process.argv[2] ?? 'it') as 'it' | 'en';
const lex = buildLexicons(readRawLists());
const L = lang === 'it' ? lex.it : lex.en;
const dict = dictionaryOf(L);
const corpora = new Map(CORPORA.filter((c) => c.lang === lang).map((c) => [c.name, loadCorpus(c)]));
const main = lang === 'it' ? 'it-sentipolc16-train' : 'en-tweeteval-train-reconstructed';
const K = Number(process.env.FOLDS ?? 5);

type Cfg = { name: string; feat: ((t: string) => Features); l2: number; extra: Record<string, number>; balance?: number };
function feats(cfg: Cfg, s: Sample): Features {
  return cfg.feat(s.text);
}
function runCV(cfg: Cfg): { f1: number; rec: number; per: number[] } {
  const mainS = (corpora.get(main) ?? []).filter(isTrain);
  const fm = new Map(mainS.map((s) => [s, feats(cfg, s)]));
  const extras: Example[] = [];
  for (const [name, w] of Object.entries(cfg.extra)) for (const s of (corpora.get(name) ?? []).filter(isTrain)) extras.push({ f: feats(cfg, s), y: LABEL_INDEX[s.label], s: w });
  const gold: string[] = [];
  const pred: string[] = [];
  const per: number[] = [];
  for (let k = 0; k < K; k++) {
    const tr = mainS.filter((s) => foldOf(s, K) !== k);
    const te = mainS.filter((s) => foldOf(s, K) === k);
    const ex: Example[] = [...tr.map((s) => ({ f: fm.get(s)!, y: LABEL_INDEX[s.label], s: 1 })), ...extras];
    balance(ex, cfg.balance ?? 0);
    const m = trainLinear(ex, 20, { l2: cfg.l2, maxIter: 200 });
    const g: string[] = [], p: string[] = [];
    for (const s of te) {
      const z = new Float64Array(3);
      addLogits(m, fm.get(s)!, z);
      g.push(s.label);
      p.push(CLASSES[argmax(z)]!);
    }
    per.push(metrics(g as never, p as never).macroF1);
    gold.push(...g);
    pred.push(...p);
  }
  const mm = metrics(gold as never, pred as never);
  return { f1: mm.macroF1, rec: mm.macroRecall, per };
}
const full = (o: Partial<FeatureOptions> = {}) => (t: string) => extractFeatures(t, L, dict, { ...DEFAULT_FEATURES, ...o });
const cfgs: Cfg[] = [];
const which = process.argv[3] ?? 'basic';
if (which === 'basic') {
  for (const l2 of [3e-4, 1e-3, 3e-3]) cfgs.push({ name: `plain l2=${l2}`, feat: (t) => plainFeatures(t, 20), l2, extra: {} });
  for (const l2 of [3e-4, 1e-3, 3e-3]) cfgs.push({ name: `full l2=${l2}`, feat: full(), l2, extra: {} });
}
if (which === 'low') {
  for (const l2 of [3e-5, 1e-4]) cfgs.push({ name: `plain l2=${l2}`, feat: (t) => plainFeatures(t, 20), l2, extra: {} });
  for (const l2 of [3e-5, 1e-4]) cfgs.push({ name: `full l2=${l2}`, feat: full(), l2, extra: {} });
}
if (which === 'ablate') {
  const l2 = Number(process.env.L2 ?? 1e-3);
  cfgs.push({ name: 'no chars', feat: full({ charRange: [0, 0] }), l2, extra: {} });
  cfgs.push({ name: 'no signals', feat: full({ signals: false }), l2, extra: {} });
  cfgs.push({ name: 'no names', feat: full({ names: 'off' }), l2, extra: {} });
  cfgs.push({ name: 'no negation', feat: full({ negation: false }), l2, extra: {} });
  cfgs.push({ name: 'no bigrams', feat: full({ bigrams: false }), l2, extra: {} });
  cfgs.push({ name: 'chars 2-5', feat: full({ charRange: [2, 5] }), l2, extra: {} });
  cfgs.push({ name: 'signal x2', feat: full({ signalWeight: 2 }), l2, extra: {} });
  cfgs.push({ name: 'char x0.5', feat: full({ charWeight: 0.5 }), l2, extra: {} });
}
if (which === 'names') {
  const l2 = Number(process.env.L2 ?? 1e-4);
  for (const n of ['off', 'mark', 'signals'] as const) cfgs.push({ name: `names ${n}`, feat: full({ names: n }), l2, extra: {} });
}
if (which === 'balance') {
  for (const b of [0.5, 1]) cfgs.push({ name: `feelit0.3 balance ${b}`, feat: full(), l2: 1e-4, extra: { 'it-feelit': 0.3 }, balance: b });
}
if (which === 'bits') {
  cfgs.push({ name: `feelit0.3 bits18`, feat: full({ bits: 18 }), l2: 1e-4, extra: { 'it-feelit': 0.3 } });
}
if (which === 'stop') {
  for (const st of [false, true]) cfgs.push({ name: `feelit0.3 bits18 stopwords ${st}`, feat: full({ bits: 18, stopwords: st }), l2: 1e-4, extra: { 'it-feelit': 0.3 } });
}
if (which === 'extra') {
  const l2 = Number(process.env.L2 ?? 1e-3);
  const names = lang === 'it' ? ['it-feelit', 'it-happyparents'] : ['en-vader-tweets'];
  for (const n of names) for (const w of [0.3, 1]) cfgs.push({ name: `+${n}×${w}`, feat: full(), l2, extra: { [n]: w } });
}
for (const c of cfgs) {
  const t0 = performance.now();
  const r = runCV(c);
  console.log(`${c.name.padEnd(30)} macroF1 ${(r.f1 * 100).toFixed(1)} macroRec ${(r.rec * 100).toFixed(1)} folds ${r.per.map((x) => (x * 100).toFixed(1)).join(' ')}  (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}
