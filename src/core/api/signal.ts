// A typed port between features: the feature that owns a change calls its listeners directly,
// in the order they were wired, before it tells the clients through the event bus. Features
// depend on each other's signals (perimeters.changes, moments.changes) and not on the bus,
// which is for adapters (the renderer, WebSocket clients, desktop notifications).

export class Signal<T> {
  readonly #listeners: ((payload: T) => void)[] = [];

  /** Wires a listener; the returned function unwires it. */
  on(listener: (payload: T) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  emit(payload: T): void {
    for (const l of [...this.#listeners]) {
      try {
        l(payload);
      } catch {
        // One feature's failure must not keep the change from the others (as on the bus).
      }
    }
  }
}
