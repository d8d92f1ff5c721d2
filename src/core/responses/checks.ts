// The warnings of the "prima di intervenire" checks that stop publishing: which apply to a
// response now (from the moments it speaks in), and whether a reviewer's override still covers
// each (an override given for some themes does not cover a theme that appeared afterwards).
import type { Role } from '../../shared/auth';
import type { ResponseWarning, ResponseWarningKind } from '../../shared/responses';
import type { OverrideRow } from '../store/response-composer-repo';

/** Who may lift each warning: a forbidden theme is a legal call; timing also the strategist's. */
export const OVERRIDE_ROLES: Record<ResponseWarningKind, readonly Role[]> = {
  forbiddenTheme: ['legal'],
  sensitiveTiming: ['legal', 'strategist'],
};

/** A warning as computed from the target, before overrides. */
export interface WarningFacts {
  kind: ResponseWarningKind;
  themes: string[];
  quietMinutes: number | null;
}

/** What the checks say about a target (a moment, or the moments a mention is in). */
export type WarningsOf = (t: { kind: 'mention' | 'moment'; id: number }) => WarningFacts[];
export const noWarnings: WarningsOf = () => [];

/**
 * The checks' hints of one moment turned into warnings: any forbidden theme among its
 * mentions; an open crisis on a sensitive theme whose last mention is under `hotMinutes` old.
 */
export function warningsOfMoment(
  m: { kind: string; open: boolean },
  hints: { forbidden: string[]; sensitive: string[]; quietMinutes: number },
  hotMinutes = 60,
): WarningFacts[] {
  const out: WarningFacts[] = [];
  if (hints.forbidden.length > 0) out.push({ kind: 'forbiddenTheme', themes: [...hints.forbidden], quietMinutes: null });
  if (m.kind === 'crisis' && m.open && hints.sensitive.length > 0 && hints.quietMinutes < hotMinutes) {
    out.push({ kind: 'sensitiveTiming', themes: [...hints.sensitive], quietMinutes: hints.quietMinutes });
  }
  return out;
}

/** Several moments' warnings as one per kind (themes merged, the hottest timing kept). */
export function mergeWarnings(all: WarningFacts[]): WarningFacts[] {
  const by = new Map<ResponseWarningKind, WarningFacts>();
  for (const w of all) {
    const seen = by.get(w.kind);
    if (!seen) {
      by.set(w.kind, { ...w, themes: [...w.themes] });
      continue;
    }
    for (const t of w.themes) if (!seen.themes.includes(t)) seen.themes.push(t);
    if (w.quietMinutes !== null && (seen.quietMinutes === null || w.quietMinutes < seen.quietMinutes)) seen.quietMinutes = w.quietMinutes;
  }
  return [...by.values()].sort((a, b) => a.kind.localeCompare(b.kind));
}

/** The warnings with the override that still covers each (every theme named now was overridden). */
export function withOverrides(facts: WarningFacts[], overrides: OverrideRow[]): ResponseWarning[] {
  return facts.map((w) => {
    const o = overrides.find((x) => x.warning === w.kind);
    const covered = o ? (JSON.parse(o.themes) as string[]) : [];
    const holds = o !== undefined && w.themes.every((t) => covered.includes(t));
    return {
      kind: w.kind,
      themes: w.themes,
      quietMinutes: w.quietMinutes,
      overrideRoles: [...OVERRIDE_ROLES[w.kind]],
      override: holds && o ? { by: o.by_name, at: new Date(o.at).toISOString(), reason: o.reason } : null,
    };
  });
}
