// Who may call what: the access rules and role groups the ops' declarations use (each
// feature's ops.ts, gathered in core/api/op-table.ts). Enforced by the dispatcher for every
// call that comes through an adapter (IPC, HTTP); in-process calls run as the system actor.
// The groups and the table the UI reads live in shared/access.ts; a unit test keeps the
// declarations equal to that table. Rules that depend on data live in their service.
import type { Actor } from '../../shared/auth';
import { allows as rolesAllow, EDITORS, type Access } from '../../shared/access';

export { ADMINS, AUTHORS, EDITORS, POSTERS, PUBLISHERS, READ, STRATEGISTS, type Access } from '../../shared/access';

export function allows(access: Access, actor: Actor): boolean {
  return rolesAllow(access, actor.roles);
}

/** For the UI and services: may this person change things at all? */
export function canEdit(actor: Actor): boolean {
  return actor.roles.some((r) => EDITORS.includes(r));
}
