// The words of a presence line: who else is there, writers first ("Giulia sta scrivendo una
// risposta"), then readers ("Marco e Anna la stanno guardando").
import type { PresentPerson } from '../../../shared/ops/presence';

export interface PresenceLine {
  key: 'presence.replying' | 'presence.editing' | 'presence.viewing';
  names: string;
  count: number;
}

export function presenceLines(others: PresentPerson[], joinNames: (names: string[]) => string): PresenceLine[] {
  const by = (activity: PresentPerson['activity']): string[] => others.filter((p) => p.activity === activity).map((p) => p.person.displayName);
  const lines: PresenceLine[] = [];
  for (const activity of ['editing', 'replying', 'viewing'] as const) {
    const names = by(activity);
    if (names.length > 0) lines.push({ key: `presence.${activity}`, names: joinNames(names), count: names.length });
  }
  return lines;
}
