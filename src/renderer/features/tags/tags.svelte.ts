// The workspace's tags with their counts, and the tags of the mentions the inbox holds (read in
// batches as rows load, like the read marks). Every window follows tags.changed: a tag created,
// renamed or put on a mention elsewhere shows here within a moment.
import type { VedettaApi } from '../../../shared/contract';
import { TAGS_OF_MAX, type Tag } from '../../../shared/ops/tags';
import { listen } from '../../lib/events';

const NO_TAGS: readonly number[] = [];

export class TagsStore {
  tags = $state.raw<Tag[]>([]);
  /** Per mention asked about, its tag ids; absent: not known yet (shown without chips). */
  byMention = $state.raw<ReadonlyMap<number, readonly number[]>>(new Map());
  /** Why the last change failed, where the person made it. */
  error = $state<string | null>(null);

  readonly byId = $derived(new Map(this.tags.map((t) => [t.id, t])));

  #api: VedettaApi;
  #off: () => void;
  #asked = new Set<number>();
  #want = new Set<number>();
  #askTimer: ReturnType<typeof setTimeout> | null = null;
  #listTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(api: VedettaApi) {
    this.#api = api;
    this.#off = listen(api, {
      'tags.changed': ({ mentionIds }) => {
        this.#listSoon();
        for (const id of mentionIds) if (this.#asked.has(id)) this.#want.add(id);
        if (this.#want.size > 0) this.#askSoon();
      },
    });
  }

  /** Every tag with its count, by name. */
  async load(): Promise<void> {
    try {
      this.tags = (await this.#api.call('tags.list', {})).tags;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  of(mentionId: number): readonly number[] {
    return this.byMention.get(mentionId) ?? NO_TAGS;
  }

  names(mentionId: number): string[] {
    return this.of(mentionId).flatMap((id) => this.byId.get(id)?.name ?? []);
  }

  /** The rows the inbox holds: their tags are read once (batched). */
  track(ids: readonly number[]): void {
    for (const id of ids) {
      if (this.#asked.has(id)) continue;
      this.#asked.add(id);
      this.#want.add(id);
    }
    if (this.#want.size > 0) this.#askSoon();
  }

  /** A new tag; null (and `error` set) when refused. */
  async create(name: string): Promise<Tag | null> {
    this.error = null;
    try {
      const tag = await this.#api.call('tags.create', { name });
      this.tags = [...this.tags.filter((t) => t.id !== tag.id), tag].sort((a, b) => a.name.localeCompare(b.name, 'it'));
      return tag;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return null;
    }
  }

  async rename(id: number, name: string): Promise<boolean> {
    this.error = null;
    try {
      const tag = await this.#api.call('tags.rename', { id, name });
      this.tags = this.tags.map((t) => (t.id === id ? tag : t));
      return true;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return false;
    }
  }

  async remove(id: number): Promise<boolean> {
    this.error = null;
    try {
      await this.#api.call('tags.delete', { id });
      this.tags = this.tags.filter((t) => t.id !== id);
      // Chips of a deleted tag go at once; the other windows hear tags.changed.
      this.byMention = new Map([...this.byMention].map(([m, ids]) => [m, ids.filter((x) => x !== id)]));
      return true;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return false;
    }
  }

  /** After a bulk tag action here: the changed rows' chips, before the event comes back. */
  applyTagged(tagId: number, items: readonly { id: number; tagged: boolean }[]): void {
    const next = new Map(this.byMention);
    for (const { id, tagged } of items) {
      const now = (next.get(id) ?? NO_TAGS).filter((x) => x !== tagId);
      next.set(id, tagged ? [...now, tagId] : now);
    }
    this.byMention = next;
    this.#listSoon(0);
  }

  dispose(): void {
    this.#off();
    if (this.#askTimer) clearTimeout(this.#askTimer);
    if (this.#listTimer) clearTimeout(this.#listTimer);
  }

  #listSoon(delay = 300): void {
    if (this.#listTimer) return;
    this.#listTimer = setTimeout(() => {
      this.#listTimer = null;
      void this.load();
    }, delay);
  }

  #askSoon(): void {
    if (this.#askTimer) return;
    this.#askTimer = setTimeout(() => {
      this.#askTimer = null;
      void this.#ask();
    }, 50);
  }

  async #ask(): Promise<void> {
    const ids = [...this.#want];
    this.#want.clear();
    for (let i = 0; i < ids.length; i += TAGS_OF_MAX) {
      try {
        const { items } = await this.#api.call('tags.state', { ids: ids.slice(i, i + TAGS_OF_MAX) });
        const next = new Map(this.byMention);
        for (const it of items) next.set(it.id, it.tagIds);
        this.byMention = next;
      } catch {
        // Asked again at the next change of these rows; the chips stay as they were.
        for (const id of ids.slice(i, i + TAGS_OF_MAX)) this.#asked.delete(id);
      }
    }
  }
}
