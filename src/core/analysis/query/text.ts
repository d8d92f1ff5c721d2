// Folding and word splitting shared by the query parser and the matcher, so a query word and
// a text word are cut and compared the same way.

/** Lowercase without accents: "Perché" → "perche". Marks are dropped after NFD decomposition. */
export function fold(s: string): string {
  // Fast path: plain ASCII needs only lowercasing (most words of most posts).
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** Token kinds: a plain word, a #hashtag, an @handle. */
export const TokenKind = { Word: 0, Hashtag: 1, Handle: 2 } as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

export interface TextToken {
  /** Folded value, without the # or @. */
  v: string;
  /** Character offsets in the original string (UTF-16, like JS string indices); s includes the # or @. */
  s: number;
  e: number;
  k: TokenKind;
}

// A word is letters, digits and combining marks. Apostrophes (' and ’), hyphens and dots
// split words, so "l'aurora" yields "l" and "aurora" and "dell’app" yields "dell" and "app".
const WORD_RE = /[\p{L}\p{N}\p{M}_]+/gu;

/**
 * Splits a text into folded tokens with their offsets. A word right after "#" is a hashtag
 * and after "@" a handle, unless the sign is itself glued to a word ("mario@example").
 */
export function tokenize(text: string): TextToken[] {
  const out: TextToken[] = [];
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m !== null; m = WORD_RE.exec(text)) {
    const start = m.index;
    let kind: TokenKind = TokenKind.Word;
    let s = start;
    const prev = start > 0 ? text.charCodeAt(start - 1) : 0;
    if (prev === 35 /* # */ || prev === 64 /* @ */) {
      const before = start > 1 ? text[start - 2]! : ' ';
      if (!/[\p{L}\p{N}_]/u.test(before)) {
        kind = prev === 35 ? TokenKind.Hashtag : TokenKind.Handle;
        s = start - 1;
      }
    }
    out.push({ v: fold(m[0]), s, e: start + m[0].length, k: kind });
  }
  return out;
}

/** The folded words of a query word, cut the way text is cut ("l'aurora" → ["l", "aurora"]). */
export function words(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(WORD_RE)) out.push(fold(m[0]));
  return out;
}
