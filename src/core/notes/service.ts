// Internal notes on mentions and moments, and who has read which mention.
//
// A note's author is the caller's session (CallContext.actor), never a name the client sends.
// Its @names are resolved here against the active people; the named colleagues are notified
// through the one notification module (notifyNamed below), never by a system of our own.
// Notes are internal: nothing here publishes or sends a note anywhere.
//
// Read state is per person. Opening mentions quickly (j/k through the inbox) must not flood
// every client with events: the changes of a burst are gathered and sent as one
// reads.changed after `coalesceMs`.
import { createHash } from 'node:crypto';
import type { Actor } from '../../shared/auth';
import { ApiError } from '../../shared/contract';
import type { Note, NotePerson, NoteSubject, SeenBy } from '../../shared/ops/notes';
import { noteAudit } from '../api/call-scope';
import type { EventBus } from '../api/events';
import { anchorOf, reattachByAnchor, type MomentsService } from '../moments';
import type { NotesRepo } from '../store/notes-repo';
import { namedPeople } from './at-names';

/** What the notification module is told when a note names people (its `notify` call). */
export interface NotedNotice {
  to: number[];
  kind: 'noted';
  subject: NoteSubject;
  by: Actor;
}

export interface NotesDeps {
  repo: NotesRepo;
  events: EventBus;
  moments: MomentsService;
  now: () => number;
  /** The notification module's call (app-impl wires it); absent in tests that do not need it. */
  notify?: (n: NotedNotice) => void;
  /** How long read-state changes are gathered before one reads.changed goes out. */
  coalesceMs?: number;
}

export function subjectKey(s: NoteSubject): string {
  return `${s.kind}:${s.id}`;
}

export class NotesService {
  private readonly unsubscribe: () => void;
  private readonly pendingIds = new Set<number>();
  private readonly pendingUsers = new Set<number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: NotesDeps) {
    // Subscribed before any adapter: a rebuilt moment shows its notes again before a client
    // re-reads it.
    this.unsubscribe = deps.moments.changes.on(({ rebuilt }) => {
      if (rebuilt) this.reattach();
    });
  }

  list(subject: NoteSubject): Note[] {
    this.assertSubject(subject);
    return this.deps.repo.list(subject);
  }

  add(subject: NoteSubject, text: string, by: Actor): Note {
    const anchor = this.assertSubject(subject);
    const named = namedPeople(text, this.deps.repo.people());
    const note = this.deps.repo.add(subject, anchor, {
      authorId: by.userId > 0 ? by.userId : null,
      authorUsername: by.username,
      authorName: by.displayName,
      text,
      mentioned: named,
      at: this.deps.now(),
    });
    // The text itself stays with the note (its author may delete it); the log keeps its hash.
    noteAudit({
      detail: { nota: note.id, caratteri: text.length, menzionati: named.map((p) => p.username) },
      contentHash: createHash('sha256').update(text).digest('hex'),
    });
    this.deps.events.emit('notes.changed', { subject });
    this.notifyNamed(subject, named, by);
    return note;
  }

  /** Only the author removes a note. */
  remove(id: number, by: Actor): void {
    const note = this.deps.repo.byId(id);
    if (!note) throw new ApiError('notes.notFound', { id });
    noteAudit({ subject: subjectKey(note.subject), detail: { nota: id, autore: note.authorUsername } });
    if (by.userId === 0 || note.authorId !== by.userId) throw new ApiError('notes.notAuthor', { id });
    this.deps.repo.remove(id);
    this.deps.events.emit('notes.changed', { subject: note.subject });
  }

  people(): NotePerson[] {
    return this.deps.repo.people();
  }

  /** The caller's read marks among `ids`, and how many mentions they have not opened. */
  readState(ids: readonly number[], by: Actor): { read: number[]; unread: number } {
    if (by.userId === 0) return { read: [], unread: 0 };
    return { read: this.deps.repo.readAmong(by.userId, ids), unread: this.deps.repo.unreadCount(by.userId) };
  }

  /** Marks mentions read (opened) or unread again for the caller; their unread count after. */
  mark(ids: readonly number[], read: boolean, by: Actor): { unread: number } {
    // The system actor has no inbox of its own.
    if (by.userId === 0) return { unread: 0 };
    const changed = this.deps.repo.mark(by.userId, ids, read, this.deps.now());
    if (changed.length > 0) {
      for (const id of changed) this.pendingIds.add(id);
      this.pendingUsers.add(by.userId);
      this.scheduleFlush();
    }
    return { unread: this.deps.repo.unreadCount(by.userId) };
  }

  seenBy(mentionId: number): SeenBy[] {
    return this.deps.repo.seenBy(mentionId);
  }

  /** Sends the gathered read-state changes now (at stop, or for a test). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingIds.size === 0 && this.pendingUsers.size === 0) return;
    const ids = [...this.pendingIds];
    const userIds = [...this.pendingUsers];
    this.pendingIds.clear();
    this.pendingUsers.clear();
    this.deps.events.emit('reads.changed', { ids, userIds });
  }

  stop(): void {
    this.unsubscribe();
    this.flush();
  }

  /**
   * THE place where a note's named colleagues are notified: one call to the notification
   * module (kind 'noted'), for everyone named but the author.
   */
  private notifyNamed(subject: NoteSubject, named: readonly NotePerson[], by: Actor): void {
    const to = named.map((p) => p.id).filter((id) => id !== by.userId);
    if (to.length === 0 || !this.deps.notify) return;
    this.deps.notify({ to, kind: 'noted', subject, by });
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.deps.coalesceMs ?? 400);
    this.timer.unref();
  }

  /** The subject exists (else not found); a moment's anchor, to follow it across a rebuild. */
  private assertSubject(subject: NoteSubject): string | null {
    if (subject.kind === 'mention') {
      if (!this.deps.repo.mentionExists(subject.id)) throw new ApiError('mentions.notFound', { id: subject.id });
      return null;
    }
    const anchor = anchorOf(this.deps.moments.repo, subject.id);
    if (!anchor) throw new ApiError('moments.notFound', { id: subject.id });
    return JSON.stringify(anchor);
  }

  /** After a rebuild: each moment's thread follows its moment, re-anchored to its new opening. */
  private reattach(): void {
    const mrepo = this.deps.moments.repo;
    const repo = this.deps.repo;
    const threads = repo.momentThreads();
    if (threads.length === 0) return;
    repo.transaction(() => {
      reattachByAnchor(
        mrepo,
        threads,
        (id) => repo.unhookMoment(id),
        (to, t) => {
          const anchor = to > 0 ? anchorOf(mrepo, to) : null;
          repo.hookMoment(t.id, to, anchor ? JSON.stringify(anchor) : t.anchor);
        },
      );
    });
    // No notes.changed here: clients re-read an open moment on moments.changed (rebuilt).
  }
}
