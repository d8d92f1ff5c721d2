// User words → an FTS5 MATCH expression that can never carry FTS syntax: every word is a
// quoted string, ANDed, and the last one is a prefix so results follow the typing.

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MAX_WORDS = 16;

/** null when the input holds no searchable word. */
export function buildFtsQuery(input: string | undefined | null): string | null {
  if (!input) return null;
  const words = (input.normalize('NFC').match(WORD) ?? []).slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  // Only letters, digits and marks are left, so no quote can appear inside a word.
  return words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' ');
}
