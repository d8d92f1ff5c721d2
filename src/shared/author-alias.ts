// What an author's readable alias looks like ("Volpe-482"): the inbox search takes such a text
// as "this author's mentions" when an author has that alias (core), and so does the live
// inbox for mentions that arrive meanwhile (renderer).

/** One word, a dash, a number of three or more digits; case is ignored by the callers. */
export function looksLikeAlias(text: string): boolean {
  return /^\p{L}+-\d{3,}$/u.test(text.trim());
}

/** The same alias whatever its case and surrounding spaces. */
export function aliasFold(text: string): string {
  return text.trim().toLowerCase();
}
