import { readFileSync } from 'node:fs';
import { tokenize } from '../../src/core/analysis/tokenize';
import { sentimentAnalyzer } from '../../src/core/analysis/sentiment';
const texts = readFileSync('resources/demo/stream.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text as string);
const a = sentimentAnalyzer();
function cpu(name: string, f: (t: string) => unknown) { for (const t of texts) f(t); const c0 = process.cpuUsage(); for (let k = 0; k < 10; k++) for (const t of texts) f(t); const c = process.cpuUsage(c0); console.log(name, Math.round(texts.length * 10 / ((c.user + c.system) / 1e6))); }
cpu('tokenize', tokenize);
cpu('analyze', (t) => a.analyze(t));
cpu('analyze it', (t) => a.analyze(t, 'it'));
