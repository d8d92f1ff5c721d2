// Rule-based sentiment for social text (Italian first; English words too for mixed texts).
// Lexicon weights are on the AFINN scale; the rules follow VADER's shape (Hutto & Gilbert
// 2014) adapted to Italian: negation with a scope, intensifiers and downtoners, contrast
// ("ma", "però": the clause after weighs more), elongation, capitals, exclamations, emoji.
// Over 400 lines (~405): the rules and the per-word facts they read (memoised once per word
// form, shared with the classifier's features) must agree on every word list and factor.
import type { SentimentTerm } from '../../shared/sentiment';
import { itStem, type Lexicon } from './lexicon';
import { deElongate, startsTitleCase, tokenize, type Token } from './tokenize';

/** How far back (in words) a negator or intensifier reaches. */
export const SCOPE = 3;

export const NEGATORS = new Set([
  'non', 'nn', 'mai', 'né', 'manco', 'zero', 'nessuno', 'nessuna', 'nessun', 'niente', 'nulla', 'senza', 'neanche', 'nemmeno', 'neppure',
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'without', 'neither', 'nor', 'cannot',
  'dont', 'cant', 'wont', 'isnt', 'arent', 'wasnt', 'werent', 'didnt', 'doesnt', 'havent', 'hasnt', 'shouldnt', 'wouldnt', 'couldnt', 'aint',
]);
/** "poco professionale" means "not professional": a weak, flipping downtoner. */
const WEAK_NEGATORS = new Map([['poco', -0.5], ['poca', -0.5], ['pochi', -0.5], ['poche', -0.5]]);

export const INTENSIFIERS = new Map<string, number>([
  ['molto', 1.4], ['troppo', 1.3], ['davvero', 1.4], ['veramente', 1.4], ['proprio', 1.2], ['tanto', 1.3],
  ['tantissimo', 1.5], ['assolutamente', 1.5], ['estremamente', 1.5], ['super', 1.4], ['stra', 1.4],
  ['parecchio', 1.3], ['decisamente', 1.4], ['particolarmente', 1.3], ['incredibilmente', 1.5], ['così', 1.2],
  ['talmente', 1.4], ['totalmente', 1.4], ['completamente', 1.4], ['sempre', 1.1], ['troppi', 1.3], ['troppa', 1.3],
  ['molti', 1.2], ['molta', 1.4], ['molte', 1.2],
  ['very', 1.4], ['really', 1.4], ['so', 1.3], ['extremely', 1.5], ['too', 1.2], ['totally', 1.4],
  ['absolutely', 1.5], ['incredibly', 1.5], ['such', 1.2], ['most', 1.3], ['completely', 1.4], ['truly', 1.4],
  // Downtoners.
  ['abbastanza', 0.7], ['piuttosto', 0.7], ['leggermente', 0.5], ['quasi', 0.5], ['po', 0.6], ['appena', 0.6],
  ['slightly', 0.5], ['somewhat', 0.6], ['kinda', 0.6], ['fairly', 0.7], ['barely', 0.5], ['almost', 0.5],
]);

/** A contrast word: what comes before it weighs less, what comes after weighs more. */
export const CONTRAST = new Set(['ma', 'però', 'pero', 'tuttavia', 'eppure', 'but', 'however', 'yet']);
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;

export const NEGATION_FACTOR = -0.74;
export const CAPS_FACTOR = 1.3;
export const ELONGATION_FACTOR = 1.3;
export const SUPERLATIVE_FACTOR = 1.3;
/** Added to the magnitude of the total per "!" (at most four). */
export const EXCLAMATION_BOOST = 0.3;
/** Feelings asked about weigh less than feelings stated ("è buono?" vs "è buono"). */
export const QUESTION_FACTOR = 0.5;
/** VADER's normalisation constant: score = s / sqrt(s² + α). */
const ALPHA = 15;

export interface RuleResult {
  /** In [-1, 1]. */
  score: number;
  /** Sum of the weighted contributions, AFINN scale. */
  raw: number;
  terms: SentimentTerm[];
}

interface Item {
  term: string;
  weight: number;
  at: number;
}

export function isNegator(w: string): boolean {
  return NEGATORS.has(w) || w.endsWith("n't");
}

