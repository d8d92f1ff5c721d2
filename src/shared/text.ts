// Text folding, the one way Vedetta compares words people write: a query word and a post's
// word, a source name and an owned account, a CSV header and a metric's name, a region as an
// export spells it. Plain TypeScript (no Node, no DOM), so core, renderer and CLI fold alike.

const ASCII = /^[\x00-\x7f]*$/;
const MARKS = /\p{M}+/gu;

/** Lowercase without accents: "Perché" → "perche". Marks are dropped after NFD decomposition. */
export function fold(s: string): string {
  // Fast path: plain ASCII needs only lowercasing (most words of most posts).
  if (ASCII.test(s)) return s.toLowerCase();
  return s.normalize('NFD').replace(MARKS, '').toLowerCase();
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
