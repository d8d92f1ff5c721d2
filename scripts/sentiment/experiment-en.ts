// Scratch: English settings chosen on TweetEval validation (tune there, never train).
import { CORPORA, loadCorpus } from './data';
import { metrics } from './metrics';
import { lexicons, RECIPE, trainLanguage } from './recipe';
import { ModelScorer } from '../../src/core/analysis/model/classifier';
import { tokenize } from '../../src/core/analysis/tokenize';

const lex = lexicons();
const val = loadCorpus(CORPORA.find((c) => c.name === 'en-tweeteval-val')!);
const grid = JSON.parse(process.argv[2] ?? '[{}]') as Record<string, unknown>[];
for (const g of grid) {
  const r = { ...RECIPE.en, ...g } as typeof RECIPE.en;
  const t0 = performance.now();
  const en = trainLanguage(lex, 'en', r);
  const sc = new ModelScorer({ id: 'x', createdAt: 'x', it: en, en }, lex);
  const pred = val.map((s) => sc.predict(s.text, ['en'], tokenize(s.text)).label);
  const m = metrics(val.map((s) => s.label), pred);
  console.log(`${JSON.stringify(g)} macroR ${(m.macroRecall * 100).toFixed(1)} macroF1 ${(m.macroF1 * 100).toFixed(1)} acc ${(m.accuracy * 100).toFixed(1)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}
