// Text folding, the one way Vedetta compares words people write: a query word and a post's
// word, a source name and an owned account, a CSV header and a metric's name, a region as an
// export spells it. Plain TypeScript (no Node, no DOM), so core, renderer and CLI fold alike.

const ASCII = /^[\x00-\x7f]*$/;
const LATIN1 = /^[\x00-\xff]*$/;
const MARKS = /\p{M}+/gu;

function foldAny(s: string): string {
  return s.normalize('NFD').replace(MARKS, '').toLowerCase();
}

/**
 * The Latin-1 characters whose fold is not their lower case ("È" → "e"), folded, by code - 0x80.
 * In a Latin-1 text each character folds alone: none is a combining mark, so NFD reorders
 * nothing across two of them, and their lower case needs no context (no final sigma here).
 */
const LATIN1_FOLD: string[] = [];
let latin1Changed = '';
for (let c = 0x80; c <= 0xff; c++) {
  const ch = String.fromCharCode(c);
  const f = foldAny(ch);
  LATIN1_FOLD.push(f);
  if (f !== ch.toLowerCase()) latin1Changed += `\\u00${c.toString(16)}`;
}
const LATIN1_CHANGED = new RegExp(`[${latin1Changed}]`, 'g');
const latin1Fold = (c: string): string => LATIN1_FOLD[c.charCodeAt(0) - 0x80]!;

/** Lowercase without accents: "Perché" → "perche". Marks are dropped after NFD decomposition. */
export function fold(s: string): string {
  // Fast path: plain ASCII needs only lowercasing (most words of most posts).
  if (ASCII.test(s)) return s.toLowerCase();
  // Italian's accents are Latin-1: the few letters that change are looked up, the rest lowercased,
  // without decomposing and recomposing the whole text.
  if (LATIN1.test(s)) return s.replace(LATIN1_CHANGED, latin1Fold).toLowerCase();
  return foldAny(s);
}

/** A name as typed in a form or a file: folded and trimmed ("  Caffè Aurora " → "caffe aurora"). */
export function foldName(s: string): string {
  return fold(s).trim();
}

/**
 * Only the letters a-z and the digits of a folded text: how exports spell the same header or
 * region in different ways ("Valle d'Aosta", "valle-d-aosta", "ValleDAosta") meet.
 */
export function foldKey(s: string): string {
  return fold(s).replace(/[^a-z0-9]/g, '');
}
