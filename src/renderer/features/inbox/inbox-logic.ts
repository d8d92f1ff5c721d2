// Pure inbox logic (no Svelte, no DOM): ordering, filter matching, merging live arrivals
// and keyset pages, and the held-back "N nuove" buffer. The InboxStore composes these.
import { aliasFold, looksLikeAlias } from '../../../shared/author-alias';
import type { MentionQuery } from '../../../shared/contract';
import type { Mention } from '../../../shared/schemas';
import type { SentimentLabel } from '../../../shared/sentiment';
import { fold } from '../../../shared/text';
import type { MatchSpanDto } from '../../../shared/perimeters';
import { isPlainSearch, savedToQuery, type SavedFilters } from '../../../shared/search';

/** The filters the inbox UI offers, turned into the contract's query by toQuery(). */
export interface InboxFilters {
  text: string;
  sourceId: number | null;
  lang: string | null;
  sentiment: SentimentLabel | null;
  /** Only mentions matching this perimeter theme. */
  themeId: number | null;
  /** Newest first, or best perimeter relevance first. */
  sort: 'time' | 'relevance';
  /** Only mentions of this moment; its title is shown on the filter's chip. */
  momentId?: number | null;
  momentTitle?: string | null;
  /** Only mentions of this audience (membership is decided by the server). */
  audienceId?: number | null;
  /** Only mentions assigned to the signed-in person (the server knows who). */
  assignedToMe?: boolean;
  /** Only mentions carrying any of these tags (features/tags). */
  tagIds?: readonly number[];
}

export const EMPTY_FILTERS: InboxFilters = { text: '', sourceId: null, lang: null, sentiment: null, themeId: null, momentId: null, momentTitle: null, tagIds: [], sort: 'time' };

/** Filters only the server can apply to live arrivals (full text, moment links) or orders it alone decides. */
export function serverDecides(f: InboxFilters): boolean {
  return hasText(f) || (f.momentId ?? null) !== null || (f.audienceId ?? null) !== null || f.assignedToMe === true || (f.tagIds?.length ?? 0) > 0 || f.sort === 'relevance';
}

export function sameFilters(a: InboxFilters, b: InboxFilters): boolean {
  const keys: (keyof InboxFilters)[] = ['text', 'sourceId', 'lang', 'themeId', 'sentiment', 'momentId', 'audienceId', 'sort'];
  const tags = (f: InboxFilters) => (f.tagIds ?? []).join(',');
  return keys.every((k) => (a[k] ?? null) === (b[k] ?? null)) && (a.assignedToMe === true) === (b.assignedToMe === true) && tags(a) === tags(b);
}

export function toQuery(f: InboxFilters): MentionQuery {
  // What a saved search keeps, and what it does not (the moment, the tags).
  const q = savedToQuery(toSaved(f));
  if (f.momentId != null) q.momentId = f.momentId;
  if (f.tagIds?.length) q.tagIds = [...f.tagIds];
  return q;
}

export function hasText(f: InboxFilters): boolean {
  return f.text.trim().length > 0;
}

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** Inbox order, the same as the keyset cursor's: newest published first, then higher id. */
export function compareInbox(a: Pick<Mention, 'publishedAt' | 'id'>, b: Pick<Mention, 'publishedAt' | 'id'>): number {
  const d = time(b.publishedAt) - time(a.publishedAt);
  return d !== 0 ? d : b.id - a.id;
}


