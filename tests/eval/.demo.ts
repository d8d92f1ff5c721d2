import { readFileSync } from 'node:fs';
import { sentimentAnalyzer } from '../../src/core/analysis/sentiment';
const a = sentimentAnalyzer();
const lines = readFileSync('resources/demo/stream.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; lang?: string });
const seen = new Map<string, string>();
for (const l of lines) { const key = l.text.replace(/\d+/g, '#').replace(/a (Milano|Roma|Torino|Napoli|Bari|Palermo|Genova|Verona|Trieste|Padova|Bologna|Firenze)/g, 'a X'); if (!seen.has(key)) { const r = a.analyze(l.text, l.lang); seen.set(key, `${r.label.padEnd(8)} ${r.score.toFixed(2)} ${l.text.slice(0, 90)} ${JSON.stringify(r.terms.map(t=>t.term+':'+t.weight))}`); } }
const counts: Record<string, number> = {}; for (const l of lines) { const r = a.analyze(l.text, l.lang); counts[r.label] = (counts[r.label] ?? 0) + 1; }
console.log(counts, seen.size);
console.log([...seen.values()].slice(0, 200).join('\n'));
