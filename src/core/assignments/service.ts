// Assignment: one person in charge of a mention, a moment or a response. Setting it tells the
// new assignee (an in-app notification, and the desktop's system notification through
// notifications.changed), announces assignments.changed to open screens, and leaves the audit
// row to the op's declaration (written under the signed-in person, with what this service
// notes: who it went to and who had it before).
import type { Actor } from '../../shared/auth';
import { ApiError } from '../../shared/contract';
import type { Assignment } from '../../shared/ops/assignments';
import { ASSIGNMENTS_MINE_MAX } from '../../shared/ops/assignments';
import type { PersonRef, Subject, SubjectKind } from '../../shared/ops/notifications';
import { noteAudit, skipAudit } from '../api/call-scope';
import type { EventBus } from '../api/events';
import type { NotificationsService } from '../notifications';
import type { AssignmentsRepo } from '../store/assignments-repo';

export interface AssignmentsDeps {
  repo: AssignmentsRepo;
  notifications: NotificationsService;
  events: EventBus;
  now: () => number;
}

export class AssignmentsService {
  constructor(private readonly deps: AssignmentsDeps) {}

  get(subject: Subject): Assignment | null {
    return this.deps.repo.get(subject.kind, subject.id);
  }

  /** The subject's assignee becomes userId (null: nobody). A repeated click changes nothing and writes nothing. */
  set(by: Actor, subject: Subject, userId: number | null): Assignment | null {
    if (!this.deps.notifications.subjectExists(subject)) throw new ApiError('assignments.subjectNotFound', { id: subject.id });
    const before = this.deps.repo.get(subject.kind, subject.id);
    if ((before?.assignee.id ?? null) === userId) {
      skipAudit();
      return before;
    }
    if (userId === null) {
      this.deps.repo.clear(subject.kind, subject.id);
      noteAudit({ detail: { prima: before?.assignee.displayName ?? null } });
      this.deps.events.emit('assignments.changed', { subject, userId: null });
      return null;
    }
    const person = this.deps.repo.person(userId);
    if (!person) throw new ApiError('users.notFound', { id: userId });
    // Only someone who may work the item can be put in charge of it.
    if (person.disabled || !person.canAct) throw new ApiError('assignments.badAssignee', { name: person.displayName });
    this.deps.repo.set(subject.kind, subject.id, userId, by.userId, this.deps.now());
    noteAudit({ detail: { a: person.displayName, prima: before?.assignee.displayName ?? null } });
    this.deps.notifications.notify({ to: [userId], kind: 'assigned', subject, by });
    this.deps.events.emit('assignments.changed', { subject, userId });
    return this.deps.repo.get(subject.kind, subject.id);
  }

  /**
   * A bulk action's assignments of mentions, in the caller's transaction: each mention's
   * assignee before, for those that changed. Every person named is checked first, so a bad
   * one refuses the whole action. Each new assignee is told once (about the first of their
   * mentions: a bell entry per row would bury everything else); open screens hear of each.
   */
  setMentions(by: Actor, items: readonly { id: number; userId: number | null }[]): { id: number; userId: number | null }[] {
    for (const userId of new Set(items.map((i) => i.userId))) {
      if (userId === null) continue;
      const person = this.deps.repo.person(userId);
      if (!person) throw new ApiError('users.notFound', { id: userId });
      if (person.disabled || !person.canAct) throw new ApiError('assignments.badAssignee', { name: person.displayName });
    }
    const previous: { id: number; userId: number | null }[] = [];
    const told = new Set<number>();
    const at = this.deps.now();
    for (const { id, userId } of items) {
      const before = this.deps.repo.get('mention', id)?.assignee.id ?? null;
      if (before === userId) continue;
      if (userId === null) this.deps.repo.clear('mention', id);
      else this.deps.repo.set('mention', id, userId, by.userId, at);
      previous.push({ id, userId: before });
      if (userId !== null && !told.has(userId)) {
        told.add(userId);
        this.deps.notifications.notify({ to: [userId], kind: 'assigned', subject: { kind: 'mention', id }, by });
      }
    }
    const to = new Map(items.map((i) => [i.id, i.userId]));
    for (const p of previous) this.deps.events.emit('assignments.changed', { subject: { kind: 'mention', id: p.id }, userId: to.get(p.id) ?? null });
    return previous;
  }

  /** What is assigned to a person, newest first. */
  mine(userId: number, kind: SubjectKind | null): Assignment[] {
    return this.deps.repo.mine(userId, kind, ASSIGNMENTS_MINE_MAX);
  }

  people(): PersonRef[] {
    return this.deps.repo.people();
  }
}
