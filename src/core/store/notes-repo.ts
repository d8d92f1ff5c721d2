// SQL of internal notes (one thread per mention or moment, the notes under it), of each
// person's read state of the inbox, and of the active people a note may name.
import type { Note, NotePerson, NoteSubject, SeenBy } from '../../shared/ops/notes';
import type { Db } from './db';

interface NoteRow {
  id: number;
  subject_kind: 'mention' | 'moment';
  subject_id: number;
  author_id: number | null;
  author_username: string;
  author_name: string;
  body: string;
  mentioned: string;
  created_at: number;
}

export interface MomentThreadRow {
  id: number;
  moment_id: number;
  anchor: string;
}

export interface NewNote {
  authorId: number | null;
  authorUsername: string;
  authorName: string;
  text: string;
  mentioned: readonly NotePerson[];
  at: number;
}

function parsePeople(s: string): NotePerson[] {
  try {
    const v: unknown = JSON.parse(s);
    if (!Array.isArray(v)) return [];
    return v.flatMap((p: unknown) => {
      if (typeof p !== 'object' || p === null) return [];
      const { id, username, displayName } = p as Record<string, unknown>;
      return typeof id === 'number' && typeof username === 'string' && typeof displayName === 'string' ? [{ id, username, displayName }] : [];
    });
  } catch {
    return [];
  }
}

function toNote(r: NoteRow): Note {
  return {
    id: r.id,
    subject: { kind: r.subject_kind, id: r.subject_id },
    authorId: r.author_id ?? 0,
    authorUsername: r.author_username,
    authorName: r.author_name,
    text: r.body,
    mentioned: parsePeople(r.mentioned),
    createdAt: r.created_at,
  };
}

const SELECT_NOTE = `
  SELECT n.id, t.subject_kind, t.subject_id, n.author_id, n.author_username, n.author_name, n.body, n.mentioned, n.created_at
  FROM notes n JOIN note_threads t ON t.id = n.thread_id`;

export class NotesRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      thread: db.prepare<[string, number], { id: number }>('SELECT id FROM note_threads WHERE subject_kind = ? AND subject_id = ?'),
      newThread: db.prepare<[string, number, string | null], { id: number }>('INSERT INTO note_threads (subject_kind, subject_id, anchor) VALUES (?, ?, ?) RETURNING id'),
      insert: db.prepare<[number, number | null, string, string, string, string, number], { id: number }>(
        'INSERT INTO notes (thread_id, author_id, author_username, author_name, body, mentioned, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      ),
      list: db.prepare<[string, number], NoteRow>(`${SELECT_NOTE} WHERE t.subject_kind = ? AND t.subject_id = ? ORDER BY n.id`),
      byId: db.prepare<[number], NoteRow>(`${SELECT_NOTE} WHERE n.id = ?`),
      remove: db.prepare<[number]>('DELETE FROM notes WHERE id = ?'),
      momentThreads: db.prepare<[], MomentThreadRow>(`SELECT id, subject_id AS moment_id, anchor FROM note_threads WHERE subject_kind = 'moment' AND subject_id IS NOT NULL`),
      unhookMoment: db.prepare<[number]>(`UPDATE note_threads SET subject_id = NULL WHERE subject_kind = 'moment' AND subject_id = ?`),
      hookMoment: db.prepare<[number, string, number]>(`UPDATE note_threads SET subject_id = ?, anchor = ? WHERE id = ?`),
      mentionExists: db.prepare<[number], { x: number }>('SELECT 1 AS x FROM mentions WHERE id = ?'),
      people: db.prepare<[], { id: number; username: string; display_name: string }>('SELECT id, username, display_name FROM users WHERE disabled = 0 ORDER BY display_name COLLATE NOCASE, username'),

      markRead: db.prepare<[number, number, number]>('INSERT OR IGNORE INTO mention_reads (user_id, mention_id, read_at) SELECT ?, id, ? FROM mentions WHERE id = ?'),
      markUnread: db.prepare<[number, number]>('DELETE FROM mention_reads WHERE user_id = ? AND mention_id = ?'),
      readAmong: db.prepare<[number, string], { mention_id: number }>(
        'SELECT mention_id FROM mention_reads WHERE user_id = ? AND mention_id IN (SELECT value FROM json_each(?))',
      ),
      // Kept by triggers (migration 022): one row, whatever the person has read.
      readCount: db.prepare<[number], { n: number }>('SELECT n FROM mention_read_counts WHERE user_id = ?'),
      mentionCount: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM mentions'),
      seenBy: db.prepare<[number], { user_id: number; display_name: string; read_at: number }>(
        `SELECT r.user_id, u.display_name, r.read_at FROM mention_reads r JOIN users u ON u.id = r.user_id
         WHERE r.mention_id = ? ORDER BY r.read_at, r.user_id`,
      ),
    };
  }

  /** A subject's notes, oldest first. */
  list(subject: NoteSubject): Note[] {
    return this.s.list.all(subject.kind, subject.id).map(toNote);
  }

  byId(id: number): Note | null {
    const r = this.s.byId.get(id);
    return r ? toNote(r) : null;
  }

  /** Adds a note, opening the subject's thread the first time (`anchor`: a moment's). */
  add(subject: NoteSubject, anchor: string | null, n: NewNote): Note {
    return this.db.transaction(() => {
      const thread = this.s.thread.get(subject.kind, subject.id)?.id ?? this.s.newThread.get(subject.kind, subject.id, anchor)!.id;
      const { id } = this.s.insert.get(thread, n.authorId, n.authorUsername, n.authorName, n.text, JSON.stringify(n.mentioned), n.at)!;
      return this.byId(id)!;
    })();
  }

  remove(id: number): void {
    this.s.remove.run(id);
  }

  mentionExists(id: number): boolean {
    return this.s.mentionExists.get(id) !== undefined;
  }

  /** Runs fn in one transaction (a rebuild's re-attachment moves threads together). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Threads of moments (for the re-attachment after a rebuild). */
  momentThreads(): MomentThreadRow[] {
    return this.s.momentThreads.all();
  }

  /** Unhooks a moment's thread from its number (a rebuild's re-attachment moves it next). */
  unhookMoment(momentId: number): void {
    this.s.unhookMoment.run(momentId);
  }

  hookMoment(threadId: number, momentId: number, anchor: string): void {
    this.s.hookMoment.run(momentId, anchor, threadId);
  }

  /** The people a note may name: everyone not disabled. */
  people(): NotePerson[] {
    return this.s.people.all().map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }));
  }

  /**
   * Marks mentions read or unread for one person; returns the ids whose state changed (a
   * mention already read, or deleted meanwhile, changes nothing).
   */
  mark(userId: number, ids: readonly number[], read: boolean, at: number): number[] {
    return this.db.transaction(() => ids.filter((id) => (read ? this.s.markRead.run(userId, at, id) : this.s.markUnread.run(userId, id)).changes > 0))();
  }

  /** Which of these mentions the person has read. */
  readAmong(userId: number, ids: readonly number[]): number[] {
    if (ids.length === 0) return [];
    return this.s.readAmong.all(userId, JSON.stringify(ids)).map((r) => r.mention_id);
  }

  /** Mentions the person has not opened: every mention but their read ones. */
  unreadCount(userId: number): number {
    const total = this.s.mentionCount.get()?.n ?? 0;
    const read = this.s.readCount.get(userId)?.n ?? 0;
    return Math.max(0, total - read);
  }

  seenBy(mentionId: number): SeenBy[] {
    return this.s.seenBy.all(mentionId).map((r) => ({ userId: r.user_id, displayName: r.display_name, at: r.read_at }));
  }
}
