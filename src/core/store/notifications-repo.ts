// The notifications' table (migration 020): each person's own, newest first. Also where a
// subject's title is read for a notification (a mention's first words, a moment's or a
// response's title), since the store is the one place that knows those tables.
import type { Notification, NotificationKind, Subject, SubjectKind } from '../../shared/ops/notifications';
import type { Db } from './db';

interface NotificationRow {
  id: number;
  kind: NotificationKind;
  subject_kind: SubjectKind;
  subject_id: number;
  title: string | null;
  actor_id: number;
  actor_name: string | null;
  created_at: number;
  read_at: number | null;
}

const SELECT =
  'SELECT n.id, n.kind, n.subject_kind, n.subject_id, n.title, n.actor_id, u.display_name AS actor_name, n.created_at, n.read_at ' +
  'FROM notifications n LEFT JOIN users u ON u.id = n.actor_id';

function toNotification(r: NotificationRow): Notification {
  return {
    id: r.id,
    kind: r.kind,
    subject: { kind: r.subject_kind, id: r.subject_id },
    title: r.title,
    // A removed person (or the system) has no name here: the UI words it ("qualcuno").
    by: { id: r.actor_id, displayName: r.actor_name ?? '' },
    at: r.created_at,
    read: r.read_at !== null,
  };
}

/** The longest title kept: the panel shows one line of it. */
export const TITLE_MAX = 120;

export interface NewNotification {
  userId: number;
  kind: NotificationKind;
  subject: Subject;
  title: string | null;
  actorId: number;
}

export class NotificationsRepo {
  /** Prepared once: every client asks its count at start and after each change. */
  private readonly unreadStmt;

  constructor(private readonly db: Db) {
    this.unreadStmt = db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL');
  }

  insert(rows: readonly NewNotification[], at: number): number[] {
    const stmt = this.db.prepare<[number, string, string, number, string | null, number, number], { id: number }>(
      'INSERT INTO notifications (user_id, kind, subject_kind, subject_id, title, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
    );
    return this.db.transaction(() => rows.map((r) => stmt.get(r.userId, r.kind, r.subject.kind, r.subject.id, r.title, r.actorId, at)!.id))();
  }

  /** One person's, newest first. */
  list(userId: number, limit: number): Notification[] {
    return this.db.prepare<[number, number], NotificationRow>(`${SELECT} WHERE n.user_id = ? ORDER BY n.id DESC LIMIT ?`).all(userId, limit).map(toNotification);
  }

  /** One person's unread ones newer than an id, oldest first (the desktop's system notifications). */
  unreadAfter(userId: number, afterId: number, limit: number): Notification[] {
    return this.db
      .prepare<[number, number, number], NotificationRow>(`${SELECT} WHERE n.user_id = ? AND n.id > ? AND n.read_at IS NULL ORDER BY n.id LIMIT ?`)
      .all(userId, afterId, limit)
      .map(toNotification);
  }

  /** The newest notification's id (0 when none): where a desktop starts counting new ones. */
  lastId(): number {
    return this.db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM notifications').get()?.id ?? 0;
  }

  unread(userId: number): number {
    return this.unreadStmt.get(userId)?.n ?? 0;
  }

  /** Read by its recipient only: false when it is not theirs or was already read. */
  markRead(userId: number, id: number, at: number): boolean {
    return this.db.prepare<[number, number, number]>('UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL').run(at, id, userId).changes > 0;
  }

  exists(userId: number, id: number): boolean {
    return this.db.prepare<[number, number]>('SELECT 1 FROM notifications WHERE id = ? AND user_id = ?').get(id, userId) !== undefined;
  }

  markAllRead(userId: number, at: number): number {
    return this.db.prepare<[number, number]>('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(at, userId).changes;
  }

  /**
   * The subject's title as a notification shows it, or undefined when the subject does not
   * exist (callers refuse to notify about nothing).
   */
  subjectTitle(s: Subject): string | null | undefined {
    const sql: Record<SubjectKind, string> = {
      // A post's title when it has one, else its first words.
      mention: `SELECT coalesce(nullif(trim(title), ''), substr(text, 1, ${TITLE_MAX})) AS title FROM mentions WHERE id = ?`,
      moment: 'SELECT title FROM moments WHERE id = ?',
      response: 'SELECT target_title AS title FROM responses WHERE id = ?',
    };
    const r = this.db.prepare<[number], { title: string | null }>(sql[s.kind]).get(s.id);
    if (!r) return undefined;
    return r.title === null ? null : r.title.replace(/\s+/g, ' ').trim().slice(0, TITLE_MAX);
  }
}
