// The audiences feature's one face (issue #15): everything outside core/audiences imports it
// from here. Audiences, their membership at ingest (a stage after the perimeters' matches),
// each moment's risk and its pre-intervention checklist.
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { audiencesHandlers } from './handlers';
import { audiencesOps } from './ops';
import type { AudiencesService } from './service';
import { audiencesStage } from './stage';

export { AudiencesService, type AudiencesDeps } from './service';
export { audiencesHandlers, audiencesOps, audiencesStage };

export const audiencesEvents = {
  emits: ['audiences.changed', 'risk.changed'],
  // Nothing from the bus: a moment's risk is recomputed through the moments.changes and
  // perimeters.changes ports (core/api/signal) when its moment or the perimeters change.
  consumes: [],
} as const satisfies FeatureEvents;

export function audiencesModule(deps: { audiences: AudiencesService }): FeatureModule {
  return featureModule({
    name: 'audiences',
    ops: audiencesOps,
    handlers: audiencesHandlers(deps.audiences),
    events: audiencesEvents,
    stage: audiencesStage(deps.audiences),
  });
}
