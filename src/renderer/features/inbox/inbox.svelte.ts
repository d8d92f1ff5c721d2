// Over 400 lines on purpose: the live list's rules (pages, arrivals merged or held behind the pill, selection by id, the open mention) act on the same state; the pure parts are in inbox-logic.ts.
// The live inbox: keyset pages, live arrivals (shown at once at the top, held behind the
// "N nuove" pill otherwise), selection and the open mention — all by id, never by index,
// so arrivals never move what the reader is looking at.
import type { Cursor, OpName, VedettaApi } from '../../../shared/contract';
import type { Mention } from '../../../shared/schemas';
import type { SentimentLabel } from '../../../shared/sentiment';
import type { MatchSpanDto, QueryErrorDto } from '../../../shared/perimeters';
import type { SavedFilters } from '../../../shared/search';
import {
  addPending,
  appendPage,
  EMPTY_FILTERS,
  EMPTY_PENDING,
  fromSaved,
  hasText,
  matchesFilters,
  mergeArrivals,
  moveSelection,
  replaceItem,
  sameFilters,
  serverDecides,
  toQuery,
  type InboxFilters,
  type Pending,
} from './inbox-logic';
import { listen } from '../../lib/events';
import { dirtyForms } from '../../ui/dirty-forms';

export const PAGE_SIZE = 200;
/** Held arrivals kept as rows; past this the pill only counts and revealing re-queries. */
export const PENDING_CAP = 2_000;
/** Start fetching the next page when the viewport is this many rows from the loaded end. */
export const PREFETCH_ROWS = 80;

/** What the list component lends the store so keyboard moves can scroll. */
export interface InboxViewport {
  scrollToTop(): void;
  ensureVisible(index: number): void;
  firstVisibleIndex(): number;
}

export interface MentionDetail {
  mention: Mention;
  thread: Mention[];
}

