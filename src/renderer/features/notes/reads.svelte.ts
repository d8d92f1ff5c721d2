// The signed-in person's read state of the inbox: which rows they have opened (the others are
// bold with a dot), how many mentions they have not, and who has seen the open mention
// ("Visto da"). Each person has their own: another person opening a mention changes only
// that mention's "Visto da" here, never these marks or this count.
import type { VedettaApi } from '../../../shared/contract';
import { READS_IDS_MAX, type SeenBy } from '../../../shared/ops/notes';
import { listen } from '../../lib/events';

export class ReadsStore {
  /** Per mention asked about: true read, false unread; absent: not known yet (shown as read, so rows do not flash bold). */
  marks = $state.raw<ReadonlyMap<number, boolean>>(new Map());
  /** Mentions this person has not opened; null until first read. */
  unread = $state<number | null>(null);
  /** Who has seen `seenFor` (everyone, this person included). */
  seenBy = $state.raw<SeenBy[]>([]);
  seenFor = $state<number | null>(null);
  /** Why the last change failed (shown in the detail). */
  error = $state<string | null>(null);

  #api: VedettaApi;
  #off: () => void;
  #asked = new Set<number>();
  /** The ids the inbox holds now (the last track()). */
  #current: readonly number[] = [];
  #askTimer: ReturnType<typeof setTimeout> | null = null;
  #resyncTimer: ReturnType<typeof setTimeout> | null = null;
  #seenTimer: ReturnType<typeof setTimeout> | null = null;
  #seenGen = 0;
  /** Changes made here not yet answered: a state read meanwhile must not undo them. */
  #inFlight = 0;

  constructor(
    api: VedettaApi,
    private readonly me: () => number | null,
  ) {
    this.#api = api;
    this.#off = listen(api, {
      'reads.changed': ({ ids, userIds }) => {
        const me = this.me();
        // This person read or unread something in another window: re-read the marks.
        if (me !== null && userIds.includes(me)) this.resyncSoon();
        if (this.seenFor !== null && ids.includes(this.seenFor)) this.#loadSeenSoon();
      },
      // New mentions are unread for everyone.
      'mentions.added': ({ items }) => {
        if (items.length === 0) return;
        const marks = new Map(this.marks);
        for (const m of items) {
          if (!marks.has(m.id)) marks.set(m.id, false);
          this.#asked.add(m.id);
        }
        this.marks = marks;
        // Counted at once, then asked: an answer already in flight may have counted them too.
        if (this.unread !== null) this.unread += items.length;
        this.#countSoon();
      },
    });
  }

  isUnread(id: number): boolean {
    return this.marks.get(id) === false;
  }

  /** The rows on screen: their marks are read once (batched), with the count. */
  track(ids: readonly number[]): void {
    this.#current = ids;
    let added = false;
    for (const id of ids) {
      if (this.#asked.has(id)) continue;
      this.#asked.add(id);
      added = true;
    }
    if (added || this.unread === null) this.#askSoon();
  }

  /** The person opened a mention in the detail: read for them, and its "Visto da" shown. */
  async opened(id: number): Promise<void> {
    this.showSeen(id);
    if (this.marks.get(id) !== true) await this.set(id, true);
  }

  /** "Segna come letta / non letta", for this person only. */
  async set(id: number, read: boolean): Promise<void> {
    this.error = null;
    const before = this.marks.get(id);
    this.marks = new Map(this.marks).set(id, read);
    this.#asked.add(id);
    this.#inFlight++;
    try {
      const res = await this.#api.call('reads.mark', { ids: [id], read });
      this.unread = res.unread;
      if (this.seenFor === id) this.#loadSeenSoon(0);
    } catch (e) {
      const marks = new Map(this.marks);
      if (before === undefined) marks.delete(id);
      else marks.set(id, before);
      this.marks = marks;
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.#inFlight--;
    }
  }

  /** Shows who has seen this mention (null: none open). */
  showSeen(id: number | null): void {
    if (id === this.seenFor) return;
    this.seenFor = id;
    this.seenBy = [];
    if (id !== null) this.#loadSeenSoon(0);
  }

  /**
   * Re-reads the marks of the rows the inbox holds, and the count (after a lost connection, or
   * another window's change). Rows seen earlier keep their marks until they come back.
   */
  resyncSoon(delay = 300): void {
    if (this.#resyncTimer) return;
    this.#resyncTimer = setTimeout(() => {
      this.#resyncTimer = null;
      const current = new Set(this.#current);
      const marks = new Map([...this.marks].filter(([id]) => current.has(id)));
      this.marks = marks;
      this.#asked = new Set(current);
      void this.#ask([...current]);
    }, delay);
  }

  dispose(): void {
    this.#off();
    for (const t of [this.#askTimer, this.#resyncTimer, this.#seenTimer, this.#countTimer]) if (t) clearTimeout(t);
  }

  #countTimer: ReturnType<typeof setTimeout> | null = null;

  /** The count as the server has it, once for a burst of arrivals. */
  #countSoon(): void {
    if (this.#countTimer) return;
    this.#countTimer = setTimeout(() => {
      this.#countTimer = null;
      void this.#ask([]);
    }, 1_000);
  }

  #pending = new Set<number>();

  #askSoon(): void {
    for (const id of this.#asked) if (!this.marks.has(id)) this.#pending.add(id);
    if (this.#askTimer) return;
    this.#askTimer = setTimeout(() => {
      this.#askTimer = null;
      const ids = [...this.#pending];
      this.#pending.clear();
      void this.#ask(ids);
    }, 50);
  }

  /** Never rejects: a failed read keeps what is shown (the next change asks again). */
  async #ask(ids: number[]): Promise<void> {
    try {
      // At least one call, for the count; a long list in pieces of what one call takes.
      for (let i = 0; i === 0 || i < ids.length; i += READS_IDS_MAX) {
        const part = ids.slice(i, i + READS_IDS_MAX);
        const flights = this.#inFlight;
        const res = await this.#api.call('reads.state', { ids: part });
        // A change made here while asking is newer than this answer.
        if (flights !== 0 || this.#inFlight !== 0) continue;
        const read = new Set(res.read);
        const marks = new Map(this.marks);
        for (const id of part) marks.set(id, read.has(id));
        this.marks = marks;
        this.unread = res.unread;
      }
    } catch {
      /* the next change or resync asks again */
    }
  }

  /** "Visto da" for the open mention; a burst of changes reads it once. */
  #loadSeenSoon(delay = 250): void {
    if (this.#seenTimer) clearTimeout(this.#seenTimer);
    this.#seenTimer = setTimeout(() => {
      this.#seenTimer = null;
      void this.#loadSeen();
    }, delay);
  }

  async #loadSeen(): Promise<void> {
    const id = this.seenFor;
    if (id === null) return;
    const gen = ++this.#seenGen;
    try {
      const res = await this.#api.call('reads.list', { id });
      if (gen === this.#seenGen && this.seenFor === id) this.seenBy = res.people;
    } catch {
      /* kept as it was: the next change reads it again */
    }
  }
}
