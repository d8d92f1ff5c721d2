import { loadSets, DEFAULT_DIR } from './sentiment';
import { buildLexicons, readRawLists } from '../../src/core/analysis/lexicon';
import { scoreEnglish } from '../../src/core/analysis/sentiment-en';
import { scoreWithRules } from '../../src/core/analysis/sentiment-rules';
import { detectLanguageDetail } from '../../src/core/analysis/lang';
import { tokenize } from '../../src/core/analysis/tokenize';
const lex = buildLexicons(readRawLists());
const texts = loadSets(DEFAULT_DIR).flatMap(s => s.samples.map(x => x.text));
function time(name: string, f: (t: string) => unknown) { const t0 = performance.now(); for (let k=0;k<2;k++) for (const t of texts) f(t); const ms = performance.now() - t0; console.log(name, Math.round(texts.length*2 / (ms/1000)), '/s'); }
time('tokenize', tokenize);
time('rules it', (t) => scoreWithRules(t, lex.it));
time('wink', scoreEnglish);
time('lang', detectLanguageDetail);
