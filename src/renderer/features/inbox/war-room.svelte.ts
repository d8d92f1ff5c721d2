// The war room's state: the last hour's mentions in 5-minute windows by sentiment, the newest
// mentions and the open crises. Read once when it opens, then kept live from the events
// (mentions.added counts in and streams; moments.changed re-reads the crises), and re-read
// each minute so the hour rolls on. Nothing runs while it is closed.
import type { VedettaApi } from '../../../shared/contract';
import type { MomentSummary } from '../../../shared/moments';
import type { Mention } from '../../../shared/schemas';
import { WAR_BUCKETS, WAR_LATEST, warBucketOf, type WarBucket } from '../../../shared/search';
import { listen } from '../../lib/events';
import { addToBuckets } from './war-room-logic';

const ROLL_MS = 60_000;
const CRISES_RELOAD_MS = 300;

export class WarRoomStore {
  open = $state(false);
  from = $state(0);
  buckets = $state.raw<WarBucket[]>([]);
  latest = $state.raw<Mention[]>([]);
  crises = $state.raw<MomentSummary[]>([]);
  error = $state<string | null>(null);

  readonly totals = $derived(
    this.buckets.reduce((a, b) => ({ positive: a.positive + b.positive, neutral: a.neutral + b.neutral, negative: a.negative + b.negative, unscored: a.unscored + b.unscored }), {
      positive: 0,
      neutral: 0,
      negative: 0,
      unscored: 0,
    }),
  );
  readonly total = $derived(this.totals.positive + this.totals.neutral + this.totals.negative + this.totals.unscored);

  #api: VedettaApi;
  #off: (() => void) | null = null;
  #roll: ReturnType<typeof setInterval> | null = null;
  #crisesTimer: ReturnType<typeof setTimeout> | null = null;
  #gen = 0;

  constructor(api: VedettaApi) {
    this.#api = api;
  }

  show(): void {
    if (this.open) return;
    this.open = true;
    this.#off = listen(this.#api, {
      'mentions.added': ({ items }) => this.applyArrivals(items),
      'moments.changed': () => this.#crisesSoon(),
      'moments.acknowledged': () => this.#crisesSoon(),
    });
    this.#roll = setInterval(() => void this.load(), ROLL_MS);
    void this.load();
  }

  hide(): void {
    if (!this.open) return;
    this.open = false;
    this.#gen++;
    this.#off?.();
    this.#off = null;
    if (this.#roll) clearInterval(this.#roll);
    this.#roll = null;
    if (this.#crisesTimer) clearTimeout(this.#crisesTimer);
    this.#crisesTimer = null;
  }

  async load(): Promise<void> {
    const gen = ++this.#gen;
    try {
      const [snap, crises] = await Promise.all([
        this.#api.call('warroom.snapshot', {}),
        this.#api.call('moments.list', { kind: 'crisis', state: 'open', limit: 50 }),
      ]);
      if (gen !== this.#gen) return;
      this.from = snap.from;
      this.buckets = snap.buckets;
      this.latest = snap.latest;
      this.crises = crises.items;
      this.error = null;
    } catch (e) {
      if (gen === this.#gen) this.error = e instanceof Error ? e.message : String(e);
    }
  }

  /** Arrivals count in their window and lead the stream. */
  applyArrivals(items: readonly Mention[]): void {
    if (!this.open || items.length === 0 || this.buckets.length !== WAR_BUCKETS) return;
    this.buckets = addToBuckets(this.buckets, items, (at) => warBucketOf(at, this.from));
    const fresh = [...items].sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
    const seen = new Set(fresh.map((m) => m.id));
    this.latest = [...fresh, ...this.latest.filter((m) => !seen.has(m.id))].slice(0, WAR_LATEST);
  }

  dispose(): void {
    this.hide();
  }

  #crisesSoon(): void {
    if (this.#crisesTimer) return;
    this.#crisesTimer = setTimeout(() => {
      this.#crisesTimer = null;
      void this.#api
        .call('moments.list', { kind: 'crisis', state: 'open', limit: 50 })
        .then((res) => {
          if (this.open) this.crises = res.items;
        })
        .catch(() => undefined);
    }, CRISES_RELOAD_MS);
  }
}
