// Contract handlers of publishing. Who acts is the caller's session (the dispatcher checked
// the role against core/auth/permissions); in-process trusted calls act as the system.
import type { Handlers } from '../api/dispatch';
import type { PublishingService } from './service';

type PublishingOps =
  | 'publishing.channels'
  | 'publishing.channelCreate'
  | 'publishing.channelUpdate'
  | 'publishing.channelDisable'
  | 'publishing.channelTest'
  | 'publishing.outbox'
  | 'publishing.recordManual'
  | 'publishing.retry';

export function publishingHandlers(svc: PublishingService): Pick<Handlers, PublishingOps> {
  return {
    'publishing.channels': () => svc.listChannels(),
    'publishing.channelCreate': (input, ctx) => svc.createChannel(input, ctx.actor),
    'publishing.channelUpdate': (input, ctx) => svc.updateChannel(input, ctx.actor),
    'publishing.channelDisable': ({ id }, ctx) => svc.updateChannel({ id, enabled: false }, ctx.actor),
    'publishing.channelTest': (input) => svc.testChannel(input),
    'publishing.outbox': ({ responseId, state, limit }) =>
      svc.list({ limit, ...(responseId !== undefined ? { responseId } : {}), ...(state !== undefined ? { state } : {}) }),
    'publishing.recordManual': ({ id, url }, ctx) => svc.recordManualView(id, url, ctx.actor),
    'publishing.retry': ({ id }, ctx) => svc.retry(id, ctx.actor),
  };
}
