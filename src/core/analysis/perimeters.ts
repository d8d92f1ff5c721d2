// Matching a mention against the perimeter's themes, with a relevance per theme in [0, 1].
// Pure: the ingest pipeline, the re-matcher, the query tester and `vedetta analyze` call it.
import { compileQuery, prepareDoc, type CompiledQuery, type MatchDocInput, type MatchSpan, type PreparedDoc, type QueryMatch } from './query';

export interface CompiledTheme {
  id: number;
  weight: number;
  query: CompiledQuery;
}

export interface ThemeMatch {
  themeId: number;
  relevance: number;
  spans: MatchSpan[];
}

/** Compiles a theme's query; throws QueryError when it does not parse. */
export function compileTheme(t: { id: number; query: string; weight: number }): CompiledTheme {
  return { id: t.id, weight: t.weight, query: compileQuery(t.query) };
}

/** Above this many words a text is an article, where one passing hit says little. */
const LONG_TEXT_WORDS = 300;

/**
 * Relevance of one match, in [0, 1]:
 *
 *   evidence = 1 − 0.6^(text hits + 2 × title hits)
 *     Each distinct matched span adds evidence with diminishing returns (1 hit 0.40, 2 hits
 *     0.64, 3 hits 0.78…). A hit in the title counts double: the title says what the post is
 *     about, the body may mention the theme in passing.
 *   A query made only of field filters (lang:it, source:…) has no spans: evidence 0.5.
 *   Hits only in the body of a long text (> 300 words) weigh ×0.75: a single mention in an
 *   article is weaker than the same words in a tweet.
 *   Each field filter that held adds 0.05 (capped at 1): a query narrowed to a source, a site
 *   or a language that still matched is more specific.
 *
 *   relevance = weight × (0.3 + 0.7 × evidence)
 *     A match is never worth nothing (0.3 floor before the weight): the query said yes. The
 *     theme's weight (0–1, set by the strategist) scales everything, so a minor theme never
 *     outranks a core one on the same evidence.
 */
export function relevanceOf(m: QueryMatch, doc: PreparedDoc, weight: number): number {
  let titleHits = 0;
  let textHits = 0;
  for (const s of m.spans) {
    if (s.field === 'title') titleHits++;
    else textHits++;
  }
  let evidence = m.spans.length === 0 ? 0.5 : 1 - Math.pow(0.6, textHits + 2 * titleHits);
  if (titleHits === 0 && textHits > 0 && doc.text.tokens.length > LONG_TEXT_WORDS) evidence *= 0.75;
  evidence = Math.min(1, evidence + 0.05 * m.filters);
  const w = Math.min(1, Math.max(0, weight));
  return Math.round(w * (0.3 + 0.7 * evidence) * 1000) / 1000;
}

/** Matches one prepared mention against compiled themes. */
export function matchPrepared(doc: PreparedDoc, themes: readonly CompiledTheme[]): ThemeMatch[] {
  const out: ThemeMatch[] = [];
  for (const t of themes) {
    const m = t.query.match(doc);
    if (m) out.push({ themeId: t.id, relevance: relevanceOf(m, doc, t.weight), spans: m.spans });
  }
  return out;
}

/**
 * The themes a mention matches, with relevance and spans. `input` is what a mention carries
 * (title, text, lang, source name and kind, url, author key).
 */
export function matchThemes(input: MatchDocInput, themes: readonly CompiledTheme[]): ThemeMatch[] {
  if (themes.length === 0) return [];
  return matchPrepared(prepareDoc(input), themes);
}
