// What identifies a moment across a rebuild, which renumbers moments (numbers are reused): its
// kind, opening time (stream time) and keys. Records kept beside a moment without a foreign key
// (the pre-intervention checklist, the acknowledgement) follow it by this anchor.
import type { MomentKind } from '../../shared/moments';
import type { MomentsRepo } from '../store/moments-repo';

export interface Anchor {
  kind: MomentKind;
  openedAt: number;
  keys: string[];
}

/** How far (stream time) a rebuilt moment may have moved and still take its records back. */
export const REATTACH_MS = 60 * 60_000;

export function anchorOf(repo: MomentsRepo, momentId: number): Anchor | null {
  const m = repo.get(momentId);
  if (!m) return null;
  const keys = repo.keysOf(momentId).map((k) => k.key).sort();
  return { kind: m.kind, openedAt: m.opened_at, keys };
}

export function parseAnchor(s: string): Anchor | null {
  try {
    return JSON.parse(s) as Anchor;
  } catch {
    return null;
  }
}

/**
 * After a rebuild renumbered the moments, each record follows its moment: the one of the same
 * kind opened at the same time sharing most keys. A record whose moment is not found again is
 * kept under a negative number (not shown, not lost). `move` deletes every moving record first
 * (through `drop`), then writes each under its new number (through `put`); call it in a
 * transaction.
 */
export function reattachByAnchor<R extends { moment_id: number; anchor: string }>(
  repo: MomentsRepo,
  all: readonly R[],
  drop: (momentId: number) => void,
  put: (momentId: number, record: R) => void,
): void {
  const matches = (id: number, a: Anchor): boolean => {
    const m = repo.get(id);
    return m !== null && m.kind === a.kind && m.opened_at === a.openedAt;
  };
  const moving = all.filter((c) => {
    const a = parseAnchor(c.anchor);
    return c.moment_id > 0 && !(a && matches(c.moment_id, a));
  });
  if (moving.length === 0) return;
  const taken = new Set(all.filter((c) => !moving.includes(c)).map((c) => c.moment_id));
  for (const c of moving) drop(c.moment_id);
  let parked = Math.min(0, ...all.map((c) => c.moment_id));
  for (const c of moving) {
    const anchor = parseAnchor(c.anchor);
    let best: number | null = null;
    if (anchor) {
      // A rebuild may open the same episode a little earlier or later, under other keys:
      // the nearest moment of the same kind sharing keys wins, else the nearest within 10 min.
      let bestScore = Number.NEGATIVE_INFINITY;
      for (const cand of repo.openedBetween(anchor.kind, anchor.openedAt - REATTACH_MS, anchor.openedAt + REATTACH_MS)) {
        if (taken.has(cand.id)) continue;
        const keys = new Set(repo.keysOf(cand.id).map((k) => k.key));
        const overlap = anchor.keys.filter((k) => keys.has(k)).length;
        const dt = Math.abs(cand.opened_at - anchor.openedAt);
        if (overlap === 0 && dt > 10 * 60_000) continue;
        const score = overlap * REATTACH_MS * 10 - dt;
        if (score > bestScore) {
          bestScore = score;
          best = cand.id;
        }
      }
    }
    const to = best ?? --parked;
    taken.add(to);
    put(to, c);
  }
}
