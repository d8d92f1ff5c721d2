// The inbox search in the perimeter query language. The full-text index narrows (ftsPlan), the
// matcher decides and finds the words to highlight. When the index expression is exactly the
// query (words, prefixes, phrases with AND/OR/NOT), the index pages and counts alone, as fast
// as a plain search; otherwise the candidates are walked newest first and tested, within a
// budget, and a total past the budget is marked capped ("at least").
import type { Cursor, MentionQuery } from '../../shared/contract';
import type { Mention } from '../../shared/schemas';
import type { MatchSpanDto, QueryErrorDto } from '../../shared/perimeters';
import { compileAst, ftsPlan, parseQuery, prepareDoc, QueryError, type CompiledQuery, type QueryNode } from '../analysis';
import { isPlainSearch } from '../../shared/search';
import type { MentionPage, MentionsRepo } from '../store/mentions-repo';
import { queryErrorDto } from '../perimeters';

/** Candidates tested per request, at most: keeps a search on a million mentions interactive. */
export const SEARCH_SCAN_MAX = 5_000;
const BATCH = 500;

export interface SearchPage extends MentionPage {
  hits?: { id: number; spans: MatchSpanDto[] }[];
  queryError?: QueryErrorDto;
}

/**
 * The query's tree; plain words get their last word as a prefix, so results follow the
 * typing ("capsule ro" finds "rotte") as the inbox search always did.
 */
export function searchAst(text: string): QueryNode {
  const ast = parseQuery(text);
  if (!isPlainSearch(text)) return ast;
  const last = ast.type === 'and' ? ast.children[ast.children.length - 1] : ast;
  if (last?.type === 'term' && last.value.length >= 2) last.prefix = true;
  return ast;
}

function docOf(m: Mention) {
  return prepareDoc({ title: m.title, text: m.text, lang: m.lang, source: m.sourceName, sourceKind: m.sourceKind, url: m.url, authorKey: m.authorKey });
}

export class InboxSearch {
  constructor(private readonly repo: MentionsRepo) {}

  /** One page of `query` (its text read as a query), with the matched spans of each item. */
  list(query: MentionQuery, after: Cursor | undefined, limit: number, sort: 'time' | 'relevance', assignee: number | null): SearchPage {
    const text = query.text?.trim();
    // No words, or an author's alias: the store answers it alone.
    if (!text || this.repo.authorKeyOfAlias(text) !== null) return this.repo.list(query, after, limit, sort, assignee);
    let q: CompiledQuery;
    try {
      q = compileAst(searchAst(text), text);
    } catch (e) {
      if (e instanceof QueryError) return { items: [], total: 0, capped: false, next: null, queryError: queryErrorDto(e) };
      throw e;
    }
    const plan = ftsPlan(q.ast);
    const rest: MentionQuery = { ...query };
    delete rest.text;
    if (plan?.exact) {
      const page = this.repo.list(rest, after, limit, sort, assignee, { fts: plan.expr });
      return { ...page, hits: hitsOf(q, page.items) };
    }
    return this.scan(q, plan?.expr ?? null, rest, after, limit, assignee);
  }

  /** Walks the candidates newest first (after the cursor), testing each, within the budget. */
  private scan(q: CompiledQuery, fts: string | null, rest: MentionQuery, after: Cursor | undefined, limit: number, assignee: number | null): SearchPage {
    const items: Mention[] = [];
    const hits: { id: number; spans: MatchSpanDto[] }[] = [];
    let cursor = after;
    let candidates: number | undefined;
    let scanned = 0;
    let next: Cursor | null = null;
    let exhausted = false;
    while (scanned < SEARCH_SCAN_MAX) {
      const batch = this.repo.list(rest, cursor, BATCH, 'time', assignee, { fts, ...(candidates !== undefined ? { total: candidates } : {}) });
      candidates = batch.total;
      for (const m of batch.items) {
        scanned++;
        const hit = q.match(docOf(m));
        if (!hit) continue;
        if (items.length === limit) {
          // One more match exists: the page ends at the previous row.
          const last = items[items.length - 1]!;
          next = { publishedAt: last.publishedAt, id: last.id };
          break;
        }
        items.push(m);
        hits.push({ id: m.id, spans: hit.spans });
      }
      if (next) break;
      if (!batch.next) {
        exhausted = true;
        break;
      }
      cursor = batch.next;
    }
    // Budget spent before the page filled: the next page goes on from the last row tested.
    if (!next && !exhausted && cursor) next = cursor;
    const { total, approximate } = this.count(q, fts, rest, assignee, candidates ?? 0);
    return { items, total, capped: approximate, next, hits };
  }

  /** Matches among the newest SEARCH_SCAN_MAX candidates; approximate when there are more. */
  private count(q: CompiledQuery, fts: string | null, rest: MentionQuery, assignee: number | null, candidates: number): { total: number; approximate: boolean } {
    let total = 0;
    let cursor: Cursor | undefined;
    let scanned = 0;
    while (scanned < Math.min(candidates, SEARCH_SCAN_MAX)) {
      const batch = this.repo.list(rest, cursor, BATCH, 'time', assignee, { fts, total: candidates });
      for (const m of batch.items) if (q.test(docOf(m))) total++;
      scanned += batch.items.length;
      if (!batch.next) break;
      cursor = batch.next;
    }
    return { total, approximate: candidates > scanned };
  }
}

function hitsOf(q: CompiledQuery, items: readonly Mention[]): { id: number; spans: MatchSpanDto[] }[] {
  return items.map((m) => ({ id: m.id, spans: q.match(docOf(m))?.spans ?? [] }));
}
