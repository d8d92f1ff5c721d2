import { readFileSync } from 'node:fs';
import * as tl from 'tinyld';
import { detectLanguageDetail } from '../../src/core/analysis/lang';
const lines = readFileSync('resources/demo/stream.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; lang?: string });
let wrong = 0; const samples: string[] = [];
for (const l of lines) { const d = detectLanguageDetail(l.text); if (l.lang && d.lang !== l.lang) { wrong++; if (samples.length < 25) samples.push(`${l.lang}->${d.lang} ${l.text}`); } }
console.log('demo wrong', wrong, 'of', lines.length); console.log(samples.join('\n'));
