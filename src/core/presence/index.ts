// The presence feature's one face (issue #16): who has a subject open or is writing on it.
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import type { OpDeclarations } from '../api/call-scope';
import type { Handlers } from '../api/dispatch';
import { READ } from '../auth/permissions';
import type { presenceOperations } from '../../shared/ops/presence';
import type { PresenceService } from './service';

export { PresenceService } from './service';

// Being somewhere is not an act: no audit row, and analysts are seen reading too.
export const presenceOps: OpDeclarations<keyof typeof presenceOperations> = {
  'presence.here': { access: READ, mutates: false, audit: false },
};

export const presenceEvents = { emits: ['presence.changed'], consumes: [] } as const satisfies FeatureEvents;

export function presenceModule(deps: { presence: PresenceService }): FeatureModule {
  const handlers: Pick<Handlers, keyof typeof presenceOperations> = {
    'presence.here': ({ subject, activity }, ctx) => deps.presence.set(ctx.actor, subject, activity),
  };
  return featureModule({ name: 'presence', ops: presenceOps, handlers, events: presenceEvents });
}
