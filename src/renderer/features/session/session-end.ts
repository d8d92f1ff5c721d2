// Which refused calls mean the session itself is gone. Decided on the error code, never on
// the wording: a wrong password at the lock screen keeps the session, an expired one ends it.
import { ApiError } from '../../../shared/contract';

export function endsSession(e: unknown): boolean {
  return e instanceof ApiError && (e.key === 'session.expired' || e.key === 'session.required');
}
