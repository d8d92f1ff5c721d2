// A mention as tracking sees it (TrackItem), from the two places mentions come from: a batch
// just inserted by ingest, and a stored row read back by a rebuild or a correction.
import type { MentionTheme } from '../../shared/perimeters';
import type { MentionInsert } from '../store/mentions-repo';
import type { TrackedRow } from '../store/moments-repo';
import type { TrackItem } from './detector';

/** Who wrote a mention, for counting people: its pseudonymous author, or the mention itself when a feed gives none. */
export function authorOf(it: Pick<TrackItem, 'authorKey' | 'id'>): string {
  return it.authorKey ?? `#${it.id}`;
}

export function insertToItem(id: number, row: MentionInsert, themes: Map<number, MentionTheme[]>): TrackItem {
  return {
    id,
    publishedAt: row.publishedAt,
    title: row.title,
    text: row.text,
    sourceId: row.sourceId,
    sourceName: row.sourceName,
    threadId: row.threadId,
    url: row.canonicalUrl,
    authorKey: row.authorKey,
    score: row.sentimentScore,
    label: row.sentimentLabel,
    themeIds: (themes.get(id) ?? []).map((t) => t.themeId),
  };
}

export function rowToItem(r: TrackedRow): TrackItem {
  return {
    id: r.id,
    publishedAt: r.published_at,
    title: r.title,
    text: r.text,
    sourceId: r.source_id,
    sourceName: r.source_name,
    threadId: r.thread_id,
    url: r.canonical_url,
    authorKey: r.author_key,
    score: r.sentiment_score,
    label: r.sentiment_label,
    themeIds: r.theme_ids ? r.theme_ids.split(',').map(Number) : [],
  };
}
