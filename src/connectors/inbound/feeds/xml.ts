// XML feeds (RSS 0.9x/2.0, RSS 1.0/RDF, Atom) through rss-parser's parseString.
// We also keep the xml2js tree rss-parser builds from, because rss-parser drops what we
// need (xml:base, xml:lang, raw dates) and crashes on a few real-world shapes (an Atom
// <link> without attributes, an invalid Atom date, an <rss> without <channel>): the tree is
// repaired before rss-parser maps it, and each item is mapped in isolation.
import Parser from 'rss-parser';
import { FeedError, xmlSyntaxError } from './errors';
import { HTML_ENTITIES } from './html-entities';
import type { FeedFormat } from './types';

export type XNode = { [k: string]: unknown; $?: Record<string, unknown>; _?: unknown };

export interface XmlEntry {
  /** What rss-parser made of the item; empty when its mapping failed. */
  item: Record<string, unknown>;
  /** The item's own xml2js element. */
  raw: XNode;
}

export interface XmlDoc {
  format: Exclude<FeedFormat, 'json'>;
  feed: Record<string, unknown>;
  /** Root element (feed, rss, rdf:RDF) and channel, for attributes like xml:base. */
  root: XNode;
  channel: XNode;
  entries: XmlEntry[];
  repaired: boolean;
}

/**
 * Entity declarations are how XML bombs and XXE work. No feed needs them, so a document
 * that declares any is refused before a parser sees it: nothing is expanded, no file or URL
 * is read. A DOCTYPE without entities (RSS 0.91's) is harmless: sax never fetches DTDs.
 */
export function assertNoEntityDeclarations(xml: string, url?: string): void {
  const doctype = xml.search(/<!DOCTYPE/i);
  if (doctype < 0) return;
  if (/<!ENTITY/i.test(xml.slice(doctype))) {
    throw new FeedError('feed.dtd', {}, url ? { url } : {});
  }
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * What lenient readers do to save an ill-formed feed: stray `&` and unknown entity names
 * become literal text (sax already knows HTML's named entities; the table covers the
 * same names should that default ever change). Nothing declared in a DTD is ever expanded.
 * CDATA sections and comments are left alone. Line numbers do not move.
 */
export function repairXml(xml: string): string {
  return xml.replace(
    /(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)|&(#x[0-9a-fA-F]+;|#[0-9]+;|[A-Za-z][A-Za-z0-9]*;)?/g,
    (m: string, keep: string | undefined, ref: string | undefined) => {
      if (keep) return keep;
      if (ref === undefined) return '&amp;';
      if (ref.startsWith('#')) return m;
      const name = ref.slice(0, -1);
      if (XML_ENTITIES.has(name)) return m;
      return Object.hasOwn(HTML_ENTITIES, name) ? `&#${HTML_ENTITIES[name]};` : `&amp;${ref}`;
    },
  );
}

function isObj(v: unknown): v is XNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** First child element `name` of `node` as an object ({} for an empty element). */
export function child(node: XNode | undefined, name: string): XNode | undefined {
  const v = node?.[name];
  const first = Array.isArray(v) ? v[0] : undefined;
  if (first === undefined) return undefined;
  return isObj(first) ? first : { _: first };
}

/** Text of a value as xml2js gives it: string, {_: string}, or an array of those. */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return textOf(v[0]);
  if (isObj(v) && typeof v._ === 'string') return v._;
  return undefined;
}

export function attr(node: XNode | undefined, name: string): string | undefined {
  const v = node?.$?.[name];
  return typeof v === 'string' ? v : undefined;
}

function asElementList(v: unknown): XNode[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((e) => (isObj(e) ? e : typeof e === 'string' && e.trim() ? { _: e } : {}));
}

function validDate(v: unknown): boolean {
  const s = textOf(v);
  return s !== undefined && s.trim() !== '' && !Number.isNaN(new Date(s.trim()).getTime());
}

/** Fixes the shapes that make rss-parser throw, in place. */
function sanitize(tree: XNode): void {
  const fixLinks = (node: XNode): void => {
    if (!Array.isArray(node.link)) return;
    node.link = node.link.map((l: unknown) => {
      if (typeof l === 'string') return { $: { href: l.trim() }, _: l };
      if (isObj(l) && !isObj(l.$)) return { ...l, $: { href: typeof l._ === 'string' ? l._.trim() : '' } };
      return l;
    });
  };
  if ('feed' in tree) {
    if (!isObj(tree.feed)) tree.feed = {};
    const feed = tree.feed as XNode;
    fixLinks(feed);
    const entries = asElementList(feed.entry);
    if (entries) {
      for (const e of entries) {
        fixLinks(e);
        for (const k of ['published', 'updated']) if (k in e && !validDate(e[k])) delete e[k];
        if (Array.isArray(e.author) && !isObj(e.author[0])) e.author = [{ name: [textOf(e.author) ?? ''] }];
      }
      feed.entry = entries;
    }
    return;
  }
  if ('rss' in tree) {
    if (!isObj(tree.rss)) tree.rss = {};
    const rss = tree.rss as XNode;
    let channels = asElementList(rss.channel);
    // RSS 0.9x documents in the wild sometimes put <item> directly under <rss>.
    if (!channels || channels.length === 0) channels = [{}];
    const ch = channels[0]!;
    if (!ch.item && rss.item) ch.item = rss.item;
    const items = asElementList(ch.item);
    if (items) ch.item = items;
    rss.channel = channels;
    return;
  }
  if ('rdf:RDF' in tree) {
    if (!isObj(tree['rdf:RDF'])) tree['rdf:RDF'] = {};
    const rdf = tree['rdf:RDF'] as XNode;
    const channels = asElementList(rdf.channel);
    rdf.channel = channels && channels.length > 0 ? channels : [{}];
    const items = asElementList(rdf.item);
    if (items) rdf.item = items;
  }
}

interface Xml2jsLike {
  parseString(xml: string, cb: (err: unknown, result: unknown) => void): void;
}

async function runRssParser(xml: string): Promise<{ feed: Record<string, unknown>; tree: XNode }> {
  // A new parser per document: xml2js parsers keep state between parseString calls.
  const parser = new Parser({ defaultRSS: 2, xml2js: { strict: true, async: false } });
  const internals = parser as unknown as { xmlParser: Xml2jsLike } & Record<string, unknown>;
  const inner = internals.xmlParser;
  const original = inner.parseString.bind(inner);
  let tree: XNode | undefined;
  inner.parseString = (x, cb) =>
    original(x, (err, result) => {
      if (!err && isObj(result)) {
        sanitize(result);
        tree = result;
      }
      cb(err, result);
    });
  // One bad item must not sink the whole feed: map items in isolation.
  for (const name of ['parseItemAtom', 'parseItemRss']) {
    const fn = internals[name];
    if (typeof fn !== 'function') continue;
    internals[name] = function (this: unknown, ...args: unknown[]) {
      try {
        return (fn as (...a: unknown[]) => unknown).apply(this, args);
      } catch {
        return {};
      }
    };
  }
  const feed = (await parser.parseString(xml)) as unknown as Record<string, unknown>;
  if (!tree) throw new Error('Unable to parse XML.');
  return { feed, tree };
}

function classify(tree: XNode): { format: XmlDoc['format']; root: XNode; channel: XNode; rawItems: XNode[] } {
  if (isObj(tree.feed)) {
    const root = tree.feed;
    return { format: 'atom', root, channel: root, rawItems: asElementList(root.entry) ?? [] };
  }
  if (isObj(tree.rss)) {
    const root = tree.rss;
    const version = attr(root, 'version') ?? '';
    const channel = child(root, 'channel') ?? {};
    return {
      format: /^0\.9/.test(version) ? 'rss09' : 'rss2',
      root,
      channel,
      rawItems: asElementList(channel.item) ?? [],
    };
  }
  const root = tree['rdf:RDF'] as XNode;
  return { format: 'rss1', root, channel: child(root, 'channel') ?? {}, rawItems: asElementList(root.item) ?? [] };
}

export function rootName(xml: string): string | undefined {
  // Skip the prolog, comments, PIs and DOCTYPE to name the first element.
  const m = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>)*<([A-Za-z_][\w:.-]*)/i.exec(xml);
  return m?.[1];
}

