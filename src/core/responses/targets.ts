// What a response is about: a mention (its matched themes) or a moment (its themes).
import type { Mention } from '../../shared/schemas';
import type { MomentDetail } from '../../shared/moments';
import type { Stance } from '../../shared/perimeters';
import type { TargetResolver } from './types';

export interface TargetSources {
  mention(id: number): Mention | null;
  /** Perimeter themes matched by a stored mention. */
  mentionThemeIds(id: number): number[];
  moment(id: number): MomentDetail | null;
  theme(id: number): ThemeFacts | null;
  /**
   * The brand whose own account or thread the mention is on (the owned-account resolver of
   * Perimetri), by name; null when none. A reply there answers the brand's own community.
   */
  ownedBy?(m: Mention): string | null;
}

type ThemeFacts = { id: number; name: string; stance: Stance };

/** Share of a moment's mentions on a forbidden theme that makes the whole moment off limits. */
export const FORBIDDEN_SHARE = 0.2;

function line(s: string, max = 140): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function createTargetResolver(src: TargetSources): TargetResolver {
  return (kind, id) => {
    if (kind === 'mention') {
      const m = src.mention(id);
      if (!m) return null;
      const themes = src.mentionThemeIds(id).map((t) => src.theme(t)).filter((t): t is ThemeFacts => t !== null);
      const owned = src.ownedBy?.(m) ?? null;
      return {
        title: line(m.title ? `${m.title} — ${m.text}` : m.text),
        themes: themes.map((t) => ({ id: t.id, name: t.name, stance: t.stance })),
        mentionId: m.id,
        // On the brand's own post the whole community watches the answer (or its absence):
        // the SLA clocks of a high severity, unless the author chooses otherwise.
        severity: owned ? 'high' : 'moderate',
        ownedBy: owned,
      };
    }
    const d = src.moment(id);
    if (!d) return null;
    // A moment gathers hundreds of mentions, and a few of them always touch some other theme.
    // Sensitive themes count at any share (an extra legal look is cheap); a forbidden theme
    // silences the brand only when the moment is about it: its own theme or a real share.
    const linked = Math.max(1, d.themes.reduce((max, t) => Math.max(max, t.count), 0), d.moment.volume);
    const ids = new Set(d.themes.map((t) => t.id));
    if (d.moment.themeId !== null) ids.add(d.moment.themeId);
    const share = new Map(d.themes.map((t) => [t.id, t.count / linked]));
    const themes = [...ids]
      .map((t) => src.theme(t))
      .filter((t): t is ThemeFacts => t !== null)
      .filter((t) => t.stance !== 'forbidden' || t.id === d.moment.themeId || (share.get(t.id) ?? 0) >= FORBIDDEN_SHARE);
    return {
      title: line(d.moment.title),
      themes: themes.map((t) => ({ id: t.id, name: t.name, stance: t.stance })),
      mentionId: null,
      severity: d.moment.kind === 'crisis' ? 'critical' : 'moderate',
      ownedBy: null,
    };
  };
}
