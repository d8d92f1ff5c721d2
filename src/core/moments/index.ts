// The moments feature's one face (issue #15): everything outside core/moments imports it
// from here. Moments are detected over windows of published time as mentions arrive (its
// ingest stage, after the perimeters' theme matches it counts by), and taken in charge
// through acknowledgements.
import type { Mention } from '../../shared/schemas';
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import type { MomentAcks } from './acks';
import { momentsHandlers } from './handlers';
import { momentsOps } from './ops';
import type { MomentsService } from './service';
import { momentsStage } from './stage';

export { MomentsService, type MomentsDeps } from './service';
export { MomentAcks, type MomentAcksDeps } from './acks';
export { anchorOf, reattachByAnchor, type Anchor } from './anchor';
export { momentsHandlers, momentsOps, momentsStage };

export const momentsEvents = {
  emits: ['moments.changed', 'moments.acknowledged'],
  // Nothing from the bus: a perimeter change reaches moments through perimeters.changes, and
  // the acknowledgements follow a rebuild through moments.changes (typed ports, core/api/signal).
  consumes: [],
} as const satisfies FeatureEvents;

export function momentsModule(deps: { moments: MomentsService; acks: MomentAcks; decorate: (items: Mention[]) => Mention[] }): FeatureModule {
  return featureModule({
    name: 'moments',
    ops: momentsOps,
    handlers: momentsHandlers(deps.moments, deps.decorate, deps.acks),
    events: momentsEvents,
    stage: momentsStage(deps.moments),
  });
}
