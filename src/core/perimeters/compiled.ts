// Compiled themes straight from a store, for callers without a running app (the CLI's
// `vedetta analyze` reads a read-only store): pair with matchThemes() from analysis/perimeters.
import { compileTheme, matchThemes, type CompiledTheme, type MatchDocInput } from '../analysis';
import type { Db } from '../store/db';
import { hasTable, schemaVersion } from '../store/migrations';
import { PerimetersRepo } from '../store/perimeters-repo';

/** Every stored theme compiled (a query that no longer parses is skipped). Works on a read-only db. */
export function compileStoredThemes(db: Db): CompiledTheme[] {
  const hasThemes = schemaVersion(db) > 0 && hasTable(db, 'themes');
  if (!hasThemes) return [];
  const out: CompiledTheme[] = [];
  for (const t of new PerimetersRepo(db).themeDefs()) {
    try {
      out.push(compileTheme(t));
    } catch {
      /* skipped: the app logs it when it compiles the same themes */
    }
  }
  return out;
}

/** A theme as `vedetta analyze` reports it. */
export interface AnalyzedTheme {
  id: number;
  name: string;
  relevance: number;
}

/**
 * The stored perimeter as one function: a document → the themes it matches, most relevant
 * first. Reads the themes once; the database may be closed afterwards.
 */
export function storedThemeMatcher(db: Db): { count: number; match(doc: MatchDocInput): AnalyzedTheme[] } {
  const compiled = compileStoredThemes(db);
  if (compiled.length === 0) return { count: 0, match: () => [] };
  const names = new Map(new PerimetersRepo(db).themeDefs().map((t) => [t.id, t.name]));
  return {
    count: compiled.length,
    match: (doc) =>
      matchThemes(doc, compiled)
        .map((m) => ({ id: m.themeId, name: names.get(m.themeId) ?? `#${m.themeId}`, relevance: Math.round(m.relevance * 1000) / 1000 }))
        .sort((a, b) => b.relevance - a.relevance),
  };
}
