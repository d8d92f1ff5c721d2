// Access and audit of assignments: everyone signed in sees who is in charge; those who may work
// an item (every role but analyst) assign it. Atomic: the assignment, its notification and its
// audit row are one transaction.
import type { assignmentsOperations } from '../../shared/ops/assignments';
import type { OpDeclarations } from '../api/call-scope';
import { EDITORS, READ } from '../auth/permissions';

export const assignmentsOps: OpDeclarations<keyof typeof assignmentsOperations> = {
  'assignments.set': {
    access: EDITORS,
    mutates: true,
    atomic: true,
    target: ({ subject, id }) => `${subject}:${id}`,
    audit: ({ subject, id, userId }) => ({ action: userId === null ? 'assignments.clear' : 'assignments.set', subject: `${subject}:${id}` }),
  },
  'assignments.get': { access: READ, mutates: false, audit: false },
  'assignments.list': { access: READ, mutates: false, audit: false },
  'people.list': { access: READ, mutates: false, audit: false },
};
