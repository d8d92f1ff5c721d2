// Typed subscription to the server's events, the one way a store follows them: it names the
// events and gets each payload typed by the contract's event map (`events` in
// src/shared/contract.ts), so no listener casts a payload. One call returns one function that
// drops every subscription it made (a store calls it from dispose()).
import type { EventName, EventPayload, VedettaApi } from '../../shared/contract';

export type EventHandlers = { [E in EventName]?: (payload: EventPayload<E>) => void };

export function listen(api: Pick<VedettaApi, 'on'>, handlers: EventHandlers): () => void {
  const on = <E extends EventName>(event: E): (() => void) | null => {
    const handler = handlers[event];
    return handler ? api.on(event, handler) : null;
  };
  // Object.keys loses the key type; the keys are those of `handlers`, a subset of EventName.
  const offs = (Object.keys(handlers) as EventName[]).map(on);
  return () => {
    for (const off of offs) off?.();
  };
}
