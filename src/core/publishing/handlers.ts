// Contract handlers of publishing. Who may call them and what their audit rows say is
// declared in ./ops.ts; the dispatcher checks the one and writes the other.
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
    'publishing.channelCreate': (input) => svc.createChannel(input),
    'publishing.channelUpdate': (input) => svc.updateChannel(input),
    'publishing.channelDisable': ({ id }) => svc.updateChannel({ id, enabled: false }),
    'publishing.channelTest': (input) => svc.testChannel(input),
    'publishing.outbox': ({ responseId, state, limit }) =>
      svc.list({ limit, ...(responseId !== undefined ? { responseId } : {}), ...(state !== undefined ? { state } : {}) }),
    'publishing.recordManual': ({ id, url }) => svc.recordManualView(id, url),
    'publishing.retry': ({ id }) => svc.retry(id),
  };
}
