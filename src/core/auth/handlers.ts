import type { authOperations } from '../../shared/ops/auth';
import type { Handlers } from '../api/dispatch';
import type { AuthService } from './service';

type AuthHandlers = Pick<Handlers, keyof typeof authOperations>;

export function authHandlers(auth: AuthService): AuthHandlers {
  return {
    'auth.status': (_input, ctx) => {
      const demoPeople = auth.demoPeople();
      return {
        needsSetup: auth.needsSetup(),
        // userId 0 is the system or anonymous actor: neither is a signed-in person.
        actor: ctx.actor.userId > 0 ? ctx.actor : null,
        ...(demoPeople.length > 0 ? { demoPeople } : {}),
      };
    },
    'auth.setup': (input) => auth.setup(input),
    'auth.signIn': (input, ctx) => auth.signIn(input, ctx.address ?? null),
    'auth.demoSignIn': ({ username }) => auth.demoSignIn(username),
    'auth.signOut': (_input, ctx) => {
      auth.signOut(ctx.session);
      return { ok: true as const };
    },
    'auth.unlock': async ({ password }, ctx) => {
      await auth.verify(ctx.actor, password);
      return { ok: true as const };
    },
    'users.list': () => auth.list(),
    'users.create': (input) => auth.createUser(input),
    'users.update': (input) => auth.updateUser(input),
    'users.resetPassword': ({ id, password }, ctx) => auth.resetPassword(ctx.actor, id, password),
    'users.signOutEverywhere': ({ id }, ctx) => auth.signOutEverywhere(ctx.actor, id, ctx.session ?? null),
    'users.delete': ({ id }, ctx) => {
      auth.deleteUser(ctx.actor, id);
      return { ok: true as const };
    },
  };
}
