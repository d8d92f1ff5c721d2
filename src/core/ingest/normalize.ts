// InboundMention (validated, untrusted content) → the row the store keeps.
import { createHmac, hash } from 'node:crypto';
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

/** Pseudonym of an author within a source: first 16 hex chars of an HMAC keyed by the workspace. */
export function authorKey(secret: string, source: string, author: string | undefined | null): string | null {
  const a = author?.trim();
  if (!a) return null;
  return createHmac('sha256', secret).update(`${source}\u0000${a}`).digest('hex').slice(0, 16);
}

/** Dedup key of an item known by its source's own id (also how a thread finds its root). */
export function externalIdKey(externalId: string): string {
  return sha256(`id\u0000${externalId}`);
}

/** A bounded memo of authorKey() for one secret. */
export class AuthorKeyCache {
  private readonly map = new Map<string, string>();
  constructor(
    private readonly secret: string,
    private readonly max = 20_000,
  ) {}

  get(source: string, author: string | null): string | null {
    if (!author) return null;
    const k = `${source}\u0000${author}`;
    let v = this.map.get(k);
    if (v === undefined) {
      v = authorKey(this.secret, source, author) ?? '';
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
  const lang = item.lang ?? detectLanguage(title ? `${title}\n${text}` : text);
  return {
    sourceName: source,
    externalId,
    // A javascript:/data:/file: link is dropped, the mention kept; credentials never stored.
    url: safeHref(item.url),
    canonicalUrl: canonical,
    dedupKey: dedupKey({ externalId, canonicalUrl: canonical, author, publishedAt, text: title ? `${title}\n${text}` : text }),
    contentHash: contentHash(title ? `${title}\n${text}` : text),
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
