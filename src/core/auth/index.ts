// The auth feature's one face (issue #15): everything outside core/auth imports it from here.
// People, passwords, sessions; the access vocabulary (./permissions) and the system actor
// (./actor) are exported here too, though the op declarations of every feature and the
// dispatcher import those two leaf files directly (see eslint.config.js for why).
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { authHandlers } from './handlers';
import { authOps } from './ops';
import type { AuthService } from './service';

export { AuthService, type AuthServiceDeps } from './service';
export { SYSTEM_ACTOR, ANONYMOUS_ACTOR } from './actor';
export { allows, canEdit, ADMINS, EDITORS, READ, STRATEGISTS, type Access } from './permissions';
export { authHandlers, authOps };

export const authEvents = { emits: [], consumes: [] } as const satisfies FeatureEvents;

export function authModule(deps: { auth: AuthService }): FeatureModule {
  return featureModule({ name: 'auth', ops: authOps, handlers: authHandlers(deps.auth), events: authEvents });
}