export function searchWords(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * Whether a live arrival belongs to the current view. Source and language are exact;
 * search text is an approximation of the full-text index (every word as a prefix of some
 * word), used only to count arrivals: the list itself is re-queried before showing them.
 */
export function matchesFilters(m: Mention, f: InboxFilters): boolean {
  // A mention that just arrived is nobody's yet, and carries no tag.
  if (f.assignedToMe || (f.tagIds?.length ?? 0) > 0) return false;
  if (f.sourceId !== null && m.sourceId !== f.sourceId) return false;
  if (f.lang && m.lang !== f.lang) return false;
  if (f.sentiment && m.sentimentLabel !== f.sentiment) return false;
  if (f.themeId !== null && !(m.themes ?? []).some((x) => x.themeId === f.themeId)) return false;
  // A search that is an alias is that author's mentions (as the server answers it).
  if (looksLikeAlias(f.text) && m.authorAlias && aliasFold(m.authorAlias) === aliasFold(f.text)) return true;
  // A query (OR, NOT, phrases…) is the server's to decide: any arrival may match it.
  if (!isPlainSearch(f.text)) return true;
  const words = searchWords(f.text);
  if (words.length === 0) return true;
  const hay = searchWords(`${m.title ?? ''} ${m.text}`);
  return words.every((w) => hay.some((h) => h.startsWith(w)));
}

/** First index i such that compareInbox(items[i], m) > 0, i.e. where m goes. */
export function insertionIndex(items: readonly Mention[], m: Mention): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareInbox(items[mid]!, m) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface MergeResult {
  items: Mention[];
  /** Arrivals now in the list. */
  inserted: number;
  /** Arrivals older than the loaded tail while more pages exist: a later page brings them. */
  deferred: number;
}

/**
 * Merge arrivals into a sorted list without duplicates. O(n + k log n): the 100k-row list is
 * copied once, never spliced per item. Arrivals already present replace the old copy.
 */
export function mergeArrivals(items: readonly Mention[], arrivals: readonly Mention[], hasMore: boolean): MergeResult {
  if (arrivals.length === 0) return { items: items as Mention[], inserted: 0, deferred: 0 };
  const byId = new Map<number, Mention>();
  for (const m of arrivals) byId.set(m.id, m);
  let base: readonly Mention[] = items;
  if (items.some((m) => byId.has(m.id))) {
    // Rare (an arrival raced with a page load): drop the old copy so the new one is placed.
    base = items.filter((m) => !byId.has(m.id));
  }
  const sorted = [...byId.values()].sort(compareInbox);
  const tail = base[base.length - 1];
  const out: Mention[] = [];
  let from = 0;
  let inserted = 0;
  let deferred = 0;
  for (const m of sorted) {
    if (hasMore && tail && compareInbox(m, tail) > 0) {
      deferred++;
      continue;
    }
    const at = insertionIndex(base, m);
    for (let i = from; i < at; i++) out.push(base[i]!);
    from = Math.max(from, at);
    out.push(m);
    inserted++;
  }
  for (let i = from; i < base.length; i++) out.push(base[i]!);
  return { items: out, inserted, deferred };
}

/** Append a keyset page, skipping rows that already arrived live. */
export function appendPage(items: readonly Mention[], page: readonly Mention[]): Mention[] {
  if (page.length === 0) return items as Mention[];
  const have = new Set<number>();
  // Only the tail can overlap a following page (plus live arrivals); check a bounded window.
  const window = Math.min(items.length, page.length + 2_000);
  for (let i = items.length - window; i < items.length; i++) have.add(items[i]!.id);
  const fresh = page.filter((m) => !have.has(m.id));
  return fresh.length ? [...items, ...fresh] : (items as Mention[]);
}

export function replaceItem(items: readonly Mention[], m: Mention): Mention[] {
  const i = items.findIndex((x) => x.id === m.id);
  if (i < 0) return items as Mention[];
  const out = items.slice();
  out[i] = m;
  return out;
}

/**
 * Arrivals held while the reader is not at the top. Past `cap` the buffer stops keeping
 * rows and only counts: revealing then re-queries the first page instead of merging.
 */
export interface Pending {
  items: Mention[];
  count: number;
  overflow: boolean;
}

export const EMPTY_PENDING: Pending = { items: [], count: 0, overflow: false };

export function addPending(p: Pending, arrivals: readonly Mention[], cap: number): Pending {
  if (arrivals.length === 0) return p;
  const seen = new Set(p.items.map((m) => m.id));
  const fresh = arrivals.filter((m) => !seen.has(m.id));
  const count = p.count + fresh.length;
  if (p.overflow || p.items.length + fresh.length > cap) return { items: [], count, overflow: true };
  return { items: [...p.items, ...fresh], count, overflow: false };
}

/** Move the selection by id: the next/previous row, or the first one in view if none. */
export function moveSelection(
  items: readonly Mention[],
  selectedId: number | null,
  delta: number,
  firstVisibleIndex: number,
): number | null {
  if (items.length === 0) return null;
  const i = selectedId === null ? -1 : items.findIndex((m) => m.id === selectedId);
  if (i < 0) return items[Math.min(Math.max(firstVisibleIndex, 0), items.length - 1)]!.id;
  const j = Math.min(Math.max(i + delta, 0), items.length - 1);
  return items[j]!.id;
}

/**
 * The rows a fixed-height virtual list must render for a scroll position. Few spare rows
 * above (Svelte renders before paint, so scrolling up never shows a gap for long) and more
 * below, where reading goes.
 */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscanBefore = 2,
  overscanAfter = 10,
): { start: number; end: number } {
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(scrollTop, 0) / rowHeight);
  const last = Math.ceil((Math.max(scrollTop, 0) + Math.max(viewportHeight, 0)) / rowHeight);
  return { start: Math.max(0, first - overscanBefore), end: Math.min(count, last + overscanAfter) };
}

