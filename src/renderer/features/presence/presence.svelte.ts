// Who else is on what I am looking at: "Giulia sta scrivendo una risposta". One per window, like
// the assignments store: the inbox's detail, the composer and the response's text say where
// this person is (enter), and read who else is there (others). The server keeps it in memory
// only (core/presence); this store says it again every PRESENCE_HEARTBEAT_MS while a screen
// stays open, and leaves when the screen closes.
import type { VedettaApi } from '../../../shared/contract';
import type { Subject } from '../../../shared/ops/notifications';
import { PRESENCE_HEARTBEAT_MS, type PresenceActivity, type PresentPerson } from '../../../shared/ops/presence';
import { listen } from '../../lib/events';

const RANK: Record<PresenceActivity, number> = { viewing: 0, replying: 1, editing: 2 };

function keyOf(s: Subject): string {
  return `${s.kind}:${s.id}`;
}

export class PresenceStore {
  #others = $state.raw<ReadonlyMap<string, PresentPerson[]>>(new Map());
  /** What this window does on each subject: several screens may be on one (viewing + replying). */
  readonly #mine = new Map<string, { subject: Subject; activities: Map<number, PresenceActivity> }>();
  #api: VedettaApi | null = null;
  #me: () => number | null = () => null;
  #off: (() => void) | null = null;
  #beat: ReturnType<typeof setInterval> | null = null;
  #nextHandle = 1;

  attach(api: VedettaApi, me: () => number | null): void {
    this.dispose();
    this.#api = api;
    this.#me = me;
    this.#off = listen(api, {
      'presence.changed': ({ subject, people }) => this.#remember(subject, people),
    });
    this.#beat = setInterval(() => {
      for (const slot of this.#mine.values()) this.#say(slot.subject);
    }, PRESENCE_HEARTBEAT_MS);
  }

  /** The others on a subject (never this person). */
  others(s: Subject): PresentPerson[] {
    return this.#others.get(keyOf(s)) ?? [];
  }

  /** This window is on the subject doing `activity` until the returned function is called. */
  enter(subject: Subject, activity: PresenceActivity): () => void {
    const key = keyOf(subject);
    let slot = this.#mine.get(key);
    if (!slot) this.#mine.set(key, (slot = { subject, activities: new Map() }));
    const handle = this.#nextHandle++;
    slot.activities.set(handle, activity);
    this.#say(subject);
    return () => {
      const s = this.#mine.get(key);
      if (!s) return;
      s.activities.delete(handle);
      if (s.activities.size === 0) this.#mine.delete(key);
      this.#say(subject);
    };
  }

  dispose(): void {
    this.#off?.();
    this.#off = null;
    if (this.#beat) clearInterval(this.#beat);
    this.#beat = null;
    // Said while the client still works: the others see this person leave at once.
    for (const slot of this.#mine.values()) void this.#api?.call('presence.here', { subject: slot.subject, activity: null }).catch(() => undefined);
    this.#mine.clear();
    this.#others = new Map();
    this.#api = null;
  }

  /**
   * Said once per turn per subject, with the final state: a screen that closes while another
   * opens on the same subject (the detail giving way to the composer) sends "replying", not a
   * "gone" and a "replying" racing each other to the server.
   */
  #pending = new Map<string, Subject>();
  #say(subject: Subject): void {
    if (this.#pending.size === 0) queueMicrotask(() => this.#flush());
    this.#pending.set(keyOf(subject), subject);
  }

  #flush(): void {
    const subjects = [...this.#pending.values()];
    this.#pending.clear();
    for (const s of subjects) this.#send(s);
  }

  #send(subject: Subject): void {
    const slot = this.#mine.get(keyOf(subject));
    let top: PresenceActivity | null = null;
    for (const a of slot?.activities.values() ?? []) if (top === null || RANK[a] > RANK[top]) top = a;
    const api = this.#api;
    if (!api) return;
    api.call('presence.here', { subject, activity: top }).then(
      ({ others }) => this.#remember(subject, others),
      // Presence is a courtesy: a failed heartbeat is retried with the next one.
      () => undefined,
    );
  }

  #remember(subject: Subject, people: PresentPerson[]): void {
    const me = this.#me();
    const next = new Map(this.#others);
    next.set(keyOf(subject), people.filter((p) => p.person.id !== me));
    this.#others = next;
  }
}

export const presence = new PresenceStore();
