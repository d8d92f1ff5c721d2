// Bytes of a feed → raw items in the inbound shape. Core normalizes them later (plain text,
// canonical URL, dedup); here we only keep what the feed says, with links made absolute.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { InboundMentionSchema, LIMITS, type InboundMention } from '../../../shared/schemas';
import { decodeFeed, mediaType } from './decode';
import { FeedError } from './errors';
import { parseJsonFeed } from './json-feed';
import { attr, child, parseXmlFeed, rootName, textOf, type XmlDoc, type XNode } from './xml';
import type { FeedFormat, ItemReject, ParsedFeed, ParseOptions } from './types';
import { renderText, zodIssueRef, type TextRef } from '../../../shared/errors';

/** Why an item does not validate: its field and the schema's reason, as a text of the catalogue. */
function itemIssue(issue: z.core.$ZodIssue | undefined): { reason: string; ref: TextRef } {
  if (!issue) return { reason: renderText('feed.itemInvalid', {}, 'it'), ref: { key: 'feed.itemInvalid', params: {} } };
  const why = zodIssueRef(issue);
  // zod's own wording (no code) is carried as it is: {reason:code} keeps a value that is not a code.
  const params = { ...why?.params, reason: why?.key ?? issue.message, ...(issue.path.length ? { path: issue.path.join('.') } : {}) };
  const key = issue.path.length ? 'feed.itemField' : 'feed.itemWhy';
  return { reason: renderText(key, params, 'it'), ref: { key, params } };
}

/** One item, format-neutral, before validation. */
interface Entry {
  id?: string;
  link?: string;
  title?: string;
  /** HTML (plain text is escaped before it gets here). */
  content?: string;
  date?: string;
  author?: string;
  lang?: string;
  /** Base for relative links inside this item. */
  base: string;
}

interface Doc {
  format: FeedFormat;
  title?: string;
  link?: string;
  description?: string;
  lang?: string;
  repaired: boolean;
  entries: Array<{ entry?: Entry; error?: string }>;
}

