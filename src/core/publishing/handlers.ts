// Contract handlers of publishing. Who acts comes from the caller's session once sign-in
// exists; until then (and for in-process trusted calls) the local system actor.
import type { Actor } from '../../shared/auth';
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

export function publishingHandlers(svc: PublishingService, actorOf: (ctx: unknown) => Actor): Pick<Handlers, PublishingOps> {
  return {
    'publishing.channels': () => svc.listChannels(),
    'publishing.channelCreate': (input, ...rest: unknown[]) => svc.createChannel(input, actorOf(rest[0])),
    'publishing.channelUpdate': (input, ...rest: unknown[]) => svc.updateChannel(input, actorOf(rest[0])),
    'publishing.channelDisable': ({ id }, ...rest: unknown[]) => svc.updateChannel({ id, enabled: false }, actorOf(rest[0])),
    'publishing.channelTest': (input) => svc.testChannel(input),
    'publishing.outbox': ({ responseId, state, limit }) =>
      svc.list({ limit, ...(responseId !== undefined ? { responseId } : {}), ...(state !== undefined ? { state } : {}) }),
    'publishing.recordManual': ({ id, url }, ...rest: unknown[]) => svc.recordManualView(id, url, actorOf(rest[0])),
    'publishing.retry': ({ id }, ...rest: unknown[]) => svc.retry(id, actorOf(rest[0])),
  };
}
