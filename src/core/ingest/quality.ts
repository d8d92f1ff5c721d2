// Quality of what is stored, decided inside the ingest transaction:
//
// Cross-source dedup. The same item reaching us through two sources (a news site's RSS and
// a Google Alerts feed; a Reddit thread through the API and through its RSS) is stored
// once: the later copy is SKIPPED and counted as a duplicate. Storing it "linked" would
// double every count downstream (inbox, moments, metrics) for no new information. The
// identity rules are narrow on purpose, so different people are never merged:
//   - same canonical URL in another source — unless the URL is a site's home page, which
//     careless feeds give to every item;
//   - or same content hash of a LONG text that carries a link, published within minutes,
//     when exactly one such copy exists so far (syndication makes one copy, a campaign
//     many), and the item reads as an article — it has a title, or no author. A titled
//     article is what two feeds syndicate; an authored post without a title is a person's
//     post, and its copies in other places are other people (a campaign: kept, flagged) or
//     the same person cross-posting to another audience, with its own engagement.
// Short common words ("Vergogna!") never match by content: that is a pile-on.
//
// Bot/spam flags (never deletion):
//   - copy_campaign: the same substantial text (≥ minChars, or with a link) from at least
//     minAuthors distinct authors within windowSec. A short reaction is never substantial.
//   - fast_author: one author posting at least minPosts items within windowSec.
import { FLAG_RULES, type MentionFlag } from '../../shared/mention-flags';
import type { MentionQualityRepo, NearRow } from '../store/mention-quality-repo';
import type { NormalizedMention } from './normalize';
import { singleSpaced } from './text';

const SYNDICATION_WINDOW_MS = 10 * 60_000;
const SYNDICATION_MIN_CHARS = 100;
const URL_IN_TEXT = /\bhttps?:\/\/\S+|\bwww\.\S+\.\S+/i;

function wordsOf(row: Pick<NormalizedMention, 'title' | 'text'>): string {
  return row.title ? `${row.title}\n${row.text}` : row.text;
}

/** Enough text (or a link) that many authors writing it identically is not chance. */
export function isSubstantial(text: string): boolean {
  const t = singleSpaced(text).trim();
  return t.length >= FLAG_RULES.copyCampaign.minChars || URL_IN_TEXT.test(t);
}

function isHomePage(canonicalUrl: string): boolean {
  try {
    const u = new URL(canonicalUrl);
    return (u.pathname === '/' || u.pathname === '') && u.search === '';
  } catch {
    return true;
  }
}

/** The reason this row is the same item as one already stored from another source, or null. */
export function crossSourceDuplicate(repo: MentionQualityRepo, row: NormalizedMention, sourceId: number): number | null {
  if (row.canonicalUrl && !isHomePage(row.canonicalUrl)) {
    const hit = repo.otherSourceWithUrl(row.canonicalUrl, sourceId);
    if (hit !== null) return hit;
  }
  const words = wordsOf(row);
  const articleLike = row.title !== null || row.authorKey === null;
  if (articleLike && words.length >= SYNDICATION_MIN_CHARS && URL_IN_TEXT.test(words)) {
    const near = repo.sameTextNear(row.contentHash, row.publishedAt - SYNDICATION_WINDOW_MS, row.publishedAt + SYNDICATION_WINDOW_MS);
    const only = near.length === 1 ? near[0] : undefined;
    if (only && only.source_id !== sourceId) return only.id;
  }
  return null;
}

