// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), parsed without rss-parser.
// The top level is validated strictly enough to be sure it is a JSON Feed; items one by one,
// so one broken item does not hide the others.
import { z } from 'zod';
import { FeedError } from './errors';
import { renderText } from '../../../shared/errors';

const AuthorSchema = z
  .object({ name: z.string().optional(), url: z.string().optional() })
  .passthrough();

const TopSchema = z
  .object({
    version: z.string().regex(/^https?:\/\/jsonfeed\.org\/version\/1(\.1)?\/?$/, 'versione JSON Feed sconosciuta'),
    title: z.string().optional(),
    home_page_url: z.string().optional(),
    feed_url: z.string().optional(),
    description: z.string().optional(),
    language: z.string().optional(),
    author: AuthorSchema.optional(),
    authors: z.array(AuthorSchema).optional(),
    items: z.array(z.unknown()),
  })
  .passthrough();

export const JsonFeedItemSchema = z
  .object({
    // The spec says string; numbers are common in the wild and just as unique.
    id: z.union([z.string(), z.number().transform((n) => String(n))]).optional(),
    url: z.string().optional(),
    external_url: z.string().optional(),
    title: z.string().optional(),
    content_html: z.string().optional(),
    content_text: z.string().optional(),
    summary: z.string().optional(),
    date_published: z.string().optional(),
    date_modified: z.string().optional(),
    author: AuthorSchema.optional(),
    authors: z.array(AuthorSchema).optional(),
    language: z.string().optional(),
  })
  .passthrough();

export interface JsonFeedEntry {
  id?: string;
  link?: string;
  title?: string;
  content?: string;
  date?: string;
  author?: string;
  lang?: string;
}

export interface JsonFeedDoc {
  title?: string;
  link?: string;
  description?: string;
  lang?: string;
  author?: string;
  /** One per item of the document; `error` set for items that do not match the spec. */
  entries: Array<{ entry?: JsonFeedEntry; error?: string }>;
}

function firstAuthor(a: { author?: { name?: string }; authors?: Array<{ name?: string }> }): string | undefined {
  return a.authors?.find((x) => x.name)?.name ?? a.author?.name;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function parseJsonFeed(text: string, url?: string): JsonFeedDoc {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new FeedError('feed.jsonMalformed', { reason: msg }, {
      cause: e,
      ...(url ? { url } : {}),
    });
  }
  const top = TopSchema.safeParse(json);
  if (!top.success) {
    const issue = top.error.issues[0];
    const reason = issue?.message ?? 'feed.jsonUnknown';
    throw new FeedError(issue?.path.length ? 'feed.jsonInvalidAt' : 'feed.jsonInvalid', issue?.path.length ? { path: issue.path.join('.'), reason } : { reason }, {
      ...(url ? { url } : {}),
    });
  }
  const feed = top.data;
  const feedAuthor = firstAuthor(feed);
  return {
    ...(feed.title !== undefined ? { title: feed.title } : {}),
    ...(feed.home_page_url !== undefined ? { link: feed.home_page_url } : {}),
    ...(feed.description !== undefined ? { description: feed.description } : {}),
    ...(feed.language !== undefined ? { lang: feed.language } : {}),
    ...(feedAuthor !== undefined ? { author: feedAuthor } : {}),
    entries: feed.items.map((raw) => {
      const r = JsonFeedItemSchema.safeParse(raw);
      if (!r.success) {
        const issue = r.error.issues[0];
        return { error: renderText('feed.jsonItemInvalid', { where: issue?.path.length ? ` (${issue.path.join('.')})` : '', reason: issue?.message ?? '' }, 'it') };
      }
      const it = r.data;
      const author = firstAuthor(it) ?? feedAuthor;
      const link = it.url ?? it.external_url;
      // content_text and summary are plain text; core reads `text` as HTML, so escape them.
      const plain = it.content_text ?? it.summary;
      const content = it.content_html ?? (plain !== undefined ? escapeHtml(plain) : undefined);
      const date = it.date_published ?? it.date_modified;
      const entry: JsonFeedEntry = {
        ...(it.id !== undefined ? { id: it.id } : {}),
        ...(link !== undefined ? { link } : {}),
        ...(it.title !== undefined ? { title: it.title } : {}),
        ...(content !== undefined ? { content } : {}),
        ...(date !== undefined ? { date } : {}),
        ...(author !== undefined ? { author } : {}),
        ...(it.language !== undefined ? { lang: it.language } : {}),
      };
      return { entry };
    }),
  };
}
