// Which brand owns a mention or a thread, from the accounts each brand declared in Perimetri.
// Moments (owned-thread keys), audiences (the "own accounts" rule) and the response workflow
// all ask this one resolver, so they can never disagree about where the brand is at home.
//
// How each kind of entry matches:
// - source: the mention's source has that name (folded: case and accents ignored); every
//   thread in it is the brand's.
// - thread: the mention's thread id is that id (case ignored).
// - url: the mention's URL is that page or lies beneath it (a Reddit comment under the post),
//   or its thread id is the post's id as the URL spells it (instagram.com/p/<id>, …/comments/<id>,
//   …/status/<id>), on the same site when the mention's URL is known.
// - handle: authors are stored pseudonymized (an HMAC of source and name, keyed per workspace),
//   so the handle is never compared in clear: its pseudonym for the mention's source is computed
//   and compared with the stored one. A mention written by the handle is the brand's; so is a
//   thread whose root post (stored under its external id) the handle wrote. The platform, when
//   given, must appear as a word in the source's name ("Instagram" in "Instagram @caffeaurora").
import { foldName } from '../../shared/text';
import type { Brand, OwnedAccount, OwnedSuggestion, OwnedType } from '../../shared/perimeters';
import { authorKey } from '../ingest/normalize';
import { canonicalUrl } from '../ingest/url';
import type { OwnedRepo } from '../store/owned-repo';

/** What the resolver reads of a mention (stored or just inserted). */
export interface OwnedCandidate {
  sourceName: string;
  threadId: string | null;
  /** Pseudonymous author key, as stored. */
  authorKey: string | null;
  /** Canonical URL, when known. */
  url: string | null;
}

/** Path segments after which a URL names its post or thread. */
const POST_MARKERS = new Set(['p', 'reel', 'reels', 'tv', 'comments', 'status', 'statuses', 't', 'post', 'posts', 'video', 'videos', 'shorts']);
const ROOT_CACHE_MAX = 50_000;
const AUTHOR_MEMO_MAX = 2_000;

function spaced(s: string): string {
  return foldName(s).replace(/\s+/g, ' ');
}

/** "@CaffeAurora" → "caffeaurora"; keeps a Mastodon instance ("name@istanza"). */
function handleName(v: string): string {
  return v.trim().replace(/^@/, '');
}

/** A URL as the resolver compares it: host without "www.", path without trailing slash, query kept. */
export function urlKey(raw: string): string | null {
  const c = canonicalUrl(raw);
  if (!c) return null;
  const u = new URL(c);
  const host = u.hostname.replace(/^www\./, '');
  const path = u.pathname.replace(/\/+$/, '');
  return `${host}${path}${u.search}`;
}

function hostOf(key: string): string {
  const slash = key.search(/[/?]/);
  return slash < 0 ? key : key.slice(0, slash);
}

/** A URL's host as urlKey() spells it, read without parsing (a filter, never a decision). */
function roughHost(url: string): string {
  const m = /^https?:\/\/(?:www\.)?([^/?#:]+)/i.exec(url);
  return m ? m[1]!.toLowerCase() : '';
}

/** The post or thread ids a URL spells: the segment after a marker, and a last segment with a digit. */
export function idsInUrl(raw: string): string[] {
  const c = canonicalUrl(raw);
  if (!c) return [];
  const u = new URL(c);
  const segs = u.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s).toLowerCase());
  const out = new Set<string>();
  segs.forEach((s, i) => {
    if (i > 0 && POST_MARKERS.has(segs[i - 1]!)) out.add(s);
  });
  const last = segs[segs.length - 1];
  if (last && /\d/.test(last) && last.length >= 4) out.add(last);
  const v = u.searchParams.get('v');
  if (v) out.add(v.toLowerCase());
  return [...out];
}

/** What makes two declarations one account (stored UNIQUE: an account belongs to one brand). */
export function ownedIdentity(type: OwnedType, value: string, platform: string | null): string {
  switch (type) {
    case 'source':
      return `source:${spaced(value)}`;
    case 'handle':
      return `handle:${foldName(handleName(value))}\u0000${platform ? spaced(platform) : ''}`;
    case 'thread':
      return `thread:${value.trim().toLowerCase()}`;
    case 'url':
      return `url:${urlKey(value) ?? value.trim()}`;
  }
}

