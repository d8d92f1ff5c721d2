// Every polled connector this build has, by kind: the composition root (src/app) and the
// CLI's dry run build the registry here and hand it to core, which knows only the port.
import type { ConnectorRegistry } from '../../core/sources/ports';
import { socialConnectors } from './social';
import { createFeedConnector, type FeedConnectorOptions } from './feeds/connector';

export interface RegistryOptions {
  feeds?: FeedConnectorOptions;
}

/** The connectors this build has. Kinds without one are shown as "non disponibile" in health. */
export function createConnectorRegistry(opts: RegistryOptions = {}): ConnectorRegistry {
  return {
    rss: createFeedConnector(opts.feeds),
    ...socialConnectors,
  };
}
