// InboundMention (validated, untrusted content) → the row the store keeps.
import { hash } from 'node:crypto';
import type { InboundMention } from '../../shared/schemas';
import { detectLanguage } from '../analysis';
import { singleSpaced, toPlainText } from './text';
import { canonicalUrl } from './url';
import { safeHref } from '../../shared/links';

/** A mention ready to store, before it has a source id. */
export interface NormalizedMention {
  sourceName: string;
  externalId: string | null;
  url: string | null;
  canonicalUrl: string | null;
  dedupKey: string;
  contentHash: string;
  authorKey: string | null;
  authorName: string | null;
  title: string | null;
  text: string;
  lang: string;
  publishedAt: number;
  fetchedAt: number;
  threadId: string | null;
  parentId: string | null;
  likes: number;
  comments: number;
  shares: number;
  score: number;
}

export interface NormalizeContext {
  /** Workspace secret: author pseudonyms are stable inside a workspace, unlinkable outside it. */
  secret: string;
  /** Optional memo of pseudonyms: the same authors post again and again. */
  authorKeys?: AuthorKeyCache;
  now: number;
  /** Privacy setting: keep the raw author name beside its pseudonym. Off by default. */
  keepAuthorNames?: boolean;
}

// One-shot hash: a third of createHash()'s cost for these short inputs, same hex digest.
const sha256 = (s: string): string => hash('sha256', s, 'hex');

/**
 * HMAC-SHA256 under one key, as RFC 2104 defines it, in two one-shot hashes over the key's
 * padded blocks made once: createHmac() builds an object and sets the key up again for every
 * author (a new author is most mentions of a wide stream: the memo below misses), about a
 * third slower. Same digest as createHmac (the unit tests compare them).
 */
export class HmacSha256 {
  /** The key xor ipad, then room for a message. */
  private inner: Buffer;
  /** The key xor opad, then the inner digest. */
  private readonly outer = Buffer.alloc(64 + 32);

  constructor(secret: string) {
    // A key longer than SHA-256's 64-byte block is hashed first, as createHmac does.
    let key = Buffer.from(secret, 'utf8');
    if (key.length > 64) key = hash('sha256', key, 'buffer');
    this.inner = Buffer.alloc(64 + 256);
    for (let i = 0; i < 64; i++) {
      const k = key[i] ?? 0;
      this.inner[i] = k ^ 0x36;
      this.outer[i] = k ^ 0x5c;
    }
  }

  /** The HMAC of the UTF-8 bytes of `message` (as Hmac.update(string) encodes it), in hex. */
  hex(message: string): string {
    // At most 3 bytes per UTF-16 unit (a lone surrogate becomes U+FFFD, 3 bytes).
    const room = 64 + message.length * 3;
    if (room > this.inner.length) {
      const inner = Buffer.alloc(room);
      this.inner.copy(inner, 0, 0, 64);
      this.inner = inner;
    }
    const n = this.inner.write(message, 64, 'utf8');
    hash('sha256', this.inner.subarray(0, 64 + n), 'buffer').copy(this.outer, 64);
    return hash('sha256', this.outer, 'hex');
  }
}

let lastSecret: string | null = null;
let lastHmac: HmacSha256 | null = null;

/** The keyed hash of a secret, kept for the next call (a workspace has one secret). */
function hmacFor(secret: string): HmacSha256 {
  if (lastHmac === null || lastSecret !== secret) {
    lastHmac = new HmacSha256(secret);
    lastSecret = secret;
  }
  return lastHmac;
}

/** Pseudonym of an author within a source: first 16 hex chars of an HMAC keyed by the workspace. */
export function authorKey(secret: string, source: string, author: string | undefined | null): string | null {
  return pseudonym(hmacFor(secret), source, author);
}

function pseudonym(hmac: HmacSha256, source: string, author: string | undefined | null): string | null {
  const a = author?.trim();
  if (!a) return null;
  return hmac.hex(`${source}\u0000${a}`).slice(0, 16);
}

/** Dedup key of an item known by its source's own id (also how a thread finds its root). */
export function externalIdKey(externalId: string): string {
  return sha256(`id\u0000${externalId}`);
}

/** A bounded memo of authorKey() for one secret. */
export class AuthorKeyCache {
  private readonly map = new Map<string, string>();
  /** The secret's own keyed hash: a stream's many new authors miss the memo. */
  private readonly hmac: HmacSha256;
  constructor(
    secret: string,
    private readonly max = 20_000,
  ) {
    this.hmac = new HmacSha256(secret);
  }

  get(source: string, author: string | null): string | null {
    if (!author) return null;
    const k = `${source}\u0000${author}`;
    let v = this.map.get(k);
    if (v === undefined) {
      v = pseudonym(this.hmac, source, author) ?? '';
      // Wholesale reset keeps it simple and bounded; the hot authors come right back.
      if (this.map.size >= this.max) this.map.clear();
      this.map.set(k, v);
    }
    return v || null;
  }
}

/**
 * Identity of the item, never of its words: the source's own id, else its canonical URL,
 * else who said it when with what text. A hundred authors posting "Vergogna!" stay a hundred.
 */
export function dedupKey(parts: {
  externalId: string | null;
  canonicalUrl: string | null;
  author: string | null;
  publishedAt: number;
  text: string;
}): string {
  if (parts.externalId) return externalIdKey(parts.externalId);
  if (parts.canonicalUrl) return sha256(`url\u0000${parts.canonicalUrl}`);
  return sha256(`item\u0000${parts.author ?? ''}\u0000${parts.publishedAt}\u0000${parts.text}`);
}

/** Hash of the words alone, for finding the same text across sources later. */
export function contentHash(text: string): string {
  return sha256(singleSpaced(text.toLowerCase()).trim());
}

const orNull = (s: string | undefined): string | null => {
  const t = s?.trim();
  return t ? t : null;
};

export function normalizeMention(item: InboundMention, ctx: NormalizeContext): NormalizedMention {
  const source = item.source.trim();
  const text = toPlainText(item.text);
  const titleText = item.title !== undefined ? toPlainText(item.title) : '';
  const title = titleText ? titleText : null;
  const externalId = orNull(item.external_id);
  const canonical = canonicalUrl(item.url);
  const author = orNull(item.author);
  const parsed = item.published_at !== undefined ? Date.parse(item.published_at) : Number.NaN;
  const publishedAt = Number.isFinite(parsed) ? parsed : ctx.now;
  // What is scored and hashed: the title and text together, made once.
  const whole = title ? `${title}\n${text}` : text;
  const lang = item.lang ?? detectLanguage(whole);
  return {
    sourceName: source,
    externalId,
    // A javascript:/data:/file: link is dropped, the mention kept; credentials never stored.
    url: safeHref(item.url),
    canonicalUrl: canonical,
    dedupKey: dedupKey({ externalId, canonicalUrl: canonical, author, publishedAt, text: whole }),
    contentHash: contentHash(whole),
    authorKey: ctx.authorKeys ? ctx.authorKeys.get(source, author) : authorKey(ctx.secret, source, author),
    authorName: ctx.keepAuthorNames ? author : null,
    title,
    text,
    lang,
    publishedAt,
    fetchedAt: ctx.now,
    threadId: orNull(item.thread_id),
    parentId: orNull(item.parent_id),
    likes: item.likes ?? 0,
    comments: item.comments ?? 0,
    shares: item.shares ?? 0,
    score: item.score ?? 0,
  };
}
