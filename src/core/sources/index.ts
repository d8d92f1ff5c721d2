// The sources feature's one face (issue #15): everything outside core/sources imports it
// from here — but for the connectors of connectors/inbound, which see only the port they
// implement (./ports) and the scheduler's turns (./turns). Polled sources: the service, the
// scheduler, the credentials vault.
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { sourcesOps } from './ops';
import type { SourcesService } from './service';

export { SourcesService, toSourceView, type SourcesServiceDeps } from './service';
export { defaultSourceName, previewSource } from './preview';
export { createLocalKeyStore } from './local-key-store';
export { createSourceVault } from './source-vault';
export type { SecretStore, SourceVault } from './vault';
export type { Connector, ConnectorRegistry } from './ports';
export { sourcesOps };

export const sourcesEvents = { emits: ['sources.changed', 'sources.paused'], consumes: [] } as const satisfies FeatureEvents;

export function sourcesModule(deps: { sources: SourcesService }): FeatureModule {
  return featureModule({ name: 'sources', ops: sourcesOps, handlers: deps.sources.handlers(), events: sourcesEvents });
}
