// The notes of one subject (a mention or a moment) as a detail pane shows them, kept live:
// another person's note appears here as soon as it is written (notes.changed). One store per
// place that shows notes (the inbox's detail, the moment's), so each follows its own subject.
import type { VedettaApi } from '../../../shared/contract';
import type { Note, NotePerson, NoteSubject } from '../../../shared/ops/notes';
import { listen } from '../../lib/events';

type LoadState = 'idle' | 'loading' | 'ready' | 'error';

function sameSubject(a: NoteSubject | null, b: NoteSubject | null): boolean {
  return a !== null && b !== null && a.kind === b.kind && a.id === b.id;
}

export class NotesStore {
  subject = $state.raw<NoteSubject | null>(null);
  notes = $state.raw<Note[]>([]);
  state = $state<LoadState>('idle');
  error = $state<string | null>(null);
  /** Why the last note was not saved or removed: shown by the compose box, the text kept. */
  sendError = $state<string | null>(null);
  busy = $state(false);
  /** The active people, for the @ suggestions (read once, when the compose box is first used). */
  people = $state.raw<NotePerson[]>([]);

  #api: VedettaApi;
  #off: () => void;
  #gen = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #peopleAsked = false;

  constructor(api: VedettaApi) {
    this.#api = api;
    this.#off = listen(api, {
      'notes.changed': ({ subject }) => {
        if (sameSubject(subject, this.subject)) this.loadSoon();
      },
      // A rebuild renumbers moments: the notes follow their moment, so the open one re-reads.
      'moments.changed': ({ rebuilt }) => {
        if (rebuilt && this.subject?.kind === 'moment') this.loadSoon();
      },
    });
  }

  /** Follows this subject (null: none shown). */
  show(subject: NoteSubject | null): void {
    if (subject === null ? this.subject === null : sameSubject(subject, this.subject)) return;
    this.subject = subject;
    this.notes = [];
    this.sendError = null;
    this.state = 'idle';
    if (subject) void this.load();
  }

  async load(): Promise<void> {
    const subject = this.subject;
    if (!subject) return;
    const gen = ++this.#gen;
    if (this.state !== 'ready') this.state = 'loading';
    this.error = null;
    try {
      const res = await this.#api.call('notes.list', { subject });
      if (gen !== this.#gen) return;
      this.notes = res.notes;
      this.state = 'ready';
    } catch (e) {
      if (gen !== this.#gen) return;
      this.state = 'error';
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  /** load(), once for a burst of changes. */
  loadSoon(delay = 150): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.load();
    }, delay);
  }

  /** Saves a note on the current subject; true when saved (the box then empties). */
  async add(text: string): Promise<boolean> {
    const subject = this.subject;
    if (!subject || this.busy) return false;
    this.busy = true;
    this.sendError = null;
    try {
      const note = await this.#api.call('notes.add', { subject, text });
      if (sameSubject(subject, this.subject) && !this.notes.some((n) => n.id === note.id)) this.notes = [...this.notes, note];
      return true;
    } catch (e) {
      this.sendError = e instanceof Error ? e.message : String(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async remove(id: number): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.sendError = null;
    try {
      await this.#api.call('notes.remove', { id });
      this.notes = this.notes.filter((n) => n.id !== id);
    } catch (e) {
      this.sendError = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }

  /** The @ suggestions' people, read once. */
  async loadPeople(): Promise<void> {
    if (this.#peopleAsked) return;
    this.#peopleAsked = true;
    try {
      this.people = (await this.#api.call('notes.suggestions', {})).people;
    } catch {
      // Without suggestions a person still types @username.
      this.#peopleAsked = false;
    }
  }

  dispose(): void {
    this.#off();
    this.#gen++;
    if (this.#timer) clearTimeout(this.#timer);
  }
}
