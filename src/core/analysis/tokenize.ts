// A tokenizer for social text, shaped for the sentiment rules: words (with elisions split
// off, elongations and shouting noted), hashtags as words, emoji, emoticons, exclamation
// runs and clause breaks. URLs and @handles are dropped: they carry no feeling.

export type TokenKind = 'word' | 'emoji' | 'emoticon' | 'excl' | 'quest' | 'break';

export interface Token {
  kind: TokenKind;
  /** Lower-cased, elongation kept (for display use `raw`). */
  norm: string;
  /** As written. */
  raw: string;
  /** Letters repeated three times or more ("bellissimooo"). */
  elongated: boolean;
  /** All capitals, at least three letters ("VERGOGNA"). */
  caps: boolean;
  /** Number of marks for excl/quest tokens. */
  count: number;
  /** Written as a #hashtag (possibly several words run together: "#vergognaaurora"). */
  hashtag?: boolean;
}

// Emoticons must stand alone: "xD" inside "xDomani" is a word.
const EMOTICON = String.raw`(?<![\p{L}\p{N}])(?:[:;=][\-'^]?[)(\]\[dDpP\/\\|*oO3]+|[xX][dD]+|<3+|</3|\^_*\^|[)(][\-']?[:;=])(?![\p{L}\p{N}])`;
// Numbered groups, not named ones: no groups object per match on the hot path.
// 1 url, 2 handle, 3 emoticon, 4 word, 5 emoji, 6 "!", 7 "?", 8 clause break.
const TOKEN = new RegExp(
  [
    String.raw`((?:https?:\/\/|www\.)\S+|<URL>)`,
    String.raw`(@[\p{L}\p{N}_.]+|<MENTION_\d+>)`,
    `(${EMOTICON})`,
    String.raw`(#?[\p{L}\p{M}\p{N}_]*\p{L}\p{M}*(?:['’][\p{L}\p{M}]+)*['’]?)`,
    String.raw`(\p{Extended_Pictographic}(?:[\u{1F3FB}-\u{1F3FF}\uFE0F]*\u200D\p{Extended_Pictographic})*[\u{1F3FB}-\u{1F3FF}\uFE0F]*)`,
    String.raw`([!¡]+)`,
    String.raw`([?¿]+)`,
    String.raw`([.;:,…\n]+|\s[-–—]\s)`,
  ].join('|'),
  'gu',
);

/** Elided articles and prepositions: "l'ordine" is the word "ordine". */
const ELISION = new Set([
  'l', 'un', 'dell', 'all', 'dall', 'nell', 'sull', 'coll', 'quest', 'quell', 'c', 'd', 'm', 't', 's', 'v', 'n',
  'bell', 'sant', 'tutt', 'com', 'dov', 'cos', 'anch', 'nessun', 'buon', 'qual',
]);

/** Three equal letters in a row ("bellooo"); a loop, far cheaper than a back-reference regex. */
function elongated(w: string): boolean {
  for (let i = 2; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c === w.charCodeAt(i - 1) && c === w.charCodeAt(i - 2) && (c < 48 || c > 57) && c !== 95) return true;
  }
  return false;
}
const HAS_LOWER = /\p{Ll}/u;
const LETTERS3 = /\p{Lu}.*\p{Lu}.*\p{Lu}/u;

const CAMEL_PART = /\p{Lu}?[\p{Ll}\p{M}]+|\p{Lu}+(?!\p{Ll})|\p{N}+/gu;
const INNER_UPPER = /\p{Ll}\p{Lu}/u;

function wordToken(raw: string, out: Token[]): void {
  const hashtag = raw.charCodeAt(0) === 35; /* # */
  let w = hashtag ? raw.slice(1) : raw;
  if (!w) return;
  if (hashtag) {
    // "#NonFunziona" is two words; "#vergogna" one; "#vergognaaurora" is looked up by prefix.
    if (INNER_UPPER.test(w)) {
      for (const m of w.matchAll(CAMEL_PART)) {
        const part = m[0];
        if (/\p{L}/u.test(part)) out.push({ kind: 'word', norm: part.toLowerCase(), raw: part, elongated: elongated(part), caps: false, count: 1, hashtag: true });
      }
      return;
    }
    out.push({ kind: 'word', norm: w.toLowerCase(), raw: w, elongated: elongated(w), caps: false, count: 1, hashtag: true });
    return;
  }
  if (w.includes('’')) w = w.replace(/’/g, "'");
  // English contractions stay whole ("don't" is a negator); Italian elisions split.
  const apos = w.indexOf("'");
  if (apos > 0 && apos < w.length - 1) {
    const head = w.slice(0, apos).toLowerCase();
    if (ELISION.has(head)) {
      w = w.slice(apos + 1);
    }
  }
  if (w.endsWith("'")) w = w.slice(0, -1); // "po'" → "po"
  if (!w) return;
  const norm = w.toLowerCase();
  // Shouting: no lower-case letter and at least three capitals (most words fail the first test).
  const caps = norm !== w && !HAS_LOWER.test(w) && LETTERS3.test(w);
  out.push({ kind: 'word', norm, raw: w, elongated: elongated(w), caps, count: 1 });
}

/** The emoji without skin-tone modifiers and variation selectors, so ❤️ is ❤. */
export function emojiKey(e: string): string {
  return e.replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '');
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text)) !== null) {
    const word = m[4];
    if (word !== undefined) {
      wordToken(word, out);
      continue;
    }
    const emoji = m[5];
    if (emoji !== undefined) {
      out.push({ kind: 'emoji', norm: emoji.length > 2 ? emojiKey(emoji) : emoji.replace('\uFE0F', ''), raw: emoji, elongated: false, caps: false, count: 1 });
      continue;
    }
    const emoticon = m[3];
    if (emoticon !== undefined) {
      out.push({ kind: 'emoticon', norm: emoticon.toLowerCase().replace(/-/g, ''), raw: emoticon, elongated: false, caps: false, count: 1 });
    } else if (m[6] !== undefined) {
      out.push({ kind: 'excl', norm: '!', raw: m[6], elongated: false, caps: false, count: m[6].length });
    } else if (m[7] !== undefined) {
      out.push({ kind: 'quest', norm: '?', raw: m[7], elongated: false, caps: false, count: m[7].length });
    } else if (m[8] !== undefined) {
      const last = out[out.length - 1];
      if (last?.kind !== 'break') out.push({ kind: 'break', norm: '.', raw: m[8], elongated: false, caps: false, count: 1 });
    }
  }
  return out;
}

/** "bellissimooo" → ["bellissimo", "bellissimoo"]: runs cut to one letter, then to two. */
export function deElongate(w: string): string[] {
  const one = w.replace(/(\p{L})\1{2,}/gu, '$1');
  const two = w.replace(/(\p{L})\1{2,}/gu, '$1$1');
  return one === two ? [one] : [one, two];
}

/**
 * `re.test(s)` for a title-case pattern (an upper-case letter, then a lower-case one, as
 * /^\p{Lu}\p{Ll}/u), answered without the regex when the first two characters are ASCII (most
 * words): there \p{Lu} is exactly A–Z, \p{Ll} exactly a–z, and no character is a mark (\p{M}).
 */
export function startsTitleCase(s: string, re: RegExp): boolean {
  const c0 = s.charCodeAt(0);
  if (c0 < 128) {
    if (c0 < 65 || c0 > 90) return false;
    const c1 = s.charCodeAt(1);
    if (c1 < 128) return c1 >= 97 && c1 <= 122;
  }
  return re.test(s);
}
