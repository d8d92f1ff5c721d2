// Compiled themes straight from a store, for callers without a running app (the CLI's
// `vedetta analyze` reads a read-only store): pair with matchThemes() from analysis/perimeters.
import { compileTheme, type CompiledTheme } from '../analysis/perimeters';
import type { Db } from '../store/db';
import { schemaVersion } from '../store/migrations';
import { PerimetersRepo } from '../store/perimeters-repo';

/** Every stored theme compiled (a query that no longer parses is skipped). Works on a read-only db. */
export function compileStoredThemes(db: Db): CompiledTheme[] {
  const hasThemes = schemaVersion(db) > 0 && db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'themes'`).get() !== undefined;
  if (!hasThemes) return [];
  const out: CompiledTheme[] = [];
  for (const t of new PerimetersRepo(db).themes()) {
    try {
      out.push(compileTheme(t));
    } catch {
      /* skipped: the app logs it when it compiles the same themes */
    }
  }
  return out;
}
