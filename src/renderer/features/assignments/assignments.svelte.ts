// Who is in charge of what: the assignee of each mention, moment or response a screen shows,
// the people one may assign to, and what is assigned to the signed-in person. One per window,
// like the session and the sentiment engine: the detail panes of three features read it
// without being handed it. The shell attaches it to the client once the person is signed in.
import type { VedettaApi } from '../../../shared/contract';
import type { Assignment } from '../../../shared/ops/assignments';
import type { PersonRef, Subject, SubjectKind } from '../../../shared/ops/notifications';
import { listen } from '../../lib/events';

function keyOf(s: Subject): string {
  return `${s.kind}:${s.id}`;
}

export class AssignmentsStore {
  /** Active people who may work an item, by name (the picker's list). */
  people = $state.raw<PersonRef[]>([]);
  /** What is assigned to the signed-in person, newest first. */
  mine = $state.raw<Assignment[]>([]);
  /** The last failed assignment's message, shown beside the control. */
  error = $state<string | null>(null);
  /** The subject being assigned (its control waits). */
  busy = $state<string | null>(null);
  #known = $state.raw<ReadonlyMap<string, Assignment | null>>(new Map());
  #api: VedettaApi | null = null;
  #me: () => number | null = () => null;
  #off: (() => void) | null = null;
  #peopleLoaded = false;

  attach(api: VedettaApi, me: () => number | null): void {
    this.dispose();
    this.#api = api;
    this.#me = me;
    this.#off = listen(api, {
      // Someone (here or elsewhere) assigned something: a shown subject re-reads its assignee,
      // and "mine" follows when it concerns this person.
      'assignments.changed': ({ subject, userId }) => {
        if (this.#known.has(keyOf(subject))) void this.load(subject);
        const me = this.#me();
        if (me !== null && (userId === me || this.mine.some((a) => keyOf(a.subject) === keyOf(subject)))) void this.loadMine();
      },
    });
  }

  /** The subject's assignee: undefined until read (call ensure()), null when nobody. */
  of(s: Subject): Assignment | null | undefined {
    return this.#known.get(keyOf(s));
  }

  /** Reads the subject's assignee unless already known (and the people, the first time). */
  ensure(s: Subject): void {
    if (!this.#known.has(keyOf(s))) void this.load(s);
  }

  async load(s: Subject): Promise<void> {
    if (!this.#api) return;
    try {
      const { assignment } = await this.#api.call('assignments.get', { subject: s.kind, id: s.id });
      this.#remember(s, assignment);
    } catch {
      // The pane shows "Nessuno" until the next change; the detail's own error says what broke.
    }
  }

  async loadPeople(force = false): Promise<void> {
    if (!this.#api || (this.#peopleLoaded && !force)) return;
    try {
      this.people = await this.#api.call('people.list', {});
      this.#peopleLoaded = true;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  async loadMine(): Promise<void> {
    if (!this.#api) return;
    try {
      this.mine = (await this.#api.call('assignments.list', {})).items;
    } catch {
      // "Assegnati a me" shows what it knew; the next change reads again.
    }
  }

  /** The ids of one kind assigned to the signed-in person. */
  mineIds(kind: SubjectKind): ReadonlySet<number> {
    return new Set(this.mine.filter((a) => a.subject.kind === kind).map((a) => a.subject.id));
  }

  /** Assigns the subject (null: nobody); false with `error` set when refused. */
  async set(s: Subject, userId: number | null): Promise<boolean> {
    if (!this.#api) return false;
    this.busy = keyOf(s);
    this.error = null;
    try {
      const { assignment } = await this.#api.call('assignments.set', { subject: s.kind, id: s.id, userId });
      this.#remember(s, assignment);
      return true;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return false;
    } finally {
      this.busy = null;
    }
  }

  #remember(s: Subject, a: Assignment | null): void {
    const next = new Map(this.#known);
    next.set(keyOf(s), a);
    this.#known = next;
  }

  dispose(): void {
    this.#off?.();
    this.#off = null;
    this.#api = null;
    this.#known = new Map();
    this.mine = [];
    this.people = [];
    this.#peopleLoaded = false;
  }
}

export const assignments = new AssignmentsStore();
