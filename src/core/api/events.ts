import type { EventName, EventPayload } from '../../shared/contract';

export type AnyEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Pushes contract events to every adapter (IPC windows, WebSocket clients, tests). */
export class EventBus {
  private listeners = new Set<AnyEventListener>();

  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch {
        // One broken client must not stop delivery to the others.
      }
    }
  }
}
