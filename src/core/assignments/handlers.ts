import type { assignmentsOperations } from '../../shared/ops/assignments';
import type { Handlers } from '../api/dispatch';
import type { AssignmentsService } from './service';

type AssignmentsHandlers = Pick<Handlers, keyof typeof assignmentsOperations>;

export function assignmentsHandlers(svc: AssignmentsService): AssignmentsHandlers {
  return {
    'assignments.set': ({ subject, id, userId }, ctx) => ({ assignment: svc.set(ctx.actor, { kind: subject, id }, userId) }),
    'assignments.get': ({ subject, id }) => ({ assignment: svc.get({ kind: subject, id }) }),
    // "Mine" is the session's person, never a person named in the input.
    'assignments.list': ({ subject }, ctx) => ({ items: svc.mine(ctx.actor.userId, subject ?? null) }),
    'people.list': () => svc.people(),
  };
}
