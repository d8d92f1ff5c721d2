import type { webhooksOperations } from '../../shared/ops/webhooks';
import type { Handlers } from '../api/dispatch';
import type { WebhooksService } from './service';

type WebhooksHandlers = Pick<Handlers, keyof typeof webhooksOperations>;

export function webhooksHandlers(svc: WebhooksService): WebhooksHandlers {
  return {
    'webhooks.list': () => svc.list(),
    'webhooks.create': ({ name }, ctx) => svc.create(name, ctx.actor),
    'webhooks.rotate': ({ id }) => svc.rotate(id),
    'webhooks.remove': ({ id }) => svc.remove(id),
  };
}
