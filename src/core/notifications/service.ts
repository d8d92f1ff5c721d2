// In-app notifications: one person's list of what colleagues did that concerns them.
//
// How another module uses it: take the service from the composition root (app-impl passes
// `notifications` to whoever needs it) and call
//
//   notifications.notify({ to: [userId, …], kind: 'noted', subject: { kind: 'mention', id }, by: actor });
//
// inside the op that caused it. `by` is who acted (an Actor fits); they are never notified of
// their own act, duplicates and the system (id 0) are dropped, and a subject that does not
// exist is refused (notify returns nothing). The title is read from the subject at that
// moment. The service writes the rows and emits `notifications.changed` with the recipients'
// ids: each client re-reads its bell when its person is among them, and the desktop app shows
// a system notification to its signed-in person (main/notify.ts).
import { ApiError } from '../../shared/contract';
import type { Notification, NotificationKind, Subject } from '../../shared/ops/notifications';
import type { EventBus } from '../api/events';
import type { NotificationsRepo } from '../store/notifications-repo';

export interface NotifyRequest {
  /** Recipients (user ids). */
  to: readonly number[];
  kind: NotificationKind;
  subject: Subject;
  /** Who caused it. */
  by: { userId: number };
}

export interface NotificationsDeps {
  repo: NotificationsRepo;
  events: EventBus;
  now: () => number;
}

export class NotificationsService {
  constructor(private readonly deps: NotificationsDeps) {}

  /** Writes one notification per recipient (the actor excepted); returns their ids. */
  notify(req: NotifyRequest): number[] {
    const to = [...new Set(req.to)].filter((id) => Number.isInteger(id) && id > 0 && id !== req.by.userId);
    if (to.length === 0) return [];
    const title = this.deps.repo.subjectTitle(req.subject);
    if (title === undefined) return [];
    const ids = this.deps.repo.insert(
      to.map((userId) => ({ userId, kind: req.kind, subject: req.subject, title, actorId: req.by.userId })),
      this.deps.now(),
    );
    this.deps.events.emit('notifications.changed', { userIds: to });
    return ids;
  }

  /** Whether a mention, moment or response of this id exists (callers refuse to act on nothing). */
  subjectExists(s: Subject): boolean {
    return this.deps.repo.subjectTitle(s) !== undefined;
  }

  list(userId: number, limit: number): { items: Notification[]; unread: number } {
    return { items: this.deps.repo.list(userId, limit), unread: this.deps.repo.unread(userId) };
  }

  unread(userId: number): { unread: number } {
    return { unread: this.deps.repo.unread(userId) };
  }

  /** Unread ones newer than an id, oldest first: what a desktop has not announced yet. */
  unreadAfter(userId: number, afterId: number, limit = 20): Notification[] {
    return this.deps.repo.unreadAfter(userId, afterId, limit);
  }

  lastId(): number {
    return this.deps.repo.lastId();
  }

  markRead(userId: number, id: number): { unread: number } {
    if (this.deps.repo.markRead(userId, id, this.deps.now())) this.deps.events.emit('notifications.changed', { userIds: [userId] });
    // Someone else's notification is not found rather than refused: its existence is theirs.
    else if (!this.deps.repo.exists(userId, id)) throw new ApiError('notifications.notFound', { id });
    return this.unread(userId);
  }

  markAllRead(userId: number): { unread: number } {
    if (this.deps.repo.markAllRead(userId, this.deps.now()) > 0) this.deps.events.emit('notifications.changed', { userIds: [userId] });
    return this.unread(userId);
  }
}
