// The "prima di intervenire" checklist of each moment (timing, pertinence, coherence, product),
// the hints shown beside it (how long the moment has been open or quiet, its themes by stance,
// the products its mentions name), and its reattachment when a rebuild renumbers the moments.
import { CHECKLIST_ITEMS, ChecklistEntrySchema, type Checklist, type ChecklistEntry, type ChecklistHints, type ChecklistItem } from '../../shared/audiences';
import { foldName } from '../../shared/text';
import { type MomentsService, anchorOf, reattachByAnchor } from '../moments';
import type { PerimetersService } from '../perimeters';
import type { AudiencesRepo } from '../store/audiences-repo';

const EMPTY_ENTRY: ChecklistEntry = { done: false, note: '', at: null };

export interface ChecklistsDeps {
  repo: AudiencesRepo;
  moments: MomentsService;
  perimeters: PerimetersService;
  /** Wall clock. */
  now: () => number;
}

export class Checklists {
  constructor(private readonly d: ChecklistsDeps) {}

  /** After a rebuild renumbered the moments, each checklist follows its moment by anchor. */
  reattach(): void {
    reattachByAnchor(
      this.d.moments.repo,
      this.d.repo.checklistAll(),
      (id) => this.d.repo.checklistDelete(id),
      (to, c) => this.d.repo.checklistPut(to, c.anchor, c.items, c.updated_at),
    );
  }

  /** The "prima di intervenire" checklist of a moment (every item unchecked when never touched). */
  get(momentId: number): Checklist {
    const stored = this.d.repo.checklistGet(momentId);
    const items: Record<ChecklistItem, ChecklistEntry> = { timing: EMPTY_ENTRY, pertinence: EMPTY_ENTRY, coherence: EMPTY_ENTRY, product: EMPTY_ENTRY };
    if (stored) {
      try {
        const raw = JSON.parse(stored.items) as Record<string, unknown>;
        for (const k of CHECKLIST_ITEMS) {
          const p = ChecklistEntrySchema.safeParse(raw[k]);
          if (p.success) items[k] = p.data;
        }
      } catch {
        /* unreadable: shown unchecked */
      }
    }
    return { momentId, items, complete: CHECKLIST_ITEMS.every((k) => items[k].done) };
  }

  /** Returns null when the moment does not exist. */
  set(momentId: number, item: ChecklistItem, done: boolean, note: string): Checklist | null {
    const anchor = anchorOf(this.d.moments.repo, momentId);
    if (!anchor) return null;
    const current = this.get(momentId);
    const items = { ...current.items, [item]: { done, note: note.trim(), at: new Date(this.d.now()).toISOString() } };
    this.d.repo.checklistPut(momentId, JSON.stringify(anchor), JSON.stringify(items), this.d.now());
    return this.get(momentId);
  }

  hints(momentId: number): ChecklistHints {
    const mrepo = this.d.moments.repo;
    const m = mrepo.get(momentId);
    const prepo = this.d.perimeters.repo;
    const themes = new Map(prepo.themeDefs().map((t) => [t.id, t]));
    const inPerimeter: string[] = [];
    const sensitive: string[] = [];
    const forbidden: string[] = [];
    for (const { theme_id } of mrepo.themeCounts(momentId)) {
      const t = themes.get(theme_id);
      if (!t) continue;
      (t.stance === 'in_perimeter' ? inPerimeter : t.stance === 'sensitive' ? sensitive : forbidden).push(t.name);
    }
    const texts = mrepo.linkedTexts(momentId, 500).map((x) => foldName(x.title ? `${x.title} ${x.text}` : x.text));
    const products = prepo.products().filter((p) => {
      const n = foldName(p.name);
      return n.length >= 3 && texts.some((t) => t.includes(n));
    }).map((p) => p.name);
    const streamNow = mrepo.streamNow();
    const lastLinked = mrepo.lastLinkedAt(momentId) ?? m?.updated_at ?? 0;
    const end = m?.closed_at ?? Math.max(m?.updated_at ?? 0, streamNow);
    return {
      openMinutes: m ? Math.max(0, Math.round((end - m.opened_at) / 60_000)) : 0,
      quietMinutes: m ? Math.max(0, Math.round((streamNow - lastLinked) / 60_000)) : 0,
      inPerimeter,
      sensitive,
      forbidden,
      products,
    };
  }
}
