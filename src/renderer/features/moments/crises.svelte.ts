// The crisis banner's state: the open crises nobody has taken in charge yet, newest first,
// re-read (throttled) whenever moments change or someone acknowledges one in any window.
import type { VedettaApi } from '../../../shared/contract';
import type { MomentSummary } from '../../../shared/moments';
import { listen } from '../../lib/events';

const RELOAD_MS = 300;

export class CrisesStore {
  /** Open crises not acknowledged, newest first. */
  pending = $state.raw<MomentSummary[]>([]);
  /** The id being acknowledged (its button is disabled meanwhile). */
  acknowledging = $state<number | null>(null);
  error = $state<string | null>(null);
  readonly newest = $derived(this.pending[0] ?? null);

  #api: VedettaApi;
  #gen = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #off: () => void;

  constructor(api: VedettaApi) {
    this.#api = api;
    this.#off = listen(api, {
      'moments.changed': () => this.changed(),
      // Taken in charge here or in another window: the banner goes everywhere.
      'moments.acknowledged': ({ moment }) => this.changed(moment),
    });
  }

  async load(): Promise<void> {
    const gen = ++this.#gen;
    try {
      const res = await this.#api.call('moments.list', { kind: 'crisis', state: 'open', limit: 500 });
      if (gen !== this.#gen) return;
      this.pending = pendingCrises(res.items);
    } catch {
      /* the banner keeps what it showed; the next change re-reads */
    }
  }

  /** moments.changed / moments.acknowledged: re-read, throttled (a pile-on fires with every batch). */
  changed(acknowledged?: MomentSummary): void {
    // Drop it at once: the banner goes away in every window without waiting for the re-read.
    if (acknowledged) this.pending = this.pending.filter((m) => m.id !== acknowledged.id);
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.load();
    }, RELOAD_MS);
  }

  /** Takes the crisis in charge; returns the updated moment, or null (the reason in `error`). */
  async acknowledge(id: number): Promise<MomentSummary | null> {
    this.acknowledging = id;
    try {
      const m = await this.#api.call('moments.acknowledge', { id });
      this.error = null;
      this.changed(m);
      return m;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return null;
    } finally {
      this.acknowledging = null;
    }
  }

  dispose(): void {
    this.#off();
    this.#gen++;
    if (this.#timer) clearTimeout(this.#timer);
  }
}

/** Open crises nobody has acknowledged, newest opening first. */
export function pendingCrises(items: readonly MomentSummary[]): MomentSummary[] {
  return items
    .filter((m) => m.kind === 'crisis' && m.state === 'open' && m.acknowledgedBy === null)
    .sort((a, b) => b.openedAt.localeCompare(a.openedAt) || b.id - a.id);
}
