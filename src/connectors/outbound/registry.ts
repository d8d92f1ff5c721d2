// The publishing connectors by channel kind ("manual" has none: a person posts by hand).
import { createMastodonPublisher } from './mastodon';
import { createRedditPublisher, type RedditPublishOptions } from './reddit';
import type { PublishConnectors } from '../../core/publishing/ports';
import { createWebhookPublisher } from './webhook';

export { webhookSignature } from './webhook';

export interface PublishConnectorOptions {
  reddit?: RedditPublishOptions;
  timeoutMs?: number;
}

export function createPublishConnectors(o: PublishConnectorOptions = {}): PublishConnectors {
  const t = o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {};
  return {
    reddit: createRedditPublisher({ ...t, ...o.reddit }),
    mastodon: createMastodonPublisher(t),
    webhook: createWebhookPublisher(t),
  };
}
