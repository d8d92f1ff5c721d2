// Who acts when no person does: in-process trusted calls (CLI one-shot commands, the bench,
// integration tests, schedulers) run as the system actor with every role.
import { ROLES, type Actor } from '../../shared/auth';

export const SYSTEM_ACTOR: Actor = Object.freeze({
  userId: 0,
  username: 'sistema',
  displayName: 'Sistema',
  roles: [...ROLES],
}) as Actor;

/** The caller of a public op without a valid session: holds no role, may do nothing else. */
export const ANONYMOUS_ACTOR: Actor = Object.freeze({
  userId: 0,
  username: 'anonimo',
  displayName: 'Anonimo',
  roles: [],
}) as Actor;
