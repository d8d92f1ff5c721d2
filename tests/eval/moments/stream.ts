// Builds a scenario's stream: mentions as a webhook or an import file carries them, each with
// the time it was published, the time it reaches Vedetta (a late source delivers later) and
// the episode it belongs to (the ground truth the judge compares moments with; never sent).
import type { Rng } from './rng';
import type { Text, TextGen } from './texts';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** One mention's webhook/import fields. */
export interface MentionBody {
  source: string;
  external_id: string;
  url: string;
  author: string;
  text: string;
  published_at: string;
  lang: string;
  thread_id?: string;
  likes?: number;
  shares?: number;
  title?: string;
}

export interface StreamItem {
  body: MentionBody;
  at: number;
  /** When a live sender delivers it (stream time). */
  deliverAt: number;
  /** The episode it belongs to; null for everyday talk. */
  episode: string | null;
}

export interface SourceDef {
  name: string;
  url: (id: string) => string;
  /** Posts of this source people comment under (an owned account's posts): each comment gets one. */
  threads?: readonly string[];
}

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Plain third-party sources, each with its own URL shape. */
export const SOURCES = {
  x: { name: 'X/Twitter', url: (id: string) => `https://x.com/i/status/${id}` },
  facebook: { name: 'Facebook · gruppi pubblici', url: (id: string) => `https://www.facebook.com/groups/spesa.intelligente/posts/${id}` },
  reddit: { name: 'Reddit r/italy', url: (id: string) => `https://www.reddit.com/r/italy/comments/${id}/` },
  forum: { name: 'Forum Consumatori', url: (id: string) => `https://forum.consumatori.example/t/${id}` },
  trustpilot: { name: 'Trustpilot', url: (id: string) => `https://it.trustpilot.com/reviews/${id}` },
  tiktok: { name: 'TikTok', url: (id: string) => `https://www.tiktok.com/@user/video/${id}` },
  news: { name: 'News · Gazzetta dei Consumi', url: (id: string) => `https://gazzettadeiconsumi.example/notizie/${id}` },
  xuk: { name: 'X/Twitter UK', url: (id: string) => `https://x.com/i/status/${id}` },
  redditUk: { name: 'Reddit r/unitedkingdom', url: (id: string) => `https://www.reddit.com/r/unitedkingdom/comments/${id}/` },
} as const satisfies Record<string, SourceDef>;

/** An owned account as a source: its comments land under its posts. */
export function ownedSourceDef(name: string, threads: readonly string[]): SourceDef {
  const host = slug(name);
  return { name, threads, url: (id) => `https://social.example/${host}/c/${id}` };
}

const FIRST = ['marco', 'giulia', 'luca', 'sara', 'ale', 'fede', 'chiara', 'davide', 'elena', 'matteo', 'francy', 'simo', 'vale', 'paolo', 'marta', 'gio', 'anna', 'teo', 'irene', 'nico', 'laura', 'pietro', 'bea', 'dario', 'emma', 'sofia', 'tom', 'kate', 'jamie', 'alex', 'rosa', 'enzo', 'lucia', 'toni', 'ilaria', 'max'];
const TAIL = ['_mi', '.rm', '88', '_to', '_bo', '_na', '92', '_x', '_pa', '77', '_ge', '_fi', '03', '_ve', '_ba', '.official', '_91', '_ct'];

export interface AddOptions {
  episode?: string | null;
  thread?: string;
  author?: string;
  /** Delivered this long after publication (a late source). */
  delay?: number;
  title?: string;
}

export class Stream {
  readonly items: StreamItem[] = [];
  private seq = 0;
  private readonly authors: string[];

  constructor(readonly r: Rng, readonly prefix: string, authorPool = 3_000) {
    this.authors = Array.from({ length: authorPool }, (_, i) => `${r.pick(FIRST)}${r.pick(TAIL)}${i}`);
  }

  /** A person from the crowd (a few post more than the rest, as everywhere). */
  author(): string {
    const a = this.authors;
    return this.r.chance(0.1) ? a[this.r.int(0, 19)]! : a[this.r.int(0, a.length - 1)]!;
  }

  add(at: number, src: SourceDef, t: Text, o: AddOptions = {}): StreamItem {
    const id = `${this.prefix}${(++this.seq).toString(36)}`;
    const body: MentionBody = {
      source: src.name,
      external_id: id,
      url: src.url(id),
      author: o.author ?? this.author(),
      text: t.text,
      published_at: new Date(Math.round(at)).toISOString(),
      lang: t.lang,
    };
    const thread = o.thread ?? (src.threads ? this.r.pick(src.threads) : undefined);
    if (thread) body.thread_id = thread;
    if (o.title) body.title = o.title;
    if (this.r.chance(0.6)) body.likes = this.r.int(0, 120);
    const item: StreamItem = { body, at: Math.round(at), deliverAt: Math.round(at + (o.delay ?? 0)), episode: o.episode ?? null };
    this.items.push(item);
    return item;
  }

  /**
   * Poisson arrivals over [from, to) at `perHour(t)` mentions an hour, judged minute by minute,
   * each from a source drawn by weight.
   */
  arrivals(from: number, to: number, perHour: (t: number) => number, gen: TextGen, sources: readonly (readonly [number, SourceDef])[], o: AddOptions = {}): void {
    for (let t = from; t < to; t += MIN) {
      const n = this.r.poisson(perHour(t) / 60);
      for (let k = 0; k < n; k++) this.add(t + this.r.next() * Math.min(MIN, to - t), this.r.weighted(sources), gen(this.r), o);
    }
  }

  /** Items ordered as a live sender delivers them (then by publication). */
  delivered(): StreamItem[] {
    return [...this.items].sort((a, b) => a.deliverAt - b.deliverAt || a.at - b.at);
  }
}

/** A daily rhythm in Europe/Rome (UTC+1 in November): night trough, breakfast and evening peaks, quieter weekends. */
export function dailyRhythm(perDay: number, weekendFactor = 0.6): (t: number) => number {
  // Relative weight per local hour; normalised so a weekday sums to perDay.
  const shape = [0.2, 0.1, 0.06, 0.05, 0.05, 0.15, 0.6, 1.8, 2.2, 1.4, 1.0, 1.0, 1.2, 1.1, 0.9, 0.9, 1.0, 1.1, 1.4, 1.9, 2.1, 1.8, 1.1, 0.5];
  const total = shape.reduce((a, b) => a + b, 0);
  return (t) => {
    const local = new Date(t + HOUR);
    const w = shape[local.getUTCHours()]! / total;
    const day = local.getUTCDay();
    return perDay * w * (day === 0 || day === 6 ? weekendFactor : 1);
  };
}
