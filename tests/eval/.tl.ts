import { detectAll } from 'tinyld';
import { detectAll as light } from 'tinyld/light';
import { readFileSync } from 'node:fs';
const texts = readFileSync('resources/demo/stream.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text as string);
for (const [n, f] of [['normal', detectAll], ['light', light], ['normal-only', (t: string) => detectAll(t, { only: ['it', 'en', 'fr', 'es', 'de', 'pt'] })]] as const) {
  const t0 = performance.now(); for (const t of texts) f(t); console.log(n, Math.round(texts.length / ((performance.now() - t0) / 1000)));
}
