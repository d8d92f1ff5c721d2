import type { notesOperations } from '../../shared/ops/notes';
import type { Handlers } from '../api/dispatch';
import type { NotesService } from './service';

type NotesHandlers = Pick<Handlers, keyof typeof notesOperations>;

export function notesHandlers(svc: NotesService): NotesHandlers {
  return {
    'notes.list': ({ subject }) => ({ notes: svc.list(subject) }),
    // The author is the session's person: the input carries no name.
    'notes.add': ({ subject, text }, ctx) => svc.add(subject, text, ctx.actor),
    'notes.remove': ({ id }, ctx) => {
      svc.remove(id, ctx.actor);
      return { ok: true };
    },
    'notes.suggestions': () => ({ people: svc.people() }),
    'reads.state': ({ ids }, ctx) => svc.readState(ids, ctx.actor),
    'reads.mark': ({ ids, read }, ctx) => svc.mark(ids, read, ctx.actor),
    'reads.list': ({ id }) => ({ people: svc.seenBy(id) }),
  };
}
