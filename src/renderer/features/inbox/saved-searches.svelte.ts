// The saved searches of the inbox: the signed-in person's own and the shared ones, each with its
// count. Counts are asked when the list is read and again as mentions arrive, at most every
// COUNT_EVERY_MS whatever the stream's rate (one call for all of them).
import type { VedettaApi } from '../../../shared/contract';
import type { SavedCount, SavedFilters, SavedSearch } from '../../../shared/search';
import { listen } from '../../lib/events';

export const COUNT_EVERY_MS = 4_000;

export class SavedSearchesStore {
  items = $state.raw<SavedSearch[]>([]);
  counts = $state.raw<ReadonlyMap<number, SavedCount>>(new Map());
  /** Why the last change failed (shown in the bar), or null. */
  error = $state<string | null>(null);
  busy = $state(false);

  #api: VedettaApi;
  #off: () => void;
  #gen = 0;
  #countTimer: ReturnType<typeof setTimeout> | null = null;
  #lastCount = 0;

  constructor(api: VedettaApi) {
    this.#api = api;
    this.#off = listen(api, {
      // A colleague's shared search, or this person's in another window.
      'searches.changed': () => void this.load(),
      'mentions.added': () => this.countSoon(),
      // Matches and memberships the counts read moved.
      'perimeters.changed': () => this.countSoon(),
      'audiences.changed': () => this.countSoon(),
      'assignments.changed': () => this.countSoon(),
    });
  }

  async load(): Promise<void> {
    const gen = ++this.#gen;
    try {
      const res = await this.#api.call('searches.list', {});
      if (gen !== this.#gen) return;
      this.items = res.items;
      await this.count();
    } catch (e) {
      if (gen === this.#gen) this.error = message(e);
    }
  }

  /** The counts now; a failure keeps the previous ones (the next arrival asks again). */
  async count(): Promise<void> {
    this.#lastCount = Date.now();
    if (this.items.length === 0) {
      this.counts = new Map();
      return;
    }
    try {
      const res = await this.#api.call('searches.counts', {});
      this.counts = new Map(res.counts.map((c) => [c.id, c]));
    } catch {
      /* kept */
    }
  }

  countSoon(): void {
    if (this.#countTimer || this.items.length === 0) return;
    const wait = Math.max(0, COUNT_EVERY_MS - (Date.now() - this.#lastCount));
    this.#countTimer = setTimeout(() => {
      this.#countTimer = null;
      void this.count();
    }, wait);
  }

  async create(name: string, shared: boolean, filters: SavedFilters): Promise<SavedSearch | null> {
    return this.#change(() => this.#api.call('searches.create', { name, shared, filters }));
  }

  async rename(id: number, name: string): Promise<boolean> {
    return (await this.#change(() => this.#api.call('searches.update', { id, name }))) !== null;
  }

  async remove(id: number): Promise<boolean> {
    const ok = await this.#change(() => this.#api.call('searches.delete', { id }));
    return ok !== null;
  }

  clearError(): void {
    this.error = null;
  }

  dispose(): void {
    this.#off();
    this.#gen++;
    if (this.#countTimer) clearTimeout(this.#countTimer);
  }

  async #change<T>(f: () => Promise<T>): Promise<T | null> {
    this.busy = true;
    this.error = null;
    try {
      const out = await f();
      await this.load();
      return out;
    } catch (e) {
      this.error = message(e);
      return null;
    } finally {
      this.busy = false;
    }
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
