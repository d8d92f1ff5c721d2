// The notes feature's one face (issue #16, working together): internal notes on mentions and
// moments whose @names notify colleagues, and each person's read state of the inbox.
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { notesHandlers } from './handlers';
import { notesOps } from './ops';
import type { NotesService } from './service';

export { NotesService, subjectKey, type NotedNotice, type NotesDeps } from './service';
export { namedPeople } from './at-names';
export { NOTE_WRITERS } from './ops';
export { notesOps };

export const notesEvents = { emits: ['notes.changed', 'reads.changed'], consumes: [] } as const satisfies FeatureEvents;

export function notesModule(deps: { notes: NotesService }): FeatureModule {
  return featureModule({ name: 'notes', ops: notesOps, handlers: notesHandlers(deps.notes), events: notesEvents });
}