type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export class InboxStore {
  /** Whether the signed-in person may call an op (the shell sets it from the session). */
  may: (op: OpName) => boolean = () => true;
  items = $state.raw<Mention[]>([]);
  total = $state(0);
  /** The server stopped counting at `total` (LIMITS.countCap): there are more. */
  capped = $state(false);
  next = $state.raw<Cursor | null>(null);
  filters = $state.raw<InboxFilters>(EMPTY_FILTERS);
  state = $state<LoadState>('idle');
  error = $state<string | null>(null);
  loadingMore = $state(false);
  pending = $state.raw<Pending>(EMPTY_PENDING);
  atTop = $state(true);
  selectedId = $state<number | null>(null);
  openId = $state<number | null>(null);
  detail = $state.raw<MentionDetail | null>(null);
  detailState = $state<LoadState>('idle');
  detailError = $state<string | null>(null);
  /** Why the last action on a row (a sentiment correction) failed; shown above the key hints. */
  actionError = $state<string | null>(null);
  /** The search's matched words per row (and for the open mention), for highlighting. */
  hits = $state.raw<ReadonlyMap<number, MatchSpanDto[]>>(new Map());
  /** The search does not parse: why and where (shown under the search field). */
  queryError = $state.raw<QueryErrorDto | null>(null);
  /** Languages seen in this session, for the language filter. */
  langs = $state.raw<string[]>(['it', 'en']);

  /** Where the list was scrolled, so it comes back in place after switching screens. */
  scrollTop = 0;

  readonly pendingCount = $derived(this.pending.count);
  readonly selectedIndex = $derived.by(() => {
    const id = this.selectedId;
    return id === null ? -1 : this.items.findIndex((m) => m.id === id);
  });
  readonly filtered = $derived(
    hasText(this.filters) ||
      this.filters.sourceId !== null ||
      this.filters.lang !== null ||
      this.filters.sentiment !== null ||
      this.filters.themeId !== null ||
      (this.filters.momentId ?? null) !== null ||
      (this.filters.audienceId ?? null) !== null ||
      this.filters.assignedToMe === true ||
      (this.filters.tagIds?.length ?? 0) > 0,
  );

  #api: VedettaApi;
  #gen = 0;
  #queued: Mention[][] | null = null;
  #viewport: InboxViewport | null = null;
  /** Arrivals missed while offline or beyond what can be merged: revealing re-queries. */
  #stale = false;
  #totalTimer: ReturnType<typeof setTimeout> | null = null;
  #reloadTimer: ReturnType<typeof setTimeout> | null = null;
  #detailGen = 0;
  #arrivalSeq = 0;
  #resyncTimer: ReturnType<typeof setTimeout> | null = null;
  #off: () => void;

  constructor(api: VedettaApi) {
    this.#api = api;
    this.#off = listen(api, {
      'mentions.added': ({ items }) => {
        this.applyArrivals(items);
      },
      'mentions.flagged': ({ items }) => this.applyFlags(items),
      // A correction made in another window: the badge changes here too.
      'mentions.updated': ({ items }) => this.applyUpdates(items),
      // Matches changed (an edit's re-match finished): the rows re-read their chips.
      'perimeters.changed': () => this.resyncSoon(),
      // Memberships changed: a list filtered by audience re-reads.
      'audiences.changed': () => {
        if (this.filters.audienceId != null) this.resyncSoon();
      },
      // "Assegnati a me" shown: a mention given to (or taken from) someone may enter or leave it.
      'assignments.changed': ({ subject }) => {
        if (this.filters.assignedToMe && subject.kind === 'mention') this.resyncSoon();
      },
      // Filtered by tag: a mention tagged (or untagged) here or elsewhere may enter or leave it.
      'tags.changed': ({ mentionIds }) => {
        if ((this.filters.tagIds?.length ?? 0) > 0 && mentionIds.length > 0) this.resyncSoon(300);
      },
    });
  }

  attachViewport(v: InboxViewport | null): void {
    this.#viewport = v;
  }

  /** Load the first page for the current filters, dropping what was held. */
  async load(): Promise<void> {
    const gen = ++this.#gen;
    this.state = 'loading';
    this.error = null;
    this.#queued = [];
    this.#stale = false;
    this.pending = EMPTY_PENDING;
    try {
      const res = await this.#api.call('mentions.list', { query: toQuery(this.filters), limit: PAGE_SIZE, sort: this.filters.sort });
      if (gen !== this.#gen) return;
      this.items = res.items;
      this.total = res.total;
      this.capped = res.capped;
      this.next = res.next;
      this.hits = new Map((res.hits ?? []).map((h) => [h.id, h.spans]));
      this.queryError = res.queryError ?? null;
      this.#noteLangs(res.items);
      this.state = 'ready';
      const queued = this.#queued ?? [];
      this.#queued = null;
      // Arrivals during the load: the page may already hold some (merge dedupes by id), and
      // whether the server's total counted them is unknown, so ask again.
      for (const batch of queued) this.#applyMatched(batch.filter((m) => matchesFilters(m, this.filters)), false);
      if (queued.length > 0) this.#refreshTotalSoon();
    } catch (e) {
      if (gen !== this.#gen) return;
      this.#queued = null;
      this.state = 'error';
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  async loadMore(): Promise<void> {
    const after = this.next;
    if (!after || this.loadingMore || this.state !== 'ready') return;
    const gen = this.#gen;
    this.loadingMore = true;
    try {
      const res = await this.#api.call('mentions.list', { query: toQuery(this.filters), after, limit: PAGE_SIZE, sort: this.filters.sort });
      if (gen !== this.#gen) return;
      this.items = appendPage(this.items, res.items);
      this.next = res.next;
      this.total = res.total;
      this.capped = res.capped;
      if (res.hits?.length) this.hits = new Map([...this.hits, ...res.hits.map((h) => [h.id, h.spans] as const)]);
      this.#noteLangs(res.items);
    } catch (e) {
      if (gen === this.#gen) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (gen === this.#gen) this.loadingMore = false;
    }
  }

  /** The list calls this as it renders rows up to `endIndex`. */
  nearEnd(endIndex: number): void {
    if (this.next && endIndex >= this.items.length - PREFETCH_ROWS) void this.loadMore();
  }

  /** Apply a mentions.flagged event: earlier rows revealed as part of a pattern get their badge. */
  applyFlags(changes: readonly { id: number; flag: NonNullable<Mention['flag']> }[]): void {
    if (changes.length === 0) return;
    const byId = new Map(changes.map((c) => [c.id, c.flag]));
    if (this.items.some((m) => byId.has(m.id))) {
      this.items = this.items.map((m) => {
        const flag = byId.get(m.id);
        return flag ? { ...m, flag } : m;
      });
    }
    const d = this.detail;
    if (d) {
      const flag = byId.get(d.mention.id);
      if (flag || d.thread.some((m) => byId.has(m.id))) {
        this.detail = {
          mention: flag ? { ...d.mention, flag } : d.mention,
          thread: d.thread.map((m) => (byId.has(m.id) ? { ...m, flag: byId.get(m.id) } : m)),
        };
      }
    }
  }

  /** Apply a mentions.added event. Returns how many arrivals match the current view. */
  applyArrivals(arrivals: readonly Mention[]): number {
    if (arrivals.length === 0) return 0;
    this.#arrivalSeq++;
    this.#noteLangs(arrivals);
    if (this.#queued) {
      this.#queued.push([...arrivals]);
      return 0;
    }
    const matched = arrivals.filter((m) => matchesFilters(m, this.filters));
    if (matched.length === 0) return 0;
    // Past the cap the count says "oltre": arrivals do not make it exact.
    if (!this.capped) this.total += matched.length;
    this.#applyMatched(matched, true);
    return matched.length;
  }

  #applyMatched(matched: Mention[], fresh: boolean): void {
    if (matched.length === 0) return;
    if (serverDecides(this.filters)) {
      // The full-text index (or the moment's links, or the relevance order) decides: count approximately, then ask.
      if (fresh) this.#refreshTotalSoon();
      if (this.#live()) this.#reloadSoon();
      else this.pending = addPending(this.pending, matched, PENDING_CAP);
      return;
    }
    if (this.#live()) {
      this.items = mergeArrivals(this.items, matched, this.next !== null).items;
    } else {
      this.pending = addPending(this.pending, matched, PENDING_CAP);
    }
  }

  /**
   * Arrivals show at once only while the reader watches the top of the list with no mention
   * open; reading a mention (j/k through the detail) must not have rows shift underneath.
   */
  #live(): boolean {
    return this.atTop && this.openId === null && this.pending.count === 0;
  }

  /** Show what the pill holds and go to the top. */
  async reveal(): Promise<void> {
    const p = this.pending;
    this.atTop = true;
    this.scrollTop = 0;
    this.#viewport?.scrollToTop();
    if (p.count === 0 && !this.#stale) return;
    if (p.overflow || this.#stale || serverDecides(this.filters)) {
      await this.load();
      return;
    }
    this.pending = EMPTY_PENDING;
    this.items = mergeArrivals(this.items, p.items, this.next !== null).items;
  }

  /** The list reports whether the reader is at the top; reaching it shows held rows. */
  setAtTop(atTop: boolean): void {
    if (atTop === this.atTop) return;
    this.atTop = atTop;
    if (atTop && (this.pending.count > 0 || this.#stale)) void this.reveal();
  }

  /** After a lost connection: events may be missing, so the view must be re-read. */
  resync(): void {
    if (this.state === 'idle') return;
    if (this.atTop) void this.load();
    else this.#stale = true;
    this.#refreshTotalSoon();
  }

  /** resync(), once for a burst of changes. */
  resyncSoon(delay = 800): void {
    if (this.#resyncTimer) return;
    this.#resyncTimer = setTimeout(() => {
      this.#resyncTimer = null;
      this.resync();
    }, delay);
  }

  setFilters(patch: Partial<InboxFilters>): void {
    // Relevance works with or without a theme: without one, each mention's best theme counts.
    const next = { ...this.filters, ...patch };
    if (sameFilters(next, this.filters)) return;
    this.filters = next;
    this.atTop = true;
    this.scrollTop = 0;
    this.#viewport?.scrollToTop();
    void this.load();
  }

  /** A saved search applied: its search and filters replace the current ones. */
  applySaved(f: SavedFilters): void {
    this.setFilters(fromSaved(f));
  }

  /** Clears the filters; the sort order is a preference, not a filter, and stays. */
  clearFilters(): void {
    this.setFilters({ ...EMPTY_FILTERS, sort: this.filters.sort });
  }

  select(id: number | null): void {
    this.selectedId = id;
  }

  move(delta: number): void {
    const first = this.#viewport?.firstVisibleIndex() ?? 0;
    const id = moveSelection(this.items, this.selectedId, delta, first);
    this.selectedId = id;
    if (id === null) return;
    const index = this.items.findIndex((m) => m.id === id);
    this.#viewport?.ensureVisible(index);
    if (this.openId !== null) void this.open(id);
    this.nearEnd(index);
  }

  async open(id: number | null = this.selectedId): Promise<void> {
    if (id === null) return;
    // Another mention over a note being written: asked first; «Resta» keeps this one open.
    if (this.openId !== null && id !== this.openId && dirtyForms.any && !(await dirtyForms.leave(() => {}))) {
      this.selectedId = this.openId;
      return;
    }
    this.selectedId = id;
    this.openId = id;
    const gen = ++this.#detailGen;
    const known = this.items.find((m) => m.id === id) ?? null;
    // Show what the list already knows at once; the thread follows.
    this.detail = known ? { mention: known, thread: this.detail?.mention.id === id ? this.detail.thread : [] } : null;
    this.detailState = 'loading';
    this.detailError = null;
    try {
      const res = await this.#api.call('mentions.get', { id });
      if (gen !== this.#detailGen) return;
      this.detail = res;
      this.detailState = 'ready';
      if (res.mention.status === 'new' && this.may('mentions.setStatus')) void this.setStatus(id, 'read');
    } catch (e) {
      if (gen !== this.#detailGen) return;
      this.detailState = 'error';
      this.detailError = e instanceof Error ? e.message : String(e);
    }
  }

  close(): void {
    this.#detailGen++;
    this.openId = null;
    this.detail = null;
    this.detailState = 'idle';
    // Back to watching the top: what was held while reading comes in.
    if (this.atTop && (this.pending.count > 0 || this.#stale)) void this.reveal();
  }

  async setStatus(id: number, status: Mention['status']): Promise<void> {
    if (!this.may('mentions.setStatus')) return;
    try {
      const m = await this.#api.call('mentions.setStatus', { id, status });
      this.items = replaceItem(this.items, m);
      const d = this.detail;
      if (d && d.mention.id === id) {
        this.detail = { mention: m, thread: d.thread.map((x) => (x.id === id ? m : x)) };
      }
    } catch (e) {
      this.detailError = e instanceof Error ? e.message : String(e);
    }
  }

  /**
   * Sets a mention's sentiment. The row keeps its place even when it no longer matches a
   * sentiment filter: the reader sees the change where they made it (the next load drops it).
   */
  async correctSentiment(id: number, label: SentimentLabel): Promise<void> {
    this.actionError = null;
    try {
      this.applyUpdates([await this.#api.call('mentions.correctSentiment', { id, label })]);
    } catch (e) {
      this.actionError = e instanceof Error ? e.message : String(e);
    }
  }

  /** Apply a mentions.updated event (or an answer): the rows, the open mention and its thread swap in place. */
  applyUpdates(updated: readonly Mention[]): void {
    if (updated.length === 0) return;
    const byId = new Map(updated.map((m) => [m.id, m]));
    if (this.items.some((m) => byId.has(m.id))) this.items = this.items.map((m) => byId.get(m.id) ?? m);
    const d = this.detail;
    if (d && (byId.has(d.mention.id) || d.thread.some((m) => byId.has(m.id)))) {
      this.detail = { mention: byId.get(d.mention.id) ?? d.mention, thread: d.thread.map((m) => byId.get(m.id) ?? m) };
    }
  }

  dispose(): void {
    this.#off();
    this.#gen++;
    if (this.#totalTimer) clearTimeout(this.#totalTimer);
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
    if (this.#resyncTimer) clearTimeout(this.#resyncTimer);
  }

  #noteLangs(ms: readonly Mention[]): void {
    let added: string[] | null = null;
    for (const m of ms) {
      if (m.lang && m.lang !== 'und' && !this.langs.includes(m.lang) && !added?.includes(m.lang)) {
        (added ??= []).push(m.lang);
      }
    }
    if (added) this.langs = [...this.langs, ...added].sort();
  }

  #refreshTotalSoon(): void {
    if (this.#totalTimer) return;
    this.#totalTimer = setTimeout(() => {
      this.#totalTimer = null;
      void this.#refreshTotal();
    }, 750);
  }

  /** Never rejects: a failed count keeps the previous total. */
  async #refreshTotal(): Promise<void> {
    const gen = this.#gen;
    const seq = this.#arrivalSeq;
    try {
      const res = await this.#api.call('mentions.list', { query: toQuery(this.filters), limit: 1 });
      if (gen !== this.#gen) return;
      this.total = res.total;
      this.capped = res.capped;
      // Arrivals while asking may or may not be in that count: ask once more.
      if (seq !== this.#arrivalSeq) this.#refreshTotalSoon();
    } catch {
      /* the next arrival or reload tries again */
    }
  }

  #reloadSoon(): void {
    if (this.#reloadTimer) return;
    this.#reloadTimer = setTimeout(() => {
      this.#reloadTimer = null;
      if (this.#live()) void this.load();
      else this.#stale = true;
    }, 600);
  }
}
