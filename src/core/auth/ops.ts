// Access and audit of sign-in, sessions and people. A failed sign-in or unlock is noted by
// the service (auth.signIn.failed, auth.unlock.failed, naming the person whose password was
// tried) and written by the dispatcher as the call's failure row.
import type { authOperations } from '../../shared/ops/auth';
import type { OpDeclarations } from '../api/call-scope';
import { ADMINS, READ } from './permissions';

export const authOps: OpDeclarations<keyof typeof authOperations> = {
  'auth.status': { access: 'public', mutates: false, audit: false },
  // The row names the administrator just created, not the anonymous caller.
  'auth.setup': { access: 'public', mutates: true, audit: (input, out) => ({ actor: out.actor, subject: `user:${input.username}`, detail: { roles: ['admin'] } }) },
  'auth.signIn': { access: 'public', mutates: true, audit: (_input, out) => ({ actor: out.actor, subject: `user:${out.actor.username}` }) },
  // Recorded like a sign-in, under its own action: the log tells a demo click from a password.
  'auth.demoSignIn': { access: 'public', mutates: true, audit: (_input, out) => ({ actor: out.actor, subject: `user:${out.actor.username}` }) },
  'auth.signOut': { access: READ, mutates: true, audit: (_input, _out, { actor }) => ({ subject: `user:${actor.username}` }) },
  'auth.unlock': { access: READ, mutates: true, audit: (_input, _out, { actor }) => ({ subject: `user:${actor.username}` }) },
  'users.list': { access: ADMINS, mutates: false, audit: false },
  'users.create': {
    access: ADMINS,
    mutates: true,
    audit: (input) => ({ subject: `user:${input.username}`, detail: { displayName: input.displayName, roles: [...input.roles] } }),
  },
  // The service notes what changed and its finer action (users.roles, users.disable…), or nothing.
  'users.update': { access: ADMINS, mutates: true, audit: (_input, out, { note }) => ({ subject: `user:${out.username}`, ...(note?.action ? { action: note.action } : {}) }) },
  'users.resetPassword': { access: ADMINS, mutates: true, audit: (_input, out) => ({ subject: `user:${out.username}` }) },
  'users.signOutEverywhere': { access: ADMINS, mutates: true, target: ({ id }) => `user-id:${id}`, audit: ({ id }, out, { note }) => ({ subject: note?.subject ?? `user-id:${id}`, detail: { sessioni: out.ended } }) },
  // Only the service knew who it was before the row went: it notes the subject and the name.
  'users.delete': { access: ADMINS, mutates: true, audit: (input, _out, { note }) => ({ subject: note?.subject ?? `user-id:${input.id}` }) },
};