/** Rows of one sliding window (sorted by time) that satisfy `enough`, all of them. */
function clusters(rows: NearRow[], windowMs: number, key: (r: NearRow) => string | null, enough: (distinct: number, total: number) => boolean): Map<number, number> {
  const hit = new Map<number, number>(); // id → size of the largest qualifying window it was in
  const counts = new Map<string, number>();
  let start = 0;
  for (let end = 0; end < rows.length; end++) {
    const r = rows[end]!;
    const k = key(r);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
    while (r.published_at - rows[start]!.published_at > windowMs) {
      const k0 = key(rows[start]!);
      if (k0 !== null) {
        const c = (counts.get(k0) ?? 1) - 1;
        if (c <= 0) counts.delete(k0);
        else counts.set(k0, c);
      }
      start++;
    }
    const total = end - start + 1;
    if (enough(counts.size, total)) {
      const n = key === authorOf ? counts.size : total;
      for (let i = start; i <= end; i++) {
        const id = rows[i]!.id;
        hit.set(id, Math.max(hit.get(id) ?? 0, n));
      }
    }
  }
  return hit;
}
const authorOf = (r: NearRow): string | null => (r.author_key ? `${r.source_id}\u0000${r.author_key}` : null);

/** The time span covering every group, widened by the window on both sides. */
function span(groups: Iterable<{ min: number; max: number }>, windowMs: number): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const g of groups) {
    min = Math.min(min, g.min);
    max = Math.max(max, g.max);
  }
  return Number.isFinite(min) ? [min - windowMs, max + windowMs] : [0, 0];
}

export interface FlagChange {
  id: number;
  flag: MentionFlag;
}

/**
 * Evaluates the rules around the rows just inserted and flags every mention that falls in a
 * qualifying window (earlier ones included). Returns the flags newly set.
 */
export function flagSuspicious(repo: MentionQualityRepo, inserted: readonly NormalizedMention[]): FlagChange[] {
  const changes: FlagChange[] = [];
  const apply = (ids: Map<number, number>, kind: MentionFlag['kind'], windowSec: number): void => {
    for (const [id, count] of ids) {
      const flag: MentionFlag = { kind, count, windowSec };
      if (repo.setFlag(id, flag)) changes.push({ id, flag });
    }
  };

  const { copyCampaign, fastAuthor } = FLAG_RULES;
  const byHash = new Map<string, { min: number; max: number }>();
  for (const r of inserted) {
    if (!isSubstantial(wordsOf(r))) continue;
    const g = byHash.get(r.contentHash);
    if (g) {
      g.min = Math.min(g.min, r.publishedAt);
      g.max = Math.max(g.max, r.publishedAt);
    } else byHash.set(r.contentHash, { min: r.publishedAt, max: r.publishedAt });
  }
  const cw = copyCampaign.windowSec * 1000;
  const hashCandidates = repo.hashesStoredAtLeast([...byHash.keys()], copyCampaign.minAuthors, ...span(byHash.values(), cw));
  for (const [hash, g] of byHash) {
    if (!hashCandidates.has(hash)) continue;
    const rows = repo.sameTextNear(hash, g.min - cw, g.max + cw);
    if (rows.length < copyCampaign.minAuthors) continue;
    apply(clusters(rows, cw, authorOf, (distinct) => distinct >= copyCampaign.minAuthors), 'copy_campaign', copyCampaign.windowSec);
  }

  const byAuthor = new Map<string, { min: number; max: number }>();
  for (const r of inserted) {
    if (!r.authorKey) continue;
    const g = byAuthor.get(r.authorKey);
    if (g) {
      g.min = Math.min(g.min, r.publishedAt);
      g.max = Math.max(g.max, r.publishedAt);
    } else byAuthor.set(r.authorKey, { min: r.publishedAt, max: r.publishedAt });
  }
  const fw = fastAuthor.windowSec * 1000;
  const authorCandidates = repo.authorsStoredAtLeast([...byAuthor.keys()], fastAuthor.minPosts, ...span(byAuthor.values(), fw));
  for (const [author, g] of byAuthor) {
    if (!authorCandidates.has(author)) continue;
    const rows = repo.sameAuthorNear(author, g.min - fw, g.max + fw);
    if (rows.length < fastAuthor.minPosts) continue;
    apply(clusters(rows, fw, () => null, (_d, total) => total >= fastAuthor.minPosts), 'fast_author', fastAuthor.windowSec);
  }
  return changes;
}
