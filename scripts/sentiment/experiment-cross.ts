// Scratch: an Italian setting judged across corpora — trained on the recipe's 80%, scored on
// Happy Parents (train-permitted, never in the recipe), the way a brand's own stream meets it.
import { ModelScorer } from '../../src/core/analysis/model/classifier';
import { tokenize } from '../../src/core/analysis/tokenize';
import { CORPORA, loadCorpus } from './data';
import { metrics } from './metrics';
import { lexicons, RECIPE, trainLanguage } from './recipe';

const lex = lexicons();
const hp = loadCorpus(CORPORA.find((c) => c.name === 'it-happyparents')!);
for (const g of JSON.parse(process.argv[2] ?? '[{}]') as Record<string, unknown>[]) {
  const r = { ...RECIPE.it, features: { ...RECIPE.it.features, ...g } };
  const it = trainLanguage(lex, 'it', r);
  const sc = new ModelScorer({ id: 'x', createdAt: 'x', it, en: it }, lex);
  const m = metrics(hp.map((s) => s.label), hp.map((s) => sc.predict(s.text, ['it'], tokenize(s.text)).label));
  console.log(JSON.stringify(g), 'Happy Parents macroF1', (m.macroF1 * 100).toFixed(1));
}
