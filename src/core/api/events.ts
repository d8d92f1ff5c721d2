import type { EventName, EventPayload } from '../../shared/contract';

export type AnyEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Pushes contract events to every adapter (IPC windows, WebSocket clients, tests). */
export class EventBus {
  private listeners = new Set<AnyEventListener>();

  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * One event, its payload typed by the contract: how features and adapters listen to each
   * other without casting (a feature never re-declares another's payload shape).
   */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.subscribe((name: EventName, payload: unknown) => {
      // The contract pairs each name with its payload, so the name decides the type.
      if (name === event) listener(payload as EventPayload<E>);
    });
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
