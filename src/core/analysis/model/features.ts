// Over 400 lines (~445) on purpose: one extractor that training and scoring share; its feature groups kept side by side stay in step with each other and with the model file.
// What the sentiment classifier sees of a text: hashed sparse features, each remembering
// which of the input's own words it came from (so "Perché negativo?" is answered from the
// model's weights on this text's words, never from a separate lexicon pass).
//
// Groups (each L2-normalised on its own, then scaled):
//   words  — unigrams (negated ones marked "¬" within the negator's scope), word pairs,
//            hashtags and their split words, emoji and emoticons, names marked as names;
//   chars  — character 3–5-grams inside each word (inflections, typos, run-together tags);
//   signals— the rule scorer's signals: lexicon polarity after negation/intensifiers/
//            contrast, its overall score, exclamations, questions, capitals, elongation.
// Proper names and quoted titles ("La Buona Scuola", «Il Grande Fratello») become name
// features: their words do not count as opinion words.
import { ruleScore, NEGATION_FACTOR, wordFacts, wordWeight, type WordFacts } from '../sentiment-rules';
import type { Lexicon } from '../lexicon';
import { deElongate, startsTitleCase, tokenize, type Token } from '../tokenize';
import { Builder } from './feature-builder';
import { hashPrefix, hashSpan, hashString } from './hash';
import { splitHashtagMemo, type Dictionary } from './hashtags';

export interface FeatureOptions {
  /** log2 of the number of buckets. */
  bits: number;
  /** Character n-gram lengths [min, max]; [0, 0] = none. */
  charRange: [number, number];
  /** Scale of the char group against the word group. */
  charWeight: number;
  /** Scale of the signals group. */
  signalWeight: number;
  /** Word pairs. */
  bigrams: boolean;
  /** Mark negated words. */
  negation: boolean;
  /**
   * Names and quoted titles: 'mark' = name features instead of words; 'signals' = kept as
   * words but never counted as opinion words by the lexicon signals; 'off' = plain words.
   */
  names: 'mark' | 'signals' | 'off';
  /** The rule scorer's signals. */
  signals: boolean;
  /** Split run-together hashtags with the lexicon's words. */
  splitHashtags: boolean;
  /** Articles, prepositions, pronouns…: no unigram or character n-grams of their own (pairs keep them). */
  stopwords: boolean;
}

export const DEFAULT_FEATURES: FeatureOptions = {
  bits: 20,
  charRange: [3, 5],
  charWeight: 1,
  signalWeight: 1,
  bigrams: true,
  negation: true,
  names: 'signals',
  signals: true,
  splitHashtags: true,
  stopwords: false,
};

/**
 * Grammar words, Italian and English: alone they say nothing of a feeling, but a corpus's
 * topics give them a lean (political tweets are long and negative) that a brand's stream
 * would inherit. Negators and contrast words are not here: they are signals.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'il', 'lo', 'la', 'i', 'gli', 'le', 'un', 'uno', 'una', 'di', 'a', 'da', 'in', 'con', 'su', 'per', 'tra', 'fra',
  'del', 'dello', 'della', 'dei', 'degli', 'delle', 'al', 'allo', 'alla', 'ai', 'agli', 'alle', 'dal', 'dallo',
  'dalla', 'dai', 'dagli', 'dalle', 'nel', 'nello', 'nella', 'nei', 'negli', 'nelle', 'sul', 'sullo', 'sulla',
  'sui', 'sugli', 'sulle', 'e', 'ed', 'o', 'od', 'che', 'chi', 'cui', 'se', 'ci', 'si', 'mi', 'ti', 'vi', 'ne',
  'io', 'tu', 'lui', 'lei', 'noi', 'voi', 'loro', 'è', 'sono', 'questo', 'questa', 'quel', 'quello', 'quella',
  'the', 'a', 'an', 'of', 'to', 'in', 'on', 'at', 'for', 'with', 'by', 'from', 'and', 'or', 'is', 'are', 'was',
  'were', 'be', 'it', 'its', 'this', 'that', 'i', 'you', 'he', 'she', 'we', 'they', 'my', 'your', 'his', 'her',
  'our', 'their', 'me', 'him', 'us', 'them',
]);

/** A text as features: parallel arrays of bucket, value and source word (-1: the whole text). */
export interface Features {
  index: Int32Array;
  value: Float32Array;
  source: Int32Array;
  length: number;
  /** Display form of each source word ("non … buono", "😡", "#boicottalunetta"). */
  words: string[];
  /** The words that fed the lexicon signals (sources -2 positive, -3 negative), with their weights. */
  lexicon: { src: number; w: number }[];
  /** 1 where a source word is a grammar word (STOPWORDS.has of its lower case), known while the words are read: the explanation leaves them out. */
  stops: Uint8Array;
}


