// Who may call what: the access rules and role groups the ops' declarations use (each
// feature's ops.ts, gathered in core/api/op-table.ts). Enforced by the dispatcher for every
// call that comes through an adapter (IPC, HTTP); in-process calls run as the system actor.
// Rules that depend on data (e.g. legal approves only legal steps) live in their service.
import type { Actor, Role } from '../../shared/auth';

export type Access = 'public' | 'signed-in' | readonly Role[];

/** Everyone who may change things: every role except analyst. */
export const EDITORS: readonly Role[] = ['admin', 'strategist', 'manager', 'legal', 'owner'];
export const ADMINS: readonly Role[] = ['admin'];
/** Who keeps perimeters' companions, the audience maps. */
export const STRATEGISTS: readonly Role[] = ['admin', 'strategist'];
/** Everyone signed in, analysts included: reads. */
export const READ = 'signed-in' as const;

export function allows(access: Access, actor: Actor): boolean {
  if (access === 'public' || access === 'signed-in') return true;
  return actor.roles.some((r) => access.includes(r));
}

/** For the UI and services: may this person change things at all? */
export function canEdit(actor: Actor): boolean {
  return actor.roles.some((r) => EDITORS.includes(r));
}
