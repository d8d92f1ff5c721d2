// Nothing typed is lost without asking: every form with unsaved edits registers here while it
// is on screen, and whatever would take it away (another view, closing or switching the item,
// signing out, closing or reloading the window) goes through `leave`, which asks «Esci senza
// salvare / Resta» (LeaveDialog, mounted once by the shell) when any form is dirty.
// Plain TypeScript (no runes) so its logic is unit-tested; the question is reactive through
// createSubscriber.
import { onDestroy } from 'svelte';
import { createSubscriber } from 'svelte/reactivity';

interface Entry {
  dirty: () => boolean;
  /** Drops the unsaved edits, when the person chose to leave without saving. */
  discard: () => void;
}

interface Question {
  answer: (leave: boolean) => void;
}

export class DirtyForms {
  #entries = new Set<Entry>();
  #asking: Question | null = null;
  #changed: () => void = () => {};
  #subscribe = createSubscriber((update) => {
    this.#changed = update;
    return () => (this.#changed = () => {});
  });

  /** The question on screen, if any: the dialog resolves it. */
  get asking(): Question | null {
    this.#subscribe();
    return this.#asking;
  }
  set asking(q: Question | null) {
    this.#asking = q;
    this.#changed();
  }

  /** Registers a form; the returned function unregisters it (a component's teardown). */
  register(dirty: () => boolean, discard: () => void): () => void {
    const entry = { dirty, discard };
    this.#entries.add(entry);
    return () => this.#entries.delete(entry);
  }

  get any(): boolean {
    for (const e of this.#entries) if (e.dirty()) return true;
    return false;
  }

  /**
   * Runs `go` at once when nothing is dirty (so a clean screen moves synchronously, as before);
   * otherwise asks, and on «Esci senza salvare» drops the edits and runs it. Resolves to
   * whether `go` ran.
   */
  leave(go: () => void): Promise<boolean> {
    if (!this.any) {
      go();
      return Promise.resolve(true);
    }
    // A second request while asking replaces nothing: the first question stands.
    if (this.#asking) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.asking = {
        answer: (leave) => {
          this.asking = null;
          if (leave) {
            for (const e of [...this.#entries]) if (e.dirty()) e.discard();
            go();
          }
          resolve(leave);
        },
      };
    });
  }
}

export const dirtyForms = new DirtyForms();

/**
 * For a component's script (called while it initialises): registers its form for as long as
 * it is mounted. `dirty` reads the component's state when someone is about to leave.
 */
export function guardUnsaved(dirty: () => boolean, discard: () => void): void {
  onDestroy(dirtyForms.register(dirty, discard));
}

/** The window's own close or reload: the browser asks with its words (it allows no others). */
export function watchUnload(): () => void {
  const onbeforeunload = (e: BeforeUnloadEvent): void => {
    if (!dirtyForms.any) return;
    e.preventDefault();
    // Older Chromium (Electron) still reads returnValue.
    e.returnValue = '';
  };
  window.addEventListener('beforeunload', onbeforeunload);
  return () => window.removeEventListener('beforeunload', onbeforeunload);
}
