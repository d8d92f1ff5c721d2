// kind → Connector. The scheduler, the dry run and the CLI find connectors here only.
import type { Connector } from '../core/sources/ports';
import { socialConnectors } from './connectors-social';
import { createFeedConnector, type FeedConnectorOptions } from './feeds/connector';
import type { PolledKind } from '../shared/sources';

export type ConnectorRegistry = { [K in PolledKind]?: Connector<K> };

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

export function connectorFor<K extends PolledKind>(registry: ConnectorRegistry, kind: K): Connector<K> | undefined {
  return registry[kind] as Connector<K> | undefined;
}