/** "caffeaurora" for "Caffè Aurora": what a source named "… @caffeaurora" was taken for. */
export function brandHandle(name: string): string {
  return foldName(name).replace(/[^\p{L}\p{N}]/gu, '');
}

/** Whether a source's name reads like the brand's own account ("Instagram @caffeaurora"). */
export function looksOwnedBy(sourceName: string, brandName: string): boolean {
  const h = brandHandle(brandName);
  return h.length >= 3 && foldName(sourceName).includes(`@${h}`);
}

/**
 * Sources named "… @handle" like a brand that nobody declared: offered in Perimetri, counted
 * as the brand's own only once someone adds them.
 */
export function ownedSuggestions(brands: readonly Brand[], sources: readonly { name: string; count: number }[], declared: readonly OwnedAccount[]): OwnedSuggestion[] {
  const taken = new Set(declared.map((d) => ownedIdentity(d.type, d.value, d.platform)));
  const out: OwnedSuggestion[] = [];
  for (const s of sources) {
    if (taken.has(ownedIdentity('source', s.name, null))) continue;
    const b = brands.find((x) => looksOwnedBy(s.name, x.name));
    if (b) out.push({ brandId: b.id, type: 'source', value: s.name, count: s.count });
  }
  return out;
}

interface Compiled {
  sources: Map<string, number>;
  /** Thread id → owners; host set when the id came from a URL (checked against the mention's site). */
  threads: Map<string, { brandId: number; host: string | null }[]>;
  urls: { key: string; brandId: number; prefix: boolean }[];
  /** Sites of the declared links: a mention elsewhere skips parsing its URL. */
  urlHosts: Set<string>;
  handles: { brandId: number; names: string[]; platform: RegExp | null }[];
  signature: string;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(list: readonly OwnedAccount[]): Compiled {
  const c: Compiled = { sources: new Map(), threads: new Map(), urls: [], urlHosts: new Set(), handles: [], signature: '' };
  const addThread = (id: string, brandId: number, host: string | null): void => {
    const l = c.threads.get(id) ?? [];
    l.push({ brandId, host });
    c.threads.set(id, l);
  };
  for (const a of list) {
    if (a.type === 'source') c.sources.set(spaced(a.value), a.brandId);
    else if (a.type === 'thread') addThread(a.value.trim().toLowerCase(), a.brandId, null);
    else if (a.type === 'url') {
      const key = urlKey(a.value);
      if (!key) continue;
      c.urls.push({ key, brandId: a.brandId, prefix: !key.includes('?') });
      c.urlHosts.add(hostOf(key));
      for (const id of idsInUrl(a.value)) addThread(id, a.brandId, hostOf(key));
    } else {
      const base = handleName(a.value);
      const names = [...new Set([base, `@${base}`, base.toLowerCase(), `@${base.toLowerCase()}`])];
      const p = a.platform ? spaced(a.platform) : null;
      c.handles.push({ brandId: a.brandId, names, platform: p ? new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRe(p)}($|[^\\p{L}\\p{N}])`, 'u') : null });
    }
  }
  c.signature = JSON.stringify(list.map((a) => [a.brandId, ownedIdentity(a.type, a.value, a.platform)]).sort());
  return c;
}

export class OwnedResolver {
  private compiled: Compiled | null = null;
  /** Per source name: the pseudonyms of the declared handles there → brand. */
  private authorMemo = new Map<string, Map<string, number>>();
  /**
   * source \0 thread → the brand whose handle wrote the root post; a miss (root not stored yet,
   * or not the brand's) holds only until the next post by a declared handle, which may be that root.
   */
  private rootCache = new Map<string, { brandId: number | null; gen: number }>();
  private handlePosts = 0;
  /** Folded source names: a handful of sources carry every mention. */
  private sourceKeys = new Map<string, string>();

  constructor(
    private readonly repo: OwnedRepo,
    private readonly secret: () => string,
  ) {}

  /** After an edit of the list. */
  invalidate(): void {
    this.compiled = null;
    this.sourceKeys.clear();
    this.authorMemo.clear();
    this.rootCache.clear();
  }

  private get c(): Compiled {
    if (!this.compiled) this.compiled = compile(this.repo.list());
    return this.compiled;
  }

  /** Changes whenever what the list says changes (moments rebuild on it). */
  signature(): string {
    return this.c.signature;
  }

  /** Whether any audience rule or key could match at all. */
  get empty(): boolean {
    const c = this.c;
    return c.sources.size === 0 && c.threads.size === 0 && c.urls.length === 0 && c.handles.length === 0;
  }

  /** The brand whose declared account, thread or post this mention is on (or was written by); null: none. */
  ownerOf(m: OwnedCandidate): number | null {
    const c = this.c;
    if (this.empty) return null;
    // The author first: a post by the brand's handle may be the root a stored thread waits for.
    const byAuthor = this.authorBrand(m.sourceName, m.authorKey);
    if (byAuthor !== null) this.handlePosts++;
    const bySource = c.sources.get(this.sourceKey(m.sourceName));
    if (bySource !== undefined) return bySource;
    const byThread = m.threadId ? this.threadOwner(m.sourceName, m.threadId, m.url) : null;
    if (byThread !== null) return byThread;
    if (m.url && c.urls.length > 0 && c.urlHosts.has(roughHost(m.url))) {
      const key = urlKey(m.url);
      if (key) for (const u of c.urls) if (key === u.key || (u.prefix && key.startsWith(`${u.key}/`))) return u.brandId;
    }
    return byAuthor;
  }

  /**
   * The brand whose own thread this is: in a declared source, a declared thread or post, or
   * opened by a declared handle. `url` (the mention's) only narrows URL-derived ids to their site.
   */
  threadOwner(sourceName: string, threadId: string, url: string | null = null): number | null {
    const c = this.c;
    const bySource = c.sources.get(this.sourceKey(sourceName));
    if (bySource !== undefined) return bySource;
    const hits = c.threads.get(threadId.toLowerCase());
    if (hits) {
      const host = url ? hostOf(urlKey(url) ?? '') : null;
      const hit = hits.find((h) => h.host === null || host === null || host === '' || h.host === host);
      if (hit) return hit.brandId;
    }
    if (c.handles.length === 0) return null;
    const k = `${sourceName}\u0000${threadId}`;
    const cached = this.rootCache.get(k);
    if (cached && (cached.brandId !== null || cached.gen === this.handlePosts)) return cached.brandId;
    const author = this.repo.rootAuthor(sourceName, threadId);
    const v = author ? this.authorBrand(sourceName, author) : null;
    if (this.rootCache.size >= ROOT_CACHE_MAX) this.rootCache.clear();
    this.rootCache.set(k, { brandId: v, gen: this.handlePosts });
    return v;
  }

  private sourceKey(name: string): string {
    let k = this.sourceKeys.get(name);
    if (k === undefined) {
      if (this.sourceKeys.size >= AUTHOR_MEMO_MAX) this.sourceKeys.clear();
      this.sourceKeys.set(name, (k = spaced(name)));
    }
    return k;
  }

  private authorBrand(sourceName: string, key: string | null): number | null {
    if (!key) return null;
    const c = this.c;
    if (c.handles.length === 0) return null;
    let memo = this.authorMemo.get(sourceName);
    if (!memo) {
      memo = new Map();
      const folded = spaced(sourceName);
      const secret = this.secret();
      for (const h of c.handles) {
        if (h.platform && !h.platform.test(folded)) continue;
        for (const n of h.names) {
          const k = authorKey(secret, sourceName, n);
          if (k && !memo.has(k)) memo.set(k, h.brandId);
        }
      }
      if (this.authorMemo.size >= AUTHOR_MEMO_MAX) this.authorMemo.clear();
      this.authorMemo.set(sourceName, memo);
    }
    return memo.get(key) ?? null;
  }
}
