// The background re-read of the stored mentions after audiences are created or their rules
// edited: one scan in id order, in chunks between other requests, shared by every audience
// waiting. An audience that arrives while a scan runs joins it where it is and goes round once,
// so five audiences made in a row cost one pass over the store, not one each.
import { communitiesOf, hashtagsOf, isMember, type AudienceRematch, type MemberCandidate } from '../../shared/audiences';
import { yieldTurn } from '../event-loop';
import type { PerimetersService } from '../perimeters';
import type { AudiencesRepo } from '../store/audiences-repo';
import type { Db } from '../store/db';
import type { Compiled } from './service';

const CHUNK = 2_000;

/**
 * An audience's round: it joined when the scan was at `from`, with `upto` the newest mention
 * then (later ones were matched at ingest). First part (from, upto], then, once the scan wraps,
 * (0, from]; joined at the start (`from` 0), one part: (0, upto].
 */
interface Lap {
  from: number;
  upto: number;
  wrapped: boolean;
}

const lapNeeds = (l: Lap, id: number): boolean => id <= l.upto && (l.from === 0 || (l.wrapped ? id <= l.from : id > l.from));
/** Where the scan may stop for this lap, on the part it is on. */
const lapEnd = (l: Lap): number => (l.wrapped && l.from > 0 ? l.from : l.upto);
const lapDone = (l: Lap, after: number): boolean => (l.from === 0 || l.wrapped) && after >= lapEnd(l);

export interface RereadDeps {
  db: Db;
  repo: AudiencesRepo;
  owned: PerimetersService['owned'];
  /** The audiences waiting (their members already cleared); taken from as they join. */
  queue: Set<number>;
  compiled: () => readonly Compiled[];
  stopped: () => boolean;
  progress: (state: AudienceRematch) => void;
}

/** Runs until no audience is waiting or on its round. */
export async function rereadStore(d: RereadDeps): Promise<void> {
  const laps = new Map<number, Lap>();
  let after = 0;
  let done = 0;
  let total = 0;
  while (!d.stopped()) {
    if (d.queue.size > 0) {
      const upto = d.repo.maxMentionId();
      // From here, each joiner needs one whole round of the store.
      total = Math.max(total, done + d.repo.countMentions());
      // Joined again (edited meanwhile): its members were cleared, it starts its round afresh.
      for (const id of d.queue) laps.set(id, { from: after, upto, wrapped: false });
      d.queue.clear();
      d.progress({ running: true, done, total });
    }
    const compiled = d.compiled();
    for (const [id, lap] of laps) {
      if (lapDone(lap, after) || !compiled.some((a) => a.id === id)) laps.delete(id);
    }
    if (laps.size === 0) return;
    const end = Math.max(...[...laps.values()].map(lapEnd));
    const rows = after >= end ? [] : d.repo.scan(after, CHUNK);
    if (rows.length === 0) {
      // The end of what is needed: those that joined midway go round to where they joined.
      const midway = [...laps.values()].filter((l) => l.from > 0 && !l.wrapped);
      if (midway.length === 0) return;
      for (const l of midway) l.wrapped = true;
      after = 0;
      continue;
    }
    const active = [...laps].map(([id, lap]) => ({ lap, a: compiled.find((c) => c.id === id)! }));
    const needC = active.some(({ a }) => a.needsCommunities);
    const needH = active.some(({ a }) => a.needsHashtags);
    const needO = active.some(({ a }) => a.needsOwner);
    d.db.transaction(() => {
      for (const r of rows) {
        const targets = active.filter(({ lap }) => lapNeeds(lap, r.id));
        if (targets.length === 0) continue;
        const c: MemberCandidate = {
          sourceName: r.source_name,
          url: r.url,
          threadId: r.thread_id,
          title: r.title,
          text: r.text,
          authorKey: r.author_key,
          themeIds: r.theme_ids ? r.theme_ids.split(',').map(Number) : [],
        };
        const cache = {
          ...(needC ? { communities: communitiesOf(c) } : {}),
          ...(needH ? { hashtags: hashtagsOf(c.title, c.text) } : {}),
          ...(needO ? { owner: d.owned.ownerOf(c) } : {}),
        };
        for (const { a } of targets) if (isMember(a.rules, c, cache)) d.repo.addMember(r.id, a.id, r.published_at);
      }
    })();
    after = rows[rows.length - 1]!.id;
    done += rows.length;
    d.progress({ running: true, done: Math.min(done, total), total });
    await yieldTurn();
  }
}
