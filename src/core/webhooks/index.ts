// The webhooks feature's one face (issue #16): the named keys other systems push mentions
// and metric points with, managed by administrators, each use attributed in the audit log.
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { webhooksHandlers } from './handlers';
import { webhooksOps } from './ops';
import type { WebhooksService } from './service';

export { ENVIRONMENT_KEY_NAME, USE_WINDOW_MS, WebhooksService, webhookActor, type WebhookKind, type WebhookUse } from './service';
export { webhooksOps };

export const webhooksEvents = { emits: ['webhooks.changed'], consumes: [] } as const satisfies FeatureEvents;

export function webhooksModule(deps: { webhooks: WebhooksService }): FeatureModule {
  return featureModule({ name: 'webhooks', ops: webhooksOps, handlers: webhooksHandlers(deps.webhooks), events: webhooksEvents });
}
