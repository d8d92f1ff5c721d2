// The publishing feature's one face (issue #15): everything outside core/publishing imports
// it from here — but for the connectors of connectors/outbound, which see only the port
// they implement (./ports). Publishing channels and the exactly-once outbox.
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { publishingHandlers } from './handlers';
import { publishingOps } from './ops';
import type { PublishingService } from './service';

export { PublishingService, type PublishingDeps } from './service';
export type { Publisher, PublishRequest } from './types';
export type { PublishConnector, PublishConnectors } from './ports';
export { publishingHandlers, publishingOps };

export const publishingEvents = {
  emits: ['publishing.channelsChanged', 'publishing.outboxChanged'],
  consumes: [],
} as const satisfies FeatureEvents;

export function publishingModule(deps: { publishing: PublishingService }): FeatureModule {
  return featureModule({ name: 'publishing', ops: publishingOps, handlers: publishingHandlers(deps.publishing), events: publishingEvents });
}
