// @names in a note's text, resolved to people. Only the server resolves them (the client's
// suggestions are a convenience): a note names whom its text names, nothing a client adds.
import type { NotePerson } from '../../shared/ops/notes';

/**
 * An @ at the start or after a character that cannot be part of a word (so an e-mail address
 * is not a name), then a username's characters. Usernames are lower case (USERNAME_RE); a
 * person may type them in any case.
 */
const AT_NAME = /(^|[^\p{L}\p{N}_.@-])@([\p{L}\p{N}][\p{L}\p{N}._-]{0,39})/gu;

/**
 * The people the text names, in order of first appearance, each once: `@username` (what the
 * compose box's suggestions insert), or `@name` when exactly one active person's display name
 * is that word (e.g. "@Giulia"). Trailing dots, dashes or underscores are punctuation
 * ("grazie @legal."). Unknown @names name nobody: they stay text.
 */
export function namedPeople(text: string, people: readonly NotePerson[]): NotePerson[] {
  const byUsername = new Map(people.map((p) => [p.username.toLowerCase(), p]));
  const byFirstName = new Map<string, NotePerson | null>();
  for (const p of people) {
    const first = p.displayName.trim().split(/\s+/)[0]?.toLowerCase();
    if (!first) continue;
    // Two Giulias: "@Giulia" names neither.
    byFirstName.set(first, byFirstName.has(first) ? null : p);
  }
  const found: NotePerson[] = [];
  for (const m of text.matchAll(AT_NAME)) {
    let word = m[2]!.toLowerCase();
    let person: NotePerson | null = null;
    for (;;) {
      person = byUsername.get(word) ?? byFirstName.get(word) ?? null;
      if (person || !/[._-]$/.test(word)) break;
      word = word.slice(0, -1);
    }
    if (person && !found.some((p) => p.id === person.id)) found.push(person);
  }
  return found;
}