const P_WORD = hashPrefix('w:');
const P_NEG = hashPrefix('¬:');
const P_NAME = hashPrefix('n:');
const P_PAIR = hashPrefix('b:');
const P_TAG = hashPrefix('h:');
const P_EMO = hashPrefix('e:');
const P_CHAR = hashPrefix('c:');
const RULE_BINS = [-0.75, -0.45, -0.2, -0.05, 0.05, 0.2, 0.45, 0.75];
const SIGNAL = {
  lexPos: hashString('s:', 'lex+'),
  lexNeg: hashString('s:', 'lex-'),
  noLex: hashString('s:', 'nolex'),
  rule: hashString('s:', 'rule'),
  ruleBin: RULE_BINS.map((_, i) => hashString('s:', `rulebin${i}`)).concat(hashString('s:', `rulebin${RULE_BINS.length}`)),
  excl: hashString('s:', '!'),
  quest: hashString('s:', '?'),
  caps: hashString('s:', 'CAPS'),
  elong: hashString('s:', 'elong'),
  negated: hashString('s:', 'neg'),
  contrast: hashString('s:', 'contrast'),
  empty: hashString('s:', 'empty'),
};

/** Opening and closing quotes around a title: "…", “…”, «…», '…' is too often an apostrophe. */
const QUOTED = /["“«]([^"”»\n]{2,60})["”»]/gu;
const TITLE_CASE = /^\p{Lu}[\p{Ll}\p{M}]/u;

const scratch = new Builder();


/**
 * What the features need of one word form, looked up once: a stream repeats its words all the
 * time, and hashing every 3–5-gram of every word plus a dozen set and map look-ups per word were
 * a large part of a mention's cost. Pure functions of the form, the lexicon and the n-gram
 * range, so a memo cannot change a feature.
 */
interface FormInfo extends WordFacts {
  /** STOPWORDS.has(form). */
  stop: boolean;
  /** Hashes of the form as a word, as a negated word, and as the first word of a pair. */
  word: number;
  neg: number;
  pair: number;
  /** Character n-gram hashes, in the order they are added (every n-gram of the shortest length first). */
  grams: Int32Array;
}

const FORM_MEMO_MAX = 50_000;
const formMemos = new WeakMap<Lexicon, Map<string, Map<string, FormInfo>>>();

/** The memo of one lexicon and n-gram range. */
function formMemo(lex: Lexicon, lo: number, hi: number): Map<string, FormInfo> {
  let byRange = formMemos.get(lex);
  if (!byRange) {
    byRange = new Map();
    formMemos.set(lex, byRange);
  }
  const key = `${lo},${hi}`;
  let memo = byRange.get(key);
  if (!memo) {
    memo = new Map();
    byRange.set(key, memo);
  }
  return memo;
}

/** The character n-gram hashes of `form` (with its < > word marks) for n in [lo, hi]. */
export function charGrams(form: string, lo: number, hi: number): Int32Array {
  const s = `<${form}>`;
  const out: number[] = [];
  for (let n = lo; n <= hi; n++) {
    for (let k = 0; k + n <= s.length; k++) out.push(hashSpan(P_CHAR, s, k, k + n));
  }
  return Int32Array.from(out);
}

function formInfo(memo: Map<string, FormInfo>, form: string, lex: Lexicon, lo: number, hi: number): FormInfo {
  let info = memo.get(form);
  if (info === undefined) {
    // The rules' facts of the form as a word token's own (non-elongated) norm: passed to
    // ruleScore, so it does not look each word up again.
    const facts = wordFacts(lex, form, false);
    info = {
      negator: facts.negator,
      contrast: facts.contrast,
      intensity: facts.intensity,
      weak: facts.weak,
      weight: facts.weight,
      exact: facts.exact,
      phrases: facts.phrases,
      stop: STOPWORDS.has(form),
      word: hashSpan(P_WORD, form, 0, form.length),
      neg: hashSpan(P_NEG, form, 0, form.length),
      pair: hashSpan(P_PAIR, form, 0, form.length) ^ 0x20,
      grams: hi > 0 ? charGrams(form, lo, hi) : EMPTY_GRAMS,
    };
    // Wholesale reset keeps it bounded; a stream's frequent words come right back.
    if (memo.size >= FORM_MEMO_MAX) memo.clear();
    memo.set(form, info);
  }
  return info;
}
const EMPTY_GRAMS = new Int32Array(0);

/** Words inside quotes that look like a title (several words, at least one capitalised). */
function quotedTitleWords(text: string): Set<string> | null {
  if (!/["“«]/u.test(text)) return null;
  let out: Set<string> | null = null;
  for (const m of text.matchAll(QUOTED)) {
    const inner = m[1] ?? '';
    const words = inner.split(/\s+/u).filter(Boolean);
    if (words.length < 1 || words.length > 6 || !words.some((w) => TITLE_CASE.test(w))) continue;
    out ??= new Set();
    for (const w of words) out.add(w.toLowerCase().replace(/[^\p{L}\p{M}']/gu, ''));
  }
  return out;
}


/**
 * The features of one text for one language's lexicon. Deterministic; never throws on odd
 * input (empty text gives only the "empty" signal).
 */
export function extractFeatures(text: string, lex: Lexicon, dict: Dictionary, opt: FeatureOptions = DEFAULT_FEATURES, tokens: readonly Token[] = tokenize(text)): Features {
  const { length, words, lexicon } = fill(text, lex, dict, opt, tokens);
  const b = scratch;
  return {
    index: b.index.slice(0, length),
    // Rounded to single precision here (the constructor rounds as Float32Array.from did, without its iteration).
    value: new Float32Array(b.value.subarray(0, length)),
    source: b.source.slice(0, length),
    length,
    words,
    lexicon,
    stops: b.stops.slice(0, words.length),
  };
}

/**
 * extractFeatures without the copies: the arrays are views of buffers the next extraction
 * overwrites, for a caller that is done with them before it extracts again (a prediction
 * reads a text's features once, then drops them).
 */
export function borrowFeatures(text: string, lex: Lexicon, dict: Dictionary, opt: FeatureOptions = DEFAULT_FEATURES, tokens: readonly Token[] = tokenize(text)): Features {
  const { length, words, lexicon } = fill(text, lex, dict, opt, tokens);
  const b = scratch;
  // Float32Array.set rounds each double as the Float32Array constructor does.
  b.value32.set(b.value.subarray(0, length));
  return {
    index: b.index.subarray(0, length),
    value: b.value32.subarray(0, length),
    source: b.source.subarray(0, length),
    length,
    words,
    lexicon,
    stops: b.stops.subarray(0, words.length),
  };
}

/** Lexicon evidence gathered while the words are read (sources -2 positive, -3 negative). */
class LexEvidence {
  pos = 0;
  neg = 0;
  readonly by: { src: number; w: number }[] = [];
  /**
   * The evidence of a word of weight `v0` (wordWeight(lex, form, false)) after an
   * intensifier of `intensity`. A method rather than a closure inside fill: no function
   * object made (and named) per text.
   */
  add(v0: number | undefined, negated: boolean, intensity: number, src: number): void {
    if (!v0) return;
    let v = v0 * (intensity > 1 ? intensity : 1);
    if (negated) v = NEGATION_FACTOR * v;
    if (v > 0) this.pos += v;
    else this.neg -= v;
    this.by.push({ src, w: v });
  }
}

/** Fills the scratch builder with a text's features; returns their count, source words and lexicon evidence. */
function fill(text: string, lex: Lexicon, dict: Dictionary, opt: FeatureOptions, tokens: readonly Token[]): { length: number; words: string[]; lexicon: { src: number; w: number }[] } {
  const b = scratch.reset((1 << opt.bits) - 1);
  const words: string[] = [];
  const titles = opt.names !== 'off' ? quotedTitleWords(text) : null;
  // The rule scorer reads the text without its names, so "La Buona Scuola" praises nothing.
  const ruleTokens: Token[] = [];
  // The rules' facts of each of ruleTokens (null for what is not a word), from the form memo.
  const ruleFacts: (WordFacts | null)[] = [];

  // Lexicon evidence per source word, for the signals and their explanation.
  const evidence = new LexEvidence();
  let negScope = 0;
  let negator = '';
  let negatorAt = -1;
  let sentenceStart = true;
  let prevWord: FormInfo | null = null;
  let excl = 0;
  let quest = 0;
  let caps = 0;
  let elong = 0;
  let negatedCount = 0;
  let contrast = false;
  let intensity = 1;

  const wordsFrom = b.length;
  // Each word's character n-grams and source, added after the word group is normalised.
  const charGramsOf: Int32Array[] = [];
  const charSources: number[] = [];
  const [lo, hi] = opt.charRange;
  const memo = formMemo(lex, lo, hi);

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.kind !== 'word') {
      ruleTokens.push(t);
      ruleFacts.push(null);
    }
    if (t.kind === 'break' || t.kind === 'excl' || t.kind === 'quest') {
      if (t.kind === 'excl') excl += t.count;
      if (t.kind === 'quest') quest += t.count;
      negScope = 0;
      sentenceStart = true;
      prevWord = null;
      intensity = 1;
      continue;
    }
    if (t.kind === 'emoji' || t.kind === 'emoticon') {
      const src = words.push(t.raw) - 1;
      b.stop(src, STOPWORDS.has(t.raw.toLowerCase()));
      b.add(hashSpan(P_EMO, t.norm, 0, t.norm.length), 1, src);
      const v = lex.words.get(t.norm);
      if (v) {
        if (v > 0) evidence.pos += v;
        else evidence.neg -= v;
        evidence.by.push({ src, w: v });
      }
      prevWord = null;
      continue;
    }
    // A word.
    let form = t.norm;
    if (t.elongated) {
      form = deElongate(form)[0] ?? form;
      elong++;
    }
    if (t.caps) caps++;
    const info = formInfo(memo, form, lex, lo, hi);
    // The form's facts are the token's own unless it is elongated (then form ≠ norm: rare).
    const facts: WordFacts = t.elongated ? wordFacts(lex, t.norm, true) : info;
    if (info.negator && !t.hashtag) {
      ruleTokens.push(t);
      ruleFacts.push(facts);
      negScope = 3;
      negator = t.raw;
      negatorAt = i;
      if (opt.bigrams && prevWord !== null) b.add(hashSpan(prevWord.pair, form, 0, form.length), 1, -1);
      b.add(info.word, 1, -1);
      prevWord = info;
      sentenceStart = false;
      continue;
    }
    if (info.contrast) {
      ruleTokens.push(t);
      ruleFacts.push(facts);
      negScope = 0;
      contrast = true;
    }
    const isName =
      opt.names !== 'off' &&
      !t.hashtag &&
      !t.caps &&
      ((!sentenceStart && startsTitleCase(t.raw, TITLE_CASE)) || (titles !== null && titles.has(form)));
    const negated = opt.negation && negScope > 0 && !t.hashtag && !isName;
    const display = negated ? `${negator}${negatorAt === i - 1 ? ' ' : ' … '}${t.raw}` : t.hashtag ? `#${t.raw}` : t.raw;
    const src = words.push(display) - 1;
    // A plain word's display is its raw form, whose lower case is the token's norm (the form
    // itself unless elongated); the others are worded out as the explanation did.
    b.stop(src, negated || t.hashtag ? STOPWORDS.has(display.toLowerCase()) : t.elongated ? STOPWORDS.has(t.norm) : info.stop);
    if (negated) negatedCount++;

    if (!isName && !info.contrast) {
      ruleTokens.push(t);
      ruleFacts.push(facts);
    }
    if (isName && opt.names === 'mark') {
      b.add(hashSpan(P_NAME, form, 0, form.length), 1, src);
    } else if (isName) {
      b.add(info.word, 1, src);
      b.add(hashSpan(P_NAME, form, 0, form.length), 1, src);
      charGramsOf.push(info.grams);
      charSources.push(src);
    } else if (t.hashtag) {
      b.add(hashSpan(P_TAG, form, 0, form.length), 1, src);
      b.add(info.word, 1, src);
      charGramsOf.push(info.grams);
      charSources.push(src);
      const parts = opt.splitHashtags ? splitHashtagMemo(form, dict) : null;
      if (parts) for (const p of parts) b.add(hashSpan(P_WORD, p, 0, p.length), 1, src);
      if (parts) for (const p of parts) evidence.add(wordWeight(lex, p, false), false, intensity, src);
      else evidence.add(info.weight, false, intensity, src);
    } else if (opt.stopwords && STOPWORDS.has(form)) {
      // Only in the word pair below.
    } else {
      b.add(negated ? info.neg : info.word, 1, src);
      charGramsOf.push(info.grams);
      charSources.push(src);
      if (info.intensity === undefined) evidence.add(info.weight, negated, intensity, src);
    }
    if (opt.bigrams && prevWord !== null && !t.hashtag) {
      b.add(hashSpan(prevWord.pair, form, 0, form.length), 1, src);
    }
    intensity = info.intensity ?? 1;
    prevWord = t.hashtag ? null : info;
    sentenceStart = false;
    if (negScope > 0) negScope--;
  }

  b.normalize(wordsFrom, 1);
  if (opt.charRange[1] > 0) {
    // Every n-gram counts 1, so L2-normalising the group (normalize()) gives each one
    // scale / √count, exactly (the squares sum to the count; 1 × k is k): written directly,
    // without a second and a third pass over the text's largest group.
    let count = 0;
    for (let c = 0; c < charGramsOf.length; c++) count += charGramsOf[c]!.length;
    const k = opt.charWeight / Math.sqrt(count);
    for (let c = 0; c < charGramsOf.length; c++) b.addAll(charGramsOf[c]!, k, charSources[c]!);
  }

  if (opt.signals) {
    const sw = opt.signalWeight;
    const lexSrc = -2; // explained through lexBy
    const { pos: lexPos, neg: lexNeg } = evidence;
    if (lexPos > 0) b.add(SIGNAL.lexPos, sw * Math.log1p(lexPos / 2), lexSrc);
    if (lexNeg > 0) b.add(SIGNAL.lexNeg, sw * Math.log1p(lexNeg / 2), lexSrc - 1);
    if (lexPos === 0 && lexNeg === 0) b.add(SIGNAL.noLex, sw, -1);
    const rule = ruleScore(lex, ruleTokens, ruleFacts);
    b.add(SIGNAL.rule, sw * rule, -1);
    let bin = 0;
    while (bin < RULE_BINS.length && rule > (RULE_BINS[bin] ?? 0)) bin++;
    b.add(SIGNAL.ruleBin[bin] ?? 0, sw, -1);
    if (excl) b.add(SIGNAL.excl, sw * Math.min(excl, 3) / 3, -1);
    if (quest) b.add(SIGNAL.quest, sw * Math.min(quest, 3) / 3, -1);
    if (caps) b.add(SIGNAL.caps, sw, -1);
    if (elong) b.add(SIGNAL.elong, sw, -1);
    if (negatedCount) b.add(SIGNAL.negated, sw, -1);
    if (contrast) b.add(SIGNAL.contrast, sw, -1);
  }
  if (words.length === 0) b.add(SIGNAL.empty, 1, -1);

  return { length: b.length, words, lexicon: evidence.by };
}
