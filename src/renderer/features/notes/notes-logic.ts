// The plain parts of notes: a note's text cut where it names people (shown as names, still
// text nodes), and the @ being typed in the compose box with the people it may mean.
import type { NotePerson } from '../../../shared/ops/notes';

export interface NoteSegment {
  text: string;
  /** Set when this piece is an @name the server resolved. */
  person?: NotePerson;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The text in pieces, the @names of the people the server resolved marked (by username, or by
 * the first name it resolved). Unknown @names stay plain text.
 */
export function noteSegments(text: string, mentioned: readonly NotePerson[]): NoteSegment[] {
  if (mentioned.length === 0) return [{ text }];
  const byWord = new Map<string, NotePerson>();
  for (const p of mentioned) {
    byWord.set(p.username.toLowerCase(), p);
    const first = p.displayName.trim().split(/\s+/)[0]?.toLowerCase();
    if (first && !byWord.has(first)) byWord.set(first, p);
  }
  const words = [...byWord.keys()].sort((a, b) => b.length - a.length).map(escape);
  const re = new RegExp(`(^|[^\\p{L}\\p{N}_.@-])@(${words.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const out: NoteSegment[] = [];
  let at = 0;
  for (const m of text.matchAll(re)) {
    const start = m.index + m[1]!.length;
    if (start > at) out.push({ text: text.slice(at, start) });
    const word = m[2]!;
    out.push({ text: `@${word}`, person: byWord.get(word.toLowerCase())! });
    at = start + word.length + 1;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** The @word being typed just before the caret, or null. */
export function atQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = /(^|[^\p{L}\p{N}_.@-])@([\p{L}\p{N}._-]{0,40})$/u.exec(before);
  if (!m) return null;
  return { start: caret - m[2]!.length - 1, query: m[2]!.toLowerCase() };
}

/** The people an @query may mean: username or any word of the name starting with it. */
export function suggest(people: readonly NotePerson[], query: string, max = 6): NotePerson[] {
  const q = query.toLowerCase();
  return people
    .filter((p) => p.username.startsWith(q) || p.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(q)))
    .slice(0, max);
}

/** The text with the @query replaced by the person's @username and a space; the caret after it. */
export function pickPerson(text: string, at: { start: number; query: string }, p: NotePerson): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length;
  const insert = `@${p.username} `;
  return { text: text.slice(0, at.start) + insert + text.slice(end), caret: at.start + insert.length };
}
