// `npm run eval:sentiment`: accuracy and macro-F1 of Vedetta's sentiment on the labelled
// development sets in ../shared/fixtures/sentiment, per set, per language and per class,
// beside a plain AFINN-style baseline (sum of the lexicon's weights, no rules) and the
// all-neutral baseline. The sets are read in place, never copied into the project.
//   node bin/tsx.mjs tests/eval/sentiment.ts [--dir DIR] [--errors N] [--json]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLexicons, readRawLists, type Lexicon } from '../../src/core/analysis/lexicon';
import { SentimentAnalyzer } from '../../src/core/analysis/sentiment';
import { SENTIMENT_LABELS, type SentimentLabel } from '../../src/shared/sentiment';

const repoRoot = resolve(import.meta.dirname, '../..');
export const DEFAULT_DIR = resolve(repoRoot, '../shared/fixtures/sentiment');

export interface Sample {
  text: string;
  label: SentimentLabel;
}
export interface DevSet {
  name: string;
  lang: string;
  samples: Sample[];
}

export function loadSets(dir: string): DevSet[] {
  const sets: DevSet[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.jsonl')).sort()) {
    const samples: Sample[] = [];
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as { text?: unknown; label?: unknown };
      if (typeof o.text === 'string' && SENTIMENT_LABELS.includes(o.label as SentimentLabel)) {
        samples.push({ text: o.text, label: o.label as SentimentLabel });
      }
    }
    sets.push({ name: f.replace(/\.jsonl$/, ''), lang: f.slice(0, 2), samples });
  }
  return sets;
}

/** The plain baseline: lower-cased words and emoji looked up, weights summed, sign = label. */
export function afinnBaseline(lex: Lexicon): (text: string) => SentimentLabel {
  const TOKEN = /[\p{L}\p{M}']+|\p{Extended_Pictographic}/gu;
  return (text) => {
    let s = 0;
    for (const m of text.toLowerCase().matchAll(TOKEN)) s += lex.words.get(m[0]) ?? 0;
    return s > 0 ? 'positive' : s < 0 ? 'negative' : 'neutral';
  };
}

export interface ClassStats {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}
export interface Metrics {
  n: number;
  accuracy: number;
  /** Mean F1 over the classes present in the gold labels. */
  macroF1: number;
  perClass: Record<SentimentLabel, ClassStats>;
}

export function metrics(gold: readonly SentimentLabel[], pred: readonly SentimentLabel[]): Metrics {
  const perClass = {} as Record<SentimentLabel, ClassStats>;
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === pred[i]) correct++;
  const f1s: number[] = [];
  for (const c of SENTIMENT_LABELS) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (pred[i] === c && gold[i] === c) tp++;
      else if (pred[i] === c) fp++;
      else if (gold[i] === c) fn++;
    }
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[c] = { precision, recall, f1, support: tp + fn };
    if (tp + fn > 0) f1s.push(f1);
  }
  return { n: gold.length, accuracy: gold.length ? correct / gold.length : 0, macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0, perClass };
}

type Scorer = { name: string; label: (text: string) => SentimentLabel };

export function evaluate(sets: DevSet[], scorers: Scorer[]) {
  const rows: { group: string; scorer: string; m: Metrics }[] = [];
  const byLang = new Map<string, DevSet[]>();
  for (const s of sets) byLang.set(s.lang, [...(byLang.get(s.lang) ?? []), s]);
  const predictions = new Map<string, Map<DevSet, SentimentLabel[]>>();
  for (const sc of scorers) {
    const per = new Map<DevSet, SentimentLabel[]>();
    for (const set of sets) per.set(set, set.samples.map((x) => sc.label(x.text)));
    predictions.set(sc.name, per);
  }
  const groups: [string, DevSet[]][] = [...sets.map((s): [string, DevSet[]] => [s.name, [s]]), ...[...byLang].map(([l, ss]): [string, DevSet[]] => [`ALL ${l}`, ss])];
  for (const [group, ss] of groups) {
    for (const sc of scorers) {
      const gold = ss.flatMap((s) => s.samples.map((x) => x.label));
      const pred = ss.flatMap((s) => predictions.get(sc.name)?.get(s) ?? []);
      rows.push({ group, scorer: sc.name, m: metrics(gold, pred) });
    }
  }
  return { rows, predictions };
}

const pct = (x: number): string => (x * 100).toFixed(1).padStart(5);