function clean(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

function resolveUrl(href: string | undefined, base: string | undefined): string | undefined {
  const h = clean(href);
  if (!h) return undefined;
  try {
    return new URL(h, base).href;
  } catch {
    return undefined;
  }
}

function httpUrl(href: string | undefined, base: string): string | undefined {
  const abs = resolveUrl(href, base);
  return abs && /^https?:\/\//i.test(abs) && abs.length <= LIMITS.urlMax ? abs : undefined;
}

/** "it-IT", "it_it", "IT" → "it". */
export function langCode(v: string | undefined): string | undefined {
  const m = /^\s*([a-z]{2})(?:[-_\s]|$)/i.exec(v ?? '');
  return m?.[1]?.toLowerCase();
}

const IT_MONTHS: Record<string, string> = {
  gen: 'Jan', feb: 'Feb', mar: 'Mar', apr: 'Apr', mag: 'May', giu: 'Jun',
  lug: 'Jul', ago: 'Aug', set: 'Sep', ott: 'Oct', nov: 'Nov', dic: 'Dec',
};

/** ISO string for a feed date (RFC 822, ISO 8601, or RFC 822 with Italian names), else undefined. */
export function toIsoDate(v: string | undefined): string | undefined {
  const s = clean(v);
  if (!s) return undefined;
  let t = Date.parse(s);
  if (Number.isNaN(t)) {
    // "Lun, 12 Gen 2024 10:00:00 +0100" from Italian CMSs.
    const en = s
      .replace(/^[A-Za-zÀ-ú]+\.?,\s*/, '')
      .replace(/\b([A-Za-z]{3})[a-z]*\b/g, (w, abbr: string) => IT_MONTHS[abbr.toLowerCase()] ?? w);
    t = Date.parse(en);
  }
  if (Number.isNaN(t)) return undefined;
  const d = new Date(t);
  // Years outside 0000–9999 don't survive toISOString round trips.
  if (d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999) return undefined;
  return d.toISOString();
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Makes href/src attributes absolute; values with a scheme (http:, mailto:, data:…) stay as they are. */
export function absolutizeHtml(html: string, base: string): string {
  if (!/\b(?:href|src)\s*=/i.test(html)) return html;
  return html.replace(
    /(\s(?:href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi,
    (m: string, pre: string, dq?: string, sq?: string, uq?: string) => {
      const value = (dq ?? sq ?? uq ?? '').trim();
      if (value === '' || /^[a-z][a-z0-9+.-]*:/i.test(value)) return m;
      const abs = resolveUrl(value.replace(/&amp;/g, '&'), base);
      if (!abs) return m;
      return `${pre}"${abs.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;
    },
  );
}

/** RSS <author> is "email (Name)" by the spec: people want the name. */
function authorName(v: string | undefined): string | undefined {
  const s = clean(v);
  if (!s) return undefined;
  const m = /^\S+@\S+\s*\((.+)\)$/.exec(s);
  return clean(m?.[1]) ?? s;
}

function looksLikeHtml(s: string): boolean {
  return /<[a-z][\w-]*(\s[^>]*)?\/?>|&[a-z]+;|&#\d+;/i.test(s);
}

function xmlBase(node: XNode | undefined, parent: string): string {
  return resolveUrl(attr(node, 'xml:base'), parent) ?? parent;
}

function fromXml(doc: XmlDoc, url: string): Doc {
  const { feed, root, channel } = doc;
  const rootBase = xmlBase(root, url);
  const channelBase = channel === root ? rootBase : xmlBase(channel, rootBase);
  const feedLang =
    langCode(textOf(feed.language)) ??
    langCode(textOf(channel['dc:language'])) ??
    langCode(attr(root, 'xml:lang')) ??
    langCode(attr(channel, 'xml:lang'));
  const isAtom = doc.format === 'atom';

  const entries = doc.entries.map(({ item, raw }) => {
    const base = xmlBase(raw, channelBase);
    const str = (k: string): string | undefined => clean(textOf(item[k]));
    const rawText = (k: string): string | undefined => clean(textOf(raw[k]));

    let content: string | undefined;
    if (isAtom) {
      const node = child(raw, 'content') ?? child(raw, 'summary');
      const value = typeof item.content === 'string' ? item.content : typeof item.summary === 'string' ? item.summary : textOf(node);
      const type = attr(node, 'type')?.toLowerCase();
      // Atom's default type is text; many feeds omit it and send HTML anyway.
      const plain = type === 'text' || type === 'text/plain' || (type === undefined && !looksLikeHtml(value ?? ''));
      content = value !== undefined && plain ? escapeHtml(value) : value;
    } else {
      content = str('content:encoded') ?? str('content') ?? str('summary') ?? rawText('description');
    }

    let link: string | undefined;
    let id: string | undefined;
    if (isAtom) {
      link = str('link');
      id = str('id') ?? rawText('id');
    } else {
      link = str('link') ?? rawText('link');
      id = str('guid') ?? rawText('guid') ?? clean(attr(raw, 'rdf:about'));
      if (!link) {
        // A permalink GUID is the item's address (RSS 2.0 spec).
        const guid = child(raw, 'guid');
        const permalink = attr(guid, 'isPermaLink')?.toLowerCase() !== 'false';
        if (permalink && id && /^https?:\/\//i.test(id)) link = id;
        else if (attr(raw, 'rdf:about')) link = attr(raw, 'rdf:about');
      }
    }

    const dateKeys = isAtom
      ? ['published', 'updated', 'issued', 'modified', 'created', 'dc:date']
      : ['pubDate', 'dc:date', 'date', 'dcterms:created', 'dcterms:modified', 'published', 'updated'];
    let date: string | undefined;
    for (const k of dateKeys) {
      date = toIsoDate(rawText(k));
      if (date) break;
    }

    const authorNode = child(raw, 'author');
    const atomAuthor = clean(textOf(authorNode?.name) ?? textOf(authorNode));
    const author = isAtom
      ? (atomAuthor ?? str('author') ?? str('creator') ?? rawText('dc:creator'))
      : authorName(str('creator') ?? rawText('dc:creator') ?? rawText('author'));

    const entry: Entry = { base };
    const title = str('title') ?? rawText('title') ?? rawText('dc:title');
    if (id) entry.id = id;
    if (link) entry.link = link;
    if (title) entry.title = title;
    if (content) entry.content = content;
    if (date) entry.date = date;
    if (author) entry.author = author;
    const lang = langCode(rawText('dc:language')) ?? langCode(attr(raw, 'xml:lang')) ?? feedLang;
    if (lang) entry.lang = lang;
    return { entry };
  });

  const feedTitle = clean(textOf(feed.title));
  const feedLink = typeof feed.link === 'string' ? resolveUrl(feed.link, rootBase) : undefined;
  const description = clean(textOf(feed.description)) ?? clean(textOf(channel.subtitle)) ?? clean(textOf(channel.tagline));
  return {
    format: doc.format,
    repaired: doc.repaired,
    entries,
    ...(feedTitle ? { title: feedTitle } : {}),
    ...(feedLink ? { link: feedLink } : {}),
    ...(description ? { description } : {}),
    ...(feedLang ? { lang: feedLang } : {}),
  };
}

function hashId(title: string | undefined, text: string): string {
  return 'sha256:' + createHash('sha256').update(`${title ?? ''}\n${text}`).digest('hex').slice(0, 40);
}

/** Cuts HTML at `max` characters without leaving half a tag at the end. */
function truncateHtml(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max);
  const lt = cut.lastIndexOf('<');
  if (lt > cut.lastIndexOf('>')) cut = cut.slice(0, lt);
  return cut;
}

function toMention(entry: Entry, source: string): InboundMention {
  const text = entry.content ? truncateHtml(absolutizeHtml(entry.content, entry.base), LIMITS.textMax) : '';
  const url = httpUrl(entry.link, entry.base);
  const title = entry.title?.slice(0, LIMITS.titleMax);
  const byContent = entry.id ?? url;
  const external_id =
    byContent && byContent.length <= LIMITS.externalIdMax
      ? byContent
      : byContent
        ? hashId(byContent, '')
        : hashId(title, text);
  return {
    source,
    external_id,
    text,
    ...(url ? { url } : {}),
    ...(title ? { title } : {}),
    ...(entry.author ? { author: entry.author.slice(0, LIMITS.authorMax) } : {}),
    ...(entry.date ? { published_at: entry.date } : {}),
    ...(entry.lang ? { lang: entry.lang } : {}),
  };
}

function detect(text: string, contentType: string | undefined): 'json' | 'html' | 'xml' | 'nothing' {
  const type = mediaType(contentType);
  const head = text.slice(0, 4096).replace(/^\s+/, '');
  if (head.startsWith('{') || head.startsWith('[') || (type.includes('json') && !head.startsWith('<'))) return 'json';
  // By the root element, not the DOCTYPE nor the Content-Type: feeds with an XHTML doctype
  // and feeds served as text/html both exist.
  const root = rootName(text);
  if (root?.toLowerCase() === 'html') return 'html';
  if (root === undefined && !/<[A-Za-z_]/.test(text.replace(/<!--[\s\S]*?-->/g, ''))) return 'nothing';
  return 'xml';
}

function sourceName(opts: ParseOptions, doc: Doc): string {
  const given = clean(opts.source) ?? clean(doc.title);
  let name = given;
  if (!name) {
    try {
      name = new URL(opts.url).hostname;
    } catch {
      name = 'feed';
    }
  }
  return name.slice(0, LIMITS.sourceNameMax);
}

/**
 * Parses a feed body of any supported format into raw items. Throws FeedError for a
 * document that cannot be read (empty, bad_xml, dtd_refused, bad_json_feed, not_a_feed);
 * items that fail validation are left out and listed in `rejected`.
 */
export async function parseFeed(bytes: Uint8Array, opts: ParseOptions): Promise<ParsedFeed> {
  const url = opts.url;
  if (bytes.length === 0) throw new FeedError('feed.empty', {}, { url });
  const decoded = decodeFeed(bytes, opts.contentType);
  const text = decoded.text;
  if (text.trim() === '') throw new FeedError('feed.empty', {}, { url });

  let doc: Doc;
  const kind = detect(text, opts.contentType);
  if (kind === 'nothing') {
    throw new FeedError('feed.emptyXml', {}, { url });
  } else if (kind === 'html') {
    throw new FeedError('feed.webPage', {}, { url });
  } else if (kind === 'json') {
    const j = parseJsonFeed(text, url);
    const base = url;
    doc = {
      format: 'json',
      repaired: false,
      ...(j.title ? { title: j.title } : {}),
      ...(j.link ? { link: j.link } : {}),
      ...(j.description ? { description: j.description } : {}),
      ...(langCode(j.lang) ? { lang: langCode(j.lang) } : {}),
      entries: j.entries.map(({ entry, error }) => {
        if (!entry) return { error: error ?? renderText('feed.itemInvalid', {}, 'it') };
        const e: Entry = { base };
        const lang = langCode(entry.lang) ?? langCode(j.lang);
        if (entry.id) e.id = entry.id;
        if (entry.link) e.link = entry.link;
        if (clean(entry.title)) e.title = clean(entry.title);
        if (entry.content) e.content = entry.content;
        const date = toIsoDate(entry.date);
        if (date) e.date = date;
        if (clean(entry.author)) e.author = clean(entry.author);
        if (lang) e.lang = lang;
        return { entry: e };
      }),
    };
  } else {
    doc = fromXml(await parseXmlFeed(text, url), url);
  }

  const source = sourceName(opts, doc);
  const items: InboundMention[] = [];
  const rejected: ItemReject[] = [];
  doc.entries.forEach(({ entry, error }, index) => {
    if (!entry) {
      rejected.push({ index, reason: error ?? renderText('feed.itemInvalid', {}, 'it') });
      return;
    }
    const candidate = toMention(entry, source);
    const r = InboundMentionSchema.safeParse(candidate);
    if (r.success) items.push(r.data);
    else {
      const hint = entry.title ?? entry.link;
      rejected.push({ index, ...itemIssue(r.error.issues[0]), ...(hint ? { hint: hint.slice(0, 200) } : {}) });
    }
  });

  return {
    format: doc.format,
    ...(doc.title ? { title: doc.title } : {}),
    ...(doc.link ? { link: doc.link } : {}),
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.lang ? { lang: doc.lang } : {}),
    encoding: decoded.encoding,
    encodingSource: decoded.source,
    repaired: doc.repaired,
    itemCount: doc.entries.length,
    items,
    rejected,
  };
}