async function parseOnce(xml: string, url: string | undefined): Promise<XmlDoc> {
  let result: { feed: Record<string, unknown>; tree: XNode };
  try {
    result = await runRssParser(xml);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/Line:\s*\d+/.test(msg) || /Unable to parse XML/i.test(msg)) throw xmlSyntaxError(e, url);
    const name = rootName(xml);
    throw new FeedError(name ? 'feed.notFeedRoot' : 'feed.notFeed', name ? { root: name } : {}, { cause: e, ...(url ? { url } : {}) });
  }
  const { format, root, channel, rawItems } = classify(result.tree);
  const items = Array.isArray(result.feed.items) ? (result.feed.items as unknown[]) : [];
  return {
    format,
    feed: result.feed,
    root,
    channel,
    entries: rawItems.map((raw, i) => {
      const it = items[i];
      return { raw, item: isObj(it) ? (it as Record<string, unknown>) : {} };
    }),
    repaired: false,
  };
}

/** Parses an XML feed. Throws FeedError (dtd_refused, bad_xml, not_a_feed). */
export async function parseXmlFeed(xml: string, url?: string): Promise<XmlDoc> {
  assertNoEntityDeclarations(xml, url);
  try {
    return await parseOnce(xml, url);
  } catch (first) {
    if (!(first instanceof FeedError) || first.kind !== 'bad_xml') throw first;
    const repaired = repairXml(xml);
    if (repaired === xml) throw first;
    try {
      return { ...(await parseOnce(repaired, url)), repaired: true };
    } catch {
      // The original error points at the user's document as it is.
      throw first;
    }
  }
}
