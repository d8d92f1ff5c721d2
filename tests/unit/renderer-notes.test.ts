// The notes' plain logic: a note's @names marked (as text pieces, never markup), and the @
// being typed with the people it may mean.
import { describe, expect, it } from 'vitest';
import { atQuery, noteSegments, pickPerson, suggest } from '../../src/renderer/features/notes/notes-logic';

const laura = { id: 2, username: 'laura', displayName: 'Laura Bianchi' };
const marco = { id: 3, username: 'marco.n', displayName: 'Marco Neri' };
const people = [{ id: 1, username: 'giulia', displayName: 'Giulia Rossi' }, laura, marco];

describe('note segments', () => {
  it('marks the resolved @names, by username or first name, and leaves the rest as it is', () => {
    expect(noteSegments('@Laura puoi vedere? cc @marco.n. e @nessuno <b>x</b>', [laura, marco])).toEqual([
      { text: '@Laura', person: laura },
      { text: ' puoi vedere? cc ' },
      { text: '@marco.n', person: marco },
      { text: '. e @nessuno <b>x</b>' },
    ]);
    expect(noteSegments('scrivi a laura@azienda.it', [laura])).toEqual([{ text: 'scrivi a laura@azienda.it' }]);
    expect(noteSegments('nessun nome', [])).toEqual([{ text: 'nessun nome' }]);
    // A longer word is not cut at a shorter name: "@laurana" is not Laura.
    expect(noteSegments('@laurana', [laura])).toEqual([{ text: '@laurana' }]);
  });
});

describe('@ suggestions', () => {
  it('finds the @word before the caret, suggests by username or any word of the name, and inserts @username', () => {
    const text = 'ok, chiedo a @ne';
    const at = atQuery(text, text.length);
    expect(at).toEqual({ start: 13, query: 'ne' });
    expect(suggest(people, at!.query)).toEqual([marco]);
    expect(suggest(people, '')).toEqual(people);
    expect(pickPerson(text, at!, marco)).toEqual({ text: 'ok, chiedo a @marco.n ', caret: 22 });
    expect(atQuery('mail a b@c', 10)).toBeNull();
    expect(atQuery('@gi e poi', 3)).toEqual({ start: 0, query: 'gi' });
    expect(atQuery('@gi e poi', 9)).toBeNull();
  });
});
