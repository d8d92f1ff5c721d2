import { loadSets, metrics, DEFAULT_DIR } from './sentiment';
import { buildLexicons, readRawLists } from '../../src/core/analysis/lexicon';
import { SentimentAnalyzer } from '../../src/core/analysis/sentiment';
const lex = buildLexicons(readRawLists());
const sets = loadSets(DEFAULT_DIR).filter((s) => s.lang === 'it');
const a = new SentimentAnalyzer(lex);
const scored = sets.map((s) => s.samples.map((x) => a.analyze(x.text).score));
for (const t of [0.2, 0.25, 0.3, 0.35, 0.4, 0.45]) {
  const out = sets.map((s, k) => { const m = metrics(s.samples.map((x) => x.label), scored[k]!.map((v) => (v >= t ? 'positive' : v <= -t ? 'negative' : 'neutral'))); return `${s.name} ${(m.accuracy * 100).toFixed(1)}/${(m.macroF1 * 100).toFixed(1)}`; });
  const gold = sets.flatMap((s) => s.samples.map((x) => x.label)); const pred = scored.flat().map((v) => (v >= t ? 'positive' : v <= -t ? 'negative' : 'neutral'));
  const m = metrics(gold, pred);
  console.log(t, out.join('  '), 'ALL', (m.accuracy * 100).toFixed(1), (m.macroF1 * 100).toFixed(1));
}
