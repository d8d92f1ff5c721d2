// Scratch: the correction layer's L2, chosen on Happy Parents (a train-permitted corpus the
// shipped recipe does not use), then reported on the eval-only corpora by eval:sentiment.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { decodeModel } from '../../src/core/analysis/model/model-file';
import { SentimentAnalyzer } from '../../src/core/analysis/sentiment';
import { WorkspaceLayer } from '../../src/core/analysis/workspace-layer';
import { CORPORA, loadCorpus, type Sample } from './data';
import { metrics } from './metrics';
import { lexicons } from './recipe';

const a = new SentimentAnalyzer(lexicons(), decodeModel(readFileSync(resolve(import.meta.dirname, '../../resources/sentiment/model.bin'))));
const name = process.argv[2] ?? 'it-happyparents';
const c = CORPORA.find((x) => x.name === name)!;
const h = (s: Sample): string => createHash('sha256').update(`corr:${s.key}`).digest('hex');
const all = loadCorpus(c).sort((x, y) => h(x).localeCompare(h(y)));
const corrected = all.slice(0, 200);
const rest = all.slice(200);
const gold = rest.map((s) => s.label);
console.log('before', metrics(gold, rest.map((s) => a.analyze(s.text, c.lang).label)).macroF1.toFixed(3));
for (const l2 of (process.argv[3] ?? "10,30,100").split(",").map(Number)) {
  const layer = WorkspaceLayer.train(a, corrected.map((s) => ({ text: s.text, lang: c.lang, label: s.label })), l2);
  console.log(l2, metrics(gold, rest.map((s) => a.analyze(s.text, c.lang, layer).label)).macroF1.toFixed(3));
}