/** Arrange a thread as a tree (replies under their parent), oldest first, with depth. */
export function threadTree(thread: readonly Mention[]): { mention: Mention; depth: number }[] {
  const byExternal = new Map<string, Mention>();
  for (const m of thread) if (m.externalId) byExternal.set(m.externalId, m);
  const children = new Map<number, Mention[]>();
  const roots: Mention[] = [];
  for (const m of thread) {
    const parent = m.parentId ? byExternal.get(m.parentId) : undefined;
    if (parent && parent.id !== m.id) {
      const list = children.get(parent.id) ?? [];
      list.push(m);
      children.set(parent.id, list);
    } else {
      roots.push(m);
    }
  }
  const older = (a: Mention, b: Mention) => -compareInbox(a, b);
  const out: { mention: Mention; depth: number }[] = [];
  const seen = new Set<number>();
  const walk = (m: Mention, depth: number) => {
    if (seen.has(m.id)) return;
    seen.add(m.id);
    out.push({ mention: m, depth });
    for (const c of (children.get(m.id) ?? []).sort(older)) walk(c, depth + 1);
  };
  for (const r of roots.sort(older)) walk(r, 0);
  // A cycle in parent links leaves rows unvisited: show them flat rather than lose them.
  for (const m of thread) if (!seen.has(m.id)) walk(m, 0);
  return out;
}

/** First non-empty line, for the one-line row preview. */
export function previewLine(m: Pick<Mention, 'title' | 'text'>): string {
  const title = m.title?.trim();
  if (title) return title;
  const line = m.text.split(/\r?\n/).find((l) => l.trim().length > 0) ?? '';
  return line.trim().slice(0, 400);
}

/** A row's one line with the search's matched words in it, their offsets moved to the line. */
export interface Preview {
  field: 'title' | 'text';
  text: string;
  spans: MatchSpanDto[];
  /** The line starts inside the text (an ellipsis goes before it). */
  clipped: boolean;
}

/** Words before a match kept on a row, so the match is read in its context. */
const LEAD = 40;
const PREVIEW_MAX = 400;

/**
 * The row's line: the title, or the text's first line; with a search, the part of the text
 * where the first matched word is (a row shows one line, and the match must be on it).
 */
export function previewOf(m: Pick<Mention, 'title' | 'text'>, spans: readonly MatchSpanDto[] = []): Preview {
  const inTitle = spans.filter((x) => x.field === 'title');
  const inText = spans.filter((x) => x.field === 'text').sort((a, b) => a.start - b.start);
  const title = m.title?.trim();
  if (title && (inTitle.length > 0 || inText.length === 0)) {
    const lead = (m.title ?? '').indexOf(title);
    return { field: 'title', text: title, spans: shift(inTitle, lead, title.length), clipped: false };
  }
  const first = inText[0];
  let start: number;
  if (first) {
    // Back to a word start within LEAD characters before the match.
    start = Math.max(0, first.start - LEAD);
    const space = m.text.slice(start, first.start).search(/\s\S/);
    if (start > 0 && space >= 0) start += space + 1;
  } else {
    const line = /\S/.exec(m.text);
    start = line ? line.index : 0;
  }
  const end = first ? Math.min(m.text.length, start + PREVIEW_MAX) : firstLineEnd(m.text, start);
  // Newlines become spaces one for one, so the offsets still hold.
  const text = m.text.slice(start, end).replace(/[\r\n]/g, ' ');
  return { field: 'text', text, spans: shift(inText, start, text.length), clipped: start > 0 && first !== undefined };
}

function firstLineEnd(text: string, from: number): number {
  const nl = text.slice(from).search(/\r?\n/);
  return Math.min(text.length, nl < 0 ? text.length : from + nl, from + PREVIEW_MAX);
}

function shift(spans: readonly MatchSpanDto[], by: number, len: number): MatchSpanDto[] {
  return spans
    .map((x) => ({ field: x.field, start: x.start - by, end: Math.min(x.end - by, len) }))
    .filter((x) => x.end > 0 && x.start < len)
    .map((x) => ({ ...x, start: Math.max(0, x.start) }));
}

/** Short form of the pseudonymous author key for dense rows. */
export function shortAuthor(key: string | null): string {
  if (!key) return '—';
  return key.length > 10 ? key.slice(0, 8) : key;
}

/**
 * How an author is called on screen: their readable alias ("Volpe-482"), the short key while
 * an older author's alias is still being assigned, "—" when there is no author. The raw
 * handle, when an administrator enabled handles, is shown beside it, never instead.
 */
export function authorLabel(m: Pick<Mention, 'authorKey' | 'authorAlias'>): string {
  return m.authorAlias ?? shortAuthor(m.authorKey);
}

/** The inbox's filters as a saved search keeps them (the moment filter is not kept: moments come and go). */
export function toSaved(f: InboxFilters): SavedFilters {
  return {
    text: f.text.trim(),
    sourceId: f.sourceId,
    lang: f.lang,
    sentiment: f.sentiment,
    themeId: f.themeId,
    audienceId: f.audienceId ?? null,
    assignedToMe: f.assignedToMe === true,
    sort: f.sort,
  };
}

/** A saved search applied: its filters replace the inbox's, moment included. */
export function fromSaved(s: SavedFilters): InboxFilters {
  return { ...EMPTY_FILTERS, ...s, momentId: null, momentTitle: null };
}

/** Whether the inbox shows exactly this saved search. */
export function isApplied(f: InboxFilters, s: SavedFilters): boolean {
  return sameFilters(f, fromSaved(s));
}