export function table(rows: { group: string; scorer: string; m: Metrics }[]): string {
  const head = ['set', 'scorer', 'n', 'acc', 'macroF1', 'F1 pos', 'F1 neu', 'F1 neg', 'P/R neg'];
  const lines = rows.map((r) => [
    r.group,
    r.scorer,
    String(r.m.n),
    pct(r.m.accuracy),
    pct(r.m.macroF1),
    r.m.perClass.positive.support ? pct(r.m.perClass.positive.f1) : '    –',
    r.m.perClass.neutral.support ? pct(r.m.perClass.neutral.f1) : '    –',
    r.m.perClass.negative.support ? pct(r.m.perClass.negative.f1) : '    –',
    `${pct(r.m.perClass.negative.precision)}/${pct(r.m.perClass.negative.recall).trim()}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const out = [fmt(head), `|${widths.map((w, i) => (i < 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`];
  let last = '';
  for (const l of lines) {
    if (l[0] === last) l[0] = '';
    else last = l[0] ?? '';
    out.push(fmt(l));
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, errors: { type: 'string' }, json: { type: 'boolean' } } });
  const dir = values.dir ? resolve(values.dir) : DEFAULT_DIR;
  if (!existsSync(dir)) {
    console.error(`Set di valutazione non trovati in ${dir}: servono i file etichettati di ../shared/fixtures/sentiment (vedi il loro SOURCES.md).`);
    process.exit(2);
  }
  const sets = loadSets(dir);
  const raw = readRawLists();
  const lex = buildLexicons(raw);
  const analyzer = new SentimentAnalyzer(lex);
  const baseIt = afinnBaseline(baselineOnly(raw, 'it'));
  const baseEn = afinnBaseline(baselineOnly(raw, 'en'));
  const t0 = performance.now();
  const { rows, predictions } = evaluate(sets, [
    { name: 'vedetta', label: (t) => analyzer.analyze(t).label },
  ]);
  const ms = performance.now() - t0;
  const base = evaluate(sets.filter((s) => s.lang === 'it'), [{ name: 'afinn-baseline', label: baseIt }, { name: 'all-neutral', label: () => 'neutral' }]);
  const baseE = evaluate(sets.filter((s) => s.lang === 'en'), [{ name: 'afinn-baseline', label: baseEn }, { name: 'all-neutral', label: () => 'neutral' }]);
  const all = [...rows, ...base.rows, ...baseE.rows];
  const order = [...new Set(rows.map((r) => r.group))];
  all.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
  if (values.json) {
    console.log(JSON.stringify(all.map((r) => ({ set: r.group, scorer: r.scorer, ...r.m })), null, 2));
    return;
  }
  const docs = sets.reduce((a, s) => a + s.samples.length, 0);
  console.log(`Sentiment — set di sviluppo in ${dir} (${docs} testi; vedetta: ${Math.round(docs / (ms / 1000))} testi/s)\n`);
  console.log(table(all));
  console.log('\nmacroF1 = media degli F1 delle classi presenti nel set (FEEL-IT non ha neutri).');
  console.log('afinn-baseline = somma dei pesi AFINN (lista tradotta per l’italiano, AFINN-165 per l’inglese) ed emoji, senza regole.');
  const nErr = Number(values.errors ?? 0);
  if (nErr > 0) {
    for (const set of sets) {
      const pred = predictions.get('vedetta')?.get(set) ?? [];
      console.log(`\n— errori in ${set.name} —`);
      let shown = 0;
      set.samples.forEach((s, i) => {
        if (shown < nErr && pred[i] !== s.label) {
          shown++;
          const r = analyzer.analyze(s.text);
          console.log(`[${s.label} → ${pred[i]} ${r.score.toFixed(2)} ${r.scorer}] ${s.text.slice(0, 160)}  ${JSON.stringify(r.terms)}`);
        }
      });
    }
  }
}

/** The lexicon the baseline reads: the translated AFINN list (it) or AFINN-165 (en) plus emoji, nothing curated. */
function baselineOnly(raw: ReturnType<typeof readRawLists>, lang: 'it' | 'en'): Lexicon {
  const lists = buildLexicons({ ...raw, curatedIt: [], curatedEmoji: [], curatedEn: [], itForms: [] });
  return lang === 'it' ? lists.it : lists.en;
}

if (resolve(process.argv[1] ?? '') === import.meta.filename) {
  void main();
}
