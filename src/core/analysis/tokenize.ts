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
}

// Emoticons must stand alone: "xD" inside "xDomani" is a word.
const EMOTICON = String.raw`(?<![\p{L}\p{N}])(?:[:;=][\-'^]?[)(\]\[dDpP\/\\|*oO3]+|[xX][dD]+|<3+|</3|\^_*\^|[)(][\-']?[:;=])(?![\p{L}\p{N}])`;
const TOKEN = new RegExp(
  [
    String.raw`(?<url>(?:https?:\/\/|www\.)\S+|<URL>)`,
    String.raw`(?<handle>@[\p{L}\p{N}_.]+|<MENTION_\d+>)`,
    `(?<emoticon>${EMOTICON})`,
    String.raw`(?<word>#?[\p{L}\p{M}\p{N}_]*\p{L}\p{M}*(?:['’][\p{L}\p{M}]+)*['’]?)`,
    String.raw`(?<emoji>\p{Extended_Pictographic}(?:[\u{1F3FB}-\u{1F3FF}\uFE0F]*\u200D\p{Extended_Pictographic})*[\u{1F3FB}-\u{1F3FF}\uFE0F]*)`,
    String.raw`(?<excl>[!¡]+)`,
    String.raw`(?<quest>[?¿]+)`,
    String.raw`(?<brk>[.;:,…\n]+|\s[-–—]\s)`,
  ].join('|'),
  'gu',
);

/** Elided articles and prepositions: "l'ordine" is the word "ordine". */
const ELISION = new Set([
  'l', 'un', 'dell', 'all', 'dall', 'nell', 'sull', 'coll', 'quest', 'quell', 'c', 'd', 'm', 't', 's', 'v', 'n',
  'bell', 'sant', 'tutt', 'com', 'dov', 'cos', 'anch', 'nessun', 'buon', 'qual',
]);

const ELONGATION = /(\p{L})\1{2,}/u;
const HAS_LOWER = /\p{Ll}/u;
const LETTERS3 = /\p{Lu}.*\p{Lu}.*\p{Lu}/u;

function wordToken(raw: string, out: Token[]): void {
  let w = raw.startsWith('#') ? raw.slice(1) : raw;
  if (!w) return;
  w = w.replace(/’/g, "'");
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
  const caps = !HAS_LOWER.test(w) && LETTERS3.test(w);
  out.push({ kind: 'word', norm: w.toLowerCase(), raw: w, elongated: ELONGATION.test(w), caps, count: 1 });
}

/** The emoji without skin-tone modifiers and variation selectors, so ❤️ is ❤. */
export function emojiKey(e: string): string {
  return e.replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '');
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const g = m.groups;
    if (!g) continue;
    if (g.word !== undefined) wordToken(g.word, out);
    else if (g.emoji !== undefined) {
      const k = emojiKey(g.emoji);
      out.push({ kind: 'emoji', norm: k, raw: g.emoji, elongated: false, caps: false, count: 1 });
    } else if (g.emoticon !== undefined) {
      out.push({ kind: 'emoticon', norm: g.emoticon.toLowerCase().replace(/-/g, ''), raw: g.emoticon, elongated: false, caps: false, count: 1 });
    } else if (g.excl !== undefined) {
      out.push({ kind: 'excl', norm: '!', raw: g.excl, elongated: false, caps: false, count: g.excl.length });
    } else if (g.quest !== undefined) {
      out.push({ kind: 'quest', norm: '?', raw: g.quest, elongated: false, caps: false, count: g.quest.length });
    } else if (g.brk !== undefined) {
      const last = out[out.length - 1];
      if (last?.kind !== 'break') out.push({ kind: 'break', norm: '.', raw: g.brk, elongated: false, caps: false, count: 1 });
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
