// Access and audit of notes and read state.
//
// Who writes notes: every role that may change things (EDITORS), not analysts. PRODUCT.md says
// the analyst "reads dashboards and reports; changes nothing", and a note is a change others
// act on (it names people, it notifies them): analysts read notes, they do not write them.
// Read state is another matter: opening a mention is reading, so everyone signed in has their
// own, analysts included, and it writes no audit row (as mentions.setStatus's "read" does not).
import type { notesOperations } from '../../shared/ops/notes';
import type { OpDeclarations } from '../api/call-scope';
import { EDITORS, READ } from '../auth/permissions';

export const NOTE_WRITERS = EDITORS;

export const notesOps: OpDeclarations<keyof typeof notesOperations> = {
  'notes.list': { access: READ, mutates: false, audit: false },
  'notes.add': {
    access: NOTE_WRITERS,
    mutates: true,
    target: ({ subject }) => `${subject.kind}:${subject.id}`,
    audit: ({ subject }) => ({ subject: `${subject.kind}:${subject.id}` }),
  },
  // Only the author may remove a note (the service refuses anyone else, and that refusal is
  // a failure row naming the note's subject).
  'notes.remove': {
    access: NOTE_WRITERS,
    mutates: true,
    target: ({ id }) => `note#${id}`,
    audit: ({ id }, _out, call) => ({ subject: call.note?.subject ?? `note#${id}` }),
  },
  'notes.suggestions': { access: READ, mutates: false, audit: false },
  'reads.state': { access: READ, mutates: false, audit: false },
  // A person's own reading: no row (hundreds a day per person, and nobody else's data moves).
  'reads.mark': { access: READ, mutates: true, audit: () => null },
  'reads.list': { access: READ, mutates: false, audit: false },
};
