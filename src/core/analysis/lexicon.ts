// The lexicons the rule scorer reads, all in resources/sentiment: openly licensed lists taken
// from npm packages at build time (npm run build:lexicon) and Vedetta's curated lists. See
// resources/sentiment/README.md for sources and licences.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiError } from '../../shared/contract';
import { emojiKey } from './tokenize';

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

/** The folder with the lexicons: the given resources dir, else the repository's. */
export function sentimentResourcesDir(resourcesDir?: string): string | null {
  // The given folder first; then the repository's (development runs, tests with an empty
  // resources folder), found from this module or the working directory.
  const candidates = [
    ...(resourcesDir ? [join(resourcesDir, 'sentiment')] : []),
    resolve(import.meta.dirname, '../../../resources/sentiment'),
    resolve(import.meta.dirname, '../../resources/sentiment'),
    resolve(process.cwd(), 'resources/sentiment'),
  ];
  return candidates.find((d) => existsSync(join(d, 'it-social.tsv')) && existsSync(join(d, 'afinn-it.json'))) ?? null;
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
  /** Where the lists were read from. */
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

/** Thrown when the lexicon folder is missing: sentiment cannot run without it. */
export class LexiconsMissingError extends ApiError {
  override name = 'LexiconsMissingError';
}

export function readRawLists(resourcesDir?: string): RawLists {
  const dir = sentimentResourcesDir(resourcesDir);
  if (!dir) {
    throw resourcesDir ? new LexiconsMissingError('sentiment.lexiconsMissingIn', { dir: join(resourcesDir, 'sentiment') }) : new LexiconsMissingError('sentiment.lexiconsMissing');
  }
  const text = (name: string): string => readFileSync(join(dir, name), 'utf8');
  const optional = (name: string): string => (existsSync(join(dir, name)) ? text(name) : '');
  return {
    afinnIt: JSON.parse(text('afinn-it.json')) as Record<string, number>,
    afinnEn: JSON.parse(text('afinn-en.json')) as Record<string, number>,
    emojiRanking: new Map(parseTsv(optional('emoji-ranking.tsv'))),
    curatedIt: parseTsv(text('it-social.tsv')),
    curatedEmoji: parseTsv(optional('emoji.tsv')),
    curatedEn: parseTsv(optional('en-social.tsv')),
    itForms: parsePairs(optional('it-forms.tsv')),
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
