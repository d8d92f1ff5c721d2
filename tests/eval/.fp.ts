import { loadSets, DEFAULT_DIR } from './sentiment';
import { sentimentAnalyzer } from '../../src/core/analysis/sentiment';
const a = sentimentAnalyzer();
const set = loadSets(DEFAULT_DIR).find((s) => s.name.includes('sentipolc'))!;
const bad = new Map<string, [number, number]>();
for (const x of set.samples) {
  const r = a.analyze(x.text);
  for (const t of r.terms) {
    const k = t.term.toLowerCase().replace(/^.*(…|\s)/, '');
    const e = bad.get(k) ?? [0, 0];
    const wrongDir = (t.weight > 0 && x.label !== 'positive') || (t.weight < 0 && x.label !== 'negative');
    e[wrongDir ? 1 : 0]++;
    bad.set(k, e);
  }
}
console.log([...bad].filter(([, [ok, ko]]) => ko >= 8 && ko > ok * 1.5).sort((a, b) => b[1][1] - a[1][1]).slice(0, 90).map(([k, [ok, ko]]) => `${k}:${ok}/${ko}`).join('  '));
