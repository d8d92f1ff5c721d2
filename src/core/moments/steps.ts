// One batch of mentions through the moments, in stream order: one step per published time.
// A step counts its mentions in their keys' windows, links those on keys already in an open
// moment, judges what surges (judge.ts), opens or merges (book.ts), re-judges the open moments
// and forgets what no step will read again. Live tracking and a rebuild both come through here,
// so the two find the same moments.
import { CLOCK_GAP_MS } from '../../shared/clock';
import type { Db } from '../store/db';
import type { MomentsRepo } from '../store/moments-repo';
import type { TrackItem } from './detector';
import type { MomentBook } from './book';
import { authorOf } from './items';
import type { Judge } from './judge';
import type { MomentKeys } from './keys';
import type { MomentsMemory } from './memory';

const RECENT_MEMORY = 20_000;

export class StreamSteps {
  /** Mentions of the batch being tracked that were more than a day behind the stream (see step). */
  behindCount = 0;
  /** A batch, in one transaction. */
  readonly process: (items: TrackItem[], live: boolean) => void;

  constructor(
    db: Db,
    private readonly mem: MomentsMemory,
    private readonly repo: MomentsRepo,
    private readonly keys: MomentKeys,
    private readonly judge: Judge,
    private readonly book: MomentBook,
  ) {
    // A nested db.transaction is a SAVEPOINT: a failure here undoes only the moments' writes,
    // never the batch of mentions around it.
    this.process = db.transaction((items: TrackItem[], live: boolean) => this.processSorted(items, live));
  }

  private processSorted(items: TrackItem[], live: boolean): void {
    const sorted = [...items].sort((a, b) => a.publishedAt - b.publishedAt || a.id - b.id);
    // Counts are written once per batch: the steps read them from memory, and only the reads
    // after the batch (lists, sparklines) need them stored, so finer steps cost no writes.
    // Each window carries its own pending row: no lookup of it per key of each mention.
    let written = false;
    // One step per published time, judged once all the batch's mentions of that time are
    // counted: a moment opens at the mention that completed its evidence, so the way a stream
    // is cut into batches (a webhook sender posting each mention, an import in one go, a replay
    // at any speed, a rebuild in chunks) never changes what opens when. Steps on a fixed grid
    // (10 s) were judged at the newest mention of whatever part of the step a batch held: the
    // same opportunity opened at 18:52:22 through the webhook and 18:52:29 through import.
    try {
      let i = 0;
      while (i < sorted.length) {
        const t = sorted[i]!.publishedAt;
        let j = i;
        while (j < sorted.length && sorted[j]!.publishedAt === t) j++;
        this.step(sorted.slice(i, j), live);
        i = j;
      }
      this.repo.upsertCountsFlat(this.mem.series.takePending());
      written = true;
    } finally {
      // A failed batch (rolled back, then rebuilt) leaves no row pending on the windows.
      if (!written) this.mem.series.takePending(false);
    }
  }

  /** One step of stream time (the mentions of one published time): count, link, evaluate. */
  private step(items: TrackItem[], live: boolean): void {
    const mem = this.mem;
    const B = mem.bucketMs;
    // Each step is judged at its own time, not at the newest time ever seen: a stream replayed
    // ahead of the clock (the demo) must not mute the live one after it. (Future-dated mentions
    // never get here: see LiveTracking.trackInserted.)
    const now = items[0]!.publishedAt;
    // More than a day behind the stream (an archive sent late, a stray from a wrong clock): the
    // windows it lands in were judged long ago against baselines no longer in memory, and the
    // moments open now are not about it. It is counted where it belongs, opens and joins
    // nothing, and does not move the stream's start; a batch of them large enough to surge on
    // its own has the moments recomputed in published order (see LiveTracking.track).
    const behind = now < mem.streamNow - CLOCK_GAP_MS;
    if (behind) this.behindCount += items.length;
    // Each key the step counted, with its window of the step's bucket: the judging reads the
    // window it was counted in instead of looking the key up again.
    const touched = new Map<string, number>();
    const itemKeys: { it: TrackItem; keys: string[] }[] = [];
    const fastTouched = new Set<string>();
    for (const it of items) {
      const { keys, brand } = this.keys.of(it, mem.settings.trackTerms);
      itemKeys.push({ it, keys });
      mem.recent.set(it.id, { id: it.id, publishedAt: it.publishedAt, score: it.score, label: it.label, who: authorOf(it) });
      if (!behind) this.judge.noteFast(it, keys, fastTouched);
      const bucket = Math.floor(it.publishedAt / B);
      const neg = it.label === 'negative' ? 1 : 0;
      const pos = it.label === 'positive' ? 1 : 0;
      const sent = it.score ?? 0;
      const inBrand = brand ? 1 : 0;
      const t = mem.series;
      for (const key of keys) {
        const w = t.open(key, bucket, mem.steps);
        t.add(w, 1, neg, pos, sent, inBrand, it.id, true);
        touched.set(key, w);
      }
    }
    if (behind) return;
    // The stream starts at its first mention, or afresh after a day without any: a stray from
    // 1970 before today's traffic, or last month's test mention, says nothing about the hour
    // before it (load() reads the same start back after a restart: MomentsRepo.streamStart).
    if (mem.startAt === null || now > mem.streamNow + CLOCK_GAP_MS) mem.startAt = now;
    else if (now < mem.startAt) mem.startAt = now;
    if (now > mem.streamNow) mem.streamNow = now;

    this.book.join(itemKeys);
    this.book.place(this.judge.candidates(touched, now, this.judge.fastCandidates(fastTouched)), now, live);
    this.book.updateOpen(now);
    mem.prune(now);
    if (mem.recent.size > RECENT_MEMORY) {
      let drop = mem.recent.size - RECENT_MEMORY;
      for (const id of mem.recent.keys()) {
        if (drop-- <= 0) break;
        mem.recent.delete(id);
      }
    }
  }
}
