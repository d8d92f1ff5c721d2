// Reconciliation asks a platform whether a job's text is already there: its copy comes back
// with entities encoded and whitespace reflowed, so texts are compared normalized.
/** Compares texts as platforms give them back: entities decoded, whitespace collapsed. */
export function sameText(a: string, b: string): boolean {
  const norm = (s: string): string =>
    s
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&#x27;/g, "'")
      .replace(/\s+/g, ' ')
      .trim();
  return norm(a) === norm(b);
}