// Memo of wordWeight per lexicon (lexicons are built once and never change afterwards):
// social text repeats the same few thousand words, and most of them are misses that would
// walk the forms, stems and superlatives every time. Bounded; cleared wholesale when full.
const WEIGHT_MEMO_MAX = 100_000;
const weightMemo = new WeakMap<Lexicon, Map<string, number | null>>();

/** Weight of one word, trying elongation-free forms and Italian inflections. */
export function wordWeight(lex: Lexicon, w: string, elongated: boolean): number | undefined {
  let memo = weightMemo.get(lex);
  if (!memo) {
    memo = new Map();
    weightMemo.set(lex, memo);
  }
  const key = elongated ? `${w}\u0001` : w;
  const known = memo.get(key);
  if (known !== undefined) return known ?? undefined;
  const v = lookupWeight(lex, w, elongated);
  if (memo.size >= WEIGHT_MEMO_MAX) memo.clear();
  memo.set(key, v ?? null);
  return v;
}

function lookupWeight(lex: Lexicon, w: string, elongated: boolean): number | undefined {
  const direct = lex.words.get(w);
  if (direct !== undefined) return direct;
  if (lex.blocked.has(w)) return undefined;
  const forms = elongated ? deElongate(w) : [w];
  if (elongated) {
    for (const f of forms) {
      const v = lex.words.get(f);
      if (v !== undefined) return v;
    }
  }
  for (const f of forms) {
    const lemma = lex.forms.get(f);
    const v = lemma === undefined ? undefined : lex.words.get(lemma);
    if (v !== undefined) return v;
  }
  if (lex.stems.size === 0) return undefined;
  for (const f of forms) {
    if (f.length < 5) continue;
    const { stem, superlative } = itStem(f);
    if (superlative) {
      const base = lex.words.get(`${stem}o`) ?? lex.words.get(`${stem}e`) ?? lex.stems.get(stem);
      if (base !== undefined) return Math.max(-5, Math.min(5, base * SUPERLATIVE_FACTOR));
    } else if (stem !== f) {
      const v = lex.stems.get(stem);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/**
 * What the rules ask of one word token, all pure functions of its norm (and elongation) and
 * of the lexicon (built once, never changed): looked up once per word form instead of a
 * handful of set and map look-ups per token, per mention.
 */
export interface WordFacts {
  /** isNegator(norm). */
  negator: boolean;
  /** CONTRAST.has(norm). */
  contrast: boolean;
  /** INTENSIFIERS.get(norm). */
  intensity: number | undefined;
  /** WEAK_NEGATORS.get(norm). */
  weak: number | undefined;
  /** wordWeight(lex, norm, elongated). */
  weight: number | undefined;
  /** lex.words.get(norm): a name-like word counts only as an exact entry. */
  exact: number | undefined;
  /** Lengths of the lexicon's phrases that may start at this word. */
  phrases: readonly number[] | undefined;
}

/** The facts of a word token (`norm`, `elongated` as in Token) under a lexicon. */
export function wordFacts(lex: Lexicon, norm: string, elongated: boolean): WordFacts {
  return {
    negator: isNegator(norm),
    contrast: CONTRAST.has(norm),
    intensity: INTENSIFIERS.get(norm),
    weak: WEAK_NEGATORS.get(norm),
    weight: wordWeight(lex, norm, elongated),
    exact: lex.words.get(norm),
    phrases: lex.phraseStarts.get(norm) ?? (elongated ? lex.phraseStarts.get(deElongate(norm)[0] ?? '') : undefined),
  };
}

const FACTS_MEMO_MAX = 100_000;
const factsMemo = new WeakMap<Lexicon, Map<string, WordFacts>>();

/** wordFacts, memoised per lexicon like wordWeight (the rule scorer's own path: no caller memo). */
function memoFacts(lex: Lexicon, t: Token): WordFacts {
  let memo = factsMemo.get(lex);
  if (!memo) {
    memo = new Map();
    factsMemo.set(lex, memo);
  }
  const key = t.elongated ? `${t.norm}\u0001` : t.norm;
  let f = memo.get(key);
  if (f === undefined) {
    f = wordFacts(lex, t.norm, t.elongated);
    if (memo.size >= FACTS_MEMO_MAX) memo.clear();
    memo.set(key, f);
  }
  return f;
}

/** The facts of each word token (null for the others), aligned with `tokens`. */
function factsOf(lex: Lexicon, tokens: readonly Token[]): (WordFacts | null)[] {
  const out = new Array<WordFacts | null>(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    out[i] = t && t.kind === 'word' ? memoFacts(lex, t) : null;
  }
  return out;
}

/** A lexicon phrase starting at token i (`lens`: the phrase lengths its first word may start). */
function phraseAt(lex: Lexicon, tokens: readonly Token[], i: number, lens: readonly number[] | undefined): { len: number; weight: number } | null {
  if (!lens) return null;
  for (const len of lens) {
    if (i + len > tokens.length) continue;
    const parts: string[] = [];
    let ok = true;
    for (let k = i; k < i + len; k++) {
      const t = tokens[k];
      if (!t || t.kind !== 'word') {
        ok = false;
        break;
      }
      parts.push(t.elongated ? (deElongate(t.norm)[0] ?? t.norm) : t.norm);
    }
    if (!ok) continue;
    const weight = lex.phrases.get(parts.join(' '));
    if (weight !== undefined) return { len, weight };
  }
  return null;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function normalizeScore(raw: number): number {
  if (raw === 0) return 0;
  const s = raw / Math.sqrt(raw * raw + ALPHA);
  return Math.max(-1, Math.min(1, s));
}

/** Scores one text with the given lexicon. Never throws; empty text scores 0. */
export function scoreWithRules(text: string, lex: Lexicon, tokens: readonly Token[] = tokenize(text)): RuleResult {
  return rules(lex, tokens, true, factsOf(lex, tokens));
}

/**
 * The score alone (scoreWithRules(…).score): the classifier's features read only the number,
 * and naming each driver ("non … buono") and ranking them was a fifth of the rules' cost.
 * `facts`: each word token's facts (null for other tokens), aligned with `tokens`, when the
 * caller has them at hand; else they are looked up here.
 */
export function ruleScore(lex: Lexicon, tokens: readonly Token[], facts?: readonly (WordFacts | null)[]): number {
  return rules(lex, tokens, false, facts ?? factsOf(lex, tokens)).score;
}

const NO_TERMS: SentimentTerm[] = [];

function rules(lex: Lexicon, tokens: readonly Token[], named: boolean, facts: readonly (WordFacts | null)[]): RuleResult {
  const items: Item[] = [];
  let exclamations = 0;
  let lastContrast = -1;

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.kind === 'excl') {
      exclamations += t.count;
      continue;
    }
    if (t.kind === 'break' || t.kind === 'quest') continue;

    let weight: number | undefined;
    let len = 1;
    if (t.kind === 'word') {
      const f = facts[i] ?? memoFacts(lex, t);
      if (f.contrast) {
        // A sentence-opening "Ma…" is an interjection, not a contrast with what came before.
        if (items.length > 0) lastContrast = i;
        continue;
      }
      const phrase = phraseAt(lex, tokens, i, f.phrases);
      if (phrase) {
        weight = phrase.weight;
        len = phrase.len;
      } else if (f.negator || f.weak !== undefined || (f.intensity !== undefined && tokens[i + 1]?.kind === 'word')) {
        // A modifier, read by the word it modifies. An intensifier with no word after it
        // is a word itself ("Prodotto super!").
        continue;
      } else if (isProperNounLike(tokens, i)) {
        // "Bari", "Monti", "Serena": a capitalized word inside a sentence is most often a
        // name; only an exact lexicon entry counts, never a guessed inflection.
        weight = f.exact;
      } else {
        weight = f.weight;
        if (weight === undefined && t.hashtag) weight = hashtagPrefixWeight(lex, t.norm);
      }
    } else {
      weight = lex.words.get(t.norm);
    }
    if (weight === undefined || weight === 0) {
      i += len - 1;
      continue;
    }

    const surface = named ? tokens.slice(i, i + len).map((x) => x.raw).join(' ') : '';
    let label = surface;
    if (t.kind === 'word') {
      // Look back within the clause for negators and intensifiers.
      let negated = false;
      let weak = 1;
      let intensity = 1;
      const mods: string[] = [];
      let words = 0;
      for (let k = i - 1; k >= 0 && words < SCOPE; k--) {
        const p = tokens[k];
        if (!p || p.kind !== 'word') break;
        const pf = facts[k] ?? memoFacts(lex, p);
        if (pf.contrast) break;
        words++;
        if (pf.negator) {
          // Italian negation is concordant: "non … mai", "non … niente" is one negation.
          negated = true;
          if (named) mods.unshift(p.raw);
        } else if (pf.weak !== undefined) {
          weak = pf.weak;
          if (named) mods.unshift(p.raw);
        } else if (pf.intensity !== undefined && words <= 2) {
          intensity *= pf.intensity;
          if (named) mods.unshift(p.raw);
        }
      }
      // "not very good" is mildly bad, not very bad: negation drops the intensifier.
      if (negated) weight *= NEGATION_FACTOR;
      else weight *= intensity * weak;
      let shout = false;
      let long = false;
      for (let k = i; k < i + len; k++) {
        shout ||= tokens[k]?.caps ?? false;
        long ||= tokens[k]?.elongated ?? false;
      }
      if (shout) weight *= CAPS_FACTOR;
      if (long) weight *= ELONGATION_FACTOR;
      if (named && mods.length) label = `${mods.join(' ')}${isAdjacent(tokens, i, mods.length) ? ' ' : ' … '}${surface}`;
    }
    items.push({ term: label, weight, at: i });
    i += len - 1;
  }

  // A sentence closed by "?" is a question: its words say less about the writer's feeling.
  if (items.length > 0 && tokens.some((x) => x.kind === 'quest')) {
    const inQuestion: boolean[] = new Array<boolean>(tokens.length).fill(false);
    let q = false;
    for (let k = tokens.length - 1; k >= 0; k--) {
      const kind = tokens[k]?.kind;
      if (kind === 'quest') q = true;
      else if (kind === 'break' || kind === 'excl') q = false;
      inQuestion[k] = q;
    }
    for (const it of items) if (inQuestion[it.at]) it.weight *= QUESTION_FACTOR;
  }
  // A contrast only shifts the weight when something is said after it ("che rabbia però!").
  if (lastContrast >= 0 && items.some((it) => it.at > lastContrast)) {
    for (const it of items) it.weight *= it.at < lastContrast ? BEFORE_CONTRAST : AFTER_CONTRAST;
  }
  let raw = 0;
  for (const it of items) raw += it.weight;
  if (raw !== 0 && exclamations > 0) raw += Math.sign(raw) * EXCLAMATION_BOOST * Math.min(exclamations, 4);

  return { score: normalizeScore(raw), raw, terms: named ? topTerms(items) : NO_TERMS };
}

/** Hashtags run words together: the longest lexicon word (5+ letters) that starts one. */
function hashtagPrefixWeight(lex: Lexicon, tag: string): number | undefined {
  for (let len = Math.min(tag.length - 1, 20); len >= 5; len--) {
    const head = tag.slice(0, len);
    const lemma = lex.forms.get(head);
    const v = lex.words.get(head) ?? (lemma === undefined ? undefined : lex.words.get(lemma));
    if (v !== undefined) return v;
  }
  return undefined;
}

const TITLE_CASE = /^\p{Lu}\p{Ll}/u;

function isProperNounLike(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  const prev = tokens[i - 1];
  return !!t && !t.caps && !t.hashtag && startsTitleCase(t.raw, TITLE_CASE) && prev?.kind === 'word';
}

/** Whether the modifiers sit right before the word (then "non buono", else "non … buono"). */
function isAdjacent(tokens: readonly Token[], i: number, mods: number): boolean {
  for (let k = i - mods; k < i; k++) {
    const p = tokens[k];
    if (!p || !(isNegator(p.norm) || INTENSIFIERS.has(p.norm) || WEAK_NEGATORS.has(p.norm))) return false;
  }
  return true;
}

export const MAX_TERMS = 8;

/** Drivers merged by term, strongest first. */
export function topTerms(items: readonly { term: string; weight: number }[]): SentimentTerm[] {
  const byTerm = new Map<string, number>();
  for (const it of items) {
    const key = it.term.length > 120 ? `${it.term.slice(0, 119)}…` : it.term;
    byTerm.set(key, (byTerm.get(key) ?? 0) + it.weight);
  }
  return [...byTerm]
    .filter(([, w]) => Math.abs(w) >= 0.005)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, MAX_TERMS)
    .map(([term, weight]) => ({ term, weight: round2(weight) }));
}
