// Word splitting shared by the query parser and the matcher, so a query word and a text word
// are cut the same way (and folded by shared/text's fold).
import { fold } from '../../../shared/text';


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

// A word is letters, digits, combining marks and "_". Apostrophes (' and ’), hyphens and dots
// split words, so "l'aurora" yields "l" and "aurora" and "dell’app" yields "dell" and "app".
const WORD_RE = /[\p{L}\p{N}\p{M}_]+/gu;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}_]$/u;

// ASCII word characters by code: the common case is decided without a regex.
const ASCII_WORD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_WORD[c] = 1;
for (let c = 65; c <= 90; c++) ASCII_WORD[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_WORD[c] = 1;
ASCII_WORD[95] = 1;

/** Whether the UTF-16 unit at i starts a word character; returns its length (0, 1 or 2). */
function wordCharAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII_WORD[c]!;
  // A surrogate pair is one code point (emoji are not words, some letters are astral).
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    return WORD_CHAR.test(text.slice(i, i + 2)) ? 2 : 0;
  }
  return WORD_CHAR.test(text[i]!) ? 1 : 0;
}

/**
 * Splits a text into folded tokens with their offsets. A word right after "#" is a hashtag
 * and after "@" a handle, unless the sign is itself glued to a word ("mario@example").
 * A hand-written scanner: it runs on every mention of the ingest path.
 */
export function tokenize(text: string): TextToken[] {
  const out: TextToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let w = wordCharAt(text, i);
    if (w === 0) {
      i++;
      continue;
    }
    const start = i;
    let ascii = true;
    while (i < n && w > 0) {
      if (text.charCodeAt(i) >= 128) ascii = false;
      i += w;
      w = i < n ? wordCharAt(text, i) : 0;
    }
    const raw = text.slice(start, i);
    let kind: TokenKind = TokenKind.Word;
    let s = start;
    const prev = start > 0 ? text.charCodeAt(start - 1) : 0;
    if ((prev === 35 /* # */ || prev === 64) /* @ */ && (start < 2 || wordCharAt(text, start - 2) === 0)) {
      // A low surrogate before the sign belongs to an emoji, not a word: still a tag.
      kind = prev === 35 ? TokenKind.Hashtag : TokenKind.Handle;
      s = start - 1;
    }
    out.push({ v: ascii ? raw.toLowerCase() : fold(raw), s, e: i, k: kind });
  }
  return out;
}

/** The folded words of a query word, cut the way text is cut ("l'aurora" → ["l", "aurora"]). */
export function words(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(WORD_RE)) out.push(fold(m[0]));
  return out;
}
