// Who is on what, now. In memory only: presence is worth nothing after a restart, and writing
// it would cost a transaction per heartbeat for every open screen. An entry lasts
// PRESENCE_TTL_MS after its client's last word: a closed laptop, a dropped link or an ended
// session stops the heartbeats, and the person is taken off at the sweep after that.
import type { Actor } from '../../shared/auth';
import type { Subject } from '../../shared/ops/notifications';
import { PRESENCE_TTL_MS, type PresenceActivity, type PresentPerson } from '../../shared/ops/presence';
import type { EventBus } from '../api/events';

interface Entry {
  userId: number;
  displayName: string;
  activity: PresenceActivity;
  until: number;
}

/** Subjects followed at once, and people per subject: bounds memory against a looping client. */
const MAX_SUBJECTS = 5_000;
const MAX_PER_SUBJECT = 50;

export class PresenceService {
  readonly #bySubject = new Map<string, { subject: Subject; entries: Map<number, Entry> }>();
  #sweeper: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly deps: { events: EventBus; now: () => number }) {}

  /** The person's activity on the subject (null: gone); answers who else is there. */
  set(actor: Actor, subject: Subject, activity: PresenceActivity | null): { others: PresentPerson[] } {
    const key = `${subject.kind}:${subject.id}`;
    let slot = this.#bySubject.get(key);
    const before = slot ? signature(slot.entries) : '';
    if (activity === null) {
      slot?.entries.delete(actor.userId);
    } else {
      if (!slot) {
        if (this.#bySubject.size >= MAX_SUBJECTS) this.#sweep();
        if (this.#bySubject.size >= MAX_SUBJECTS) return { others: [] };
        slot = { subject, entries: new Map() };
        this.#bySubject.set(key, slot);
      }
      if (slot.entries.has(actor.userId) || slot.entries.size < MAX_PER_SUBJECT) {
        slot.entries.set(actor.userId, { userId: actor.userId, displayName: actor.displayName, activity, until: this.deps.now() + PRESENCE_TTL_MS });
      }
      this.#startSweeper();
    }
    const entries = slot?.entries ?? new Map<number, Entry>();
    if (slot && entries.size === 0) this.#bySubject.delete(key);
    // Heartbeats that change nothing say nothing: only arrivals, departures and changes of activity.
    if (signature(entries) !== before) this.deps.events.emit('presence.changed', { subject, people: people(entries) });
    return { others: people(entries).filter((p) => p.person.id !== actor.userId) };
  }

  stop(): void {
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = null;
  }

  #startSweeper(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => this.#sweep(), PRESENCE_TTL_MS / 3);
    this.#sweeper.unref?.();
  }

  #sweep(): void {
    const t = this.deps.now();
    for (const [key, slot] of this.#bySubject) {
      let changed = false;
      for (const [id, e] of slot.entries) {
        if (e.until > t) continue;
        slot.entries.delete(id);
        changed = true;
      }
      if (slot.entries.size === 0) this.#bySubject.delete(key);
      if (changed) this.deps.events.emit('presence.changed', { subject: slot.subject, people: people(slot.entries) });
    }
    if (this.#bySubject.size === 0) this.stop();
  }
}

function people(entries: Map<number, Entry>): PresentPerson[] {
  return [...entries.values()].map((e) => ({ person: { id: e.userId, displayName: e.displayName }, activity: e.activity }));
}

function signature(entries: Map<number, Entry>): string {
  return [...entries.values()].map((e) => `${e.userId}:${e.activity}`).sort().join(',');
}
