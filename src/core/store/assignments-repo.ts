// The assignments' table (migration 020): one current assignee per mention, moment or
// response, and the people one may assign to.
import type { Assignment } from '../../shared/ops/assignments';
import type { PersonRef, SubjectKind } from '../../shared/ops/notifications';
import type { Db } from './db';

interface AssignmentRow {
  subject_kind: SubjectKind;
  subject_id: number;
  user_id: number;
  user_name: string | null;
  assigned_by: number;
  by_name: string | null;
  assigned_at: number;
}

const SELECT =
  'SELECT a.subject_kind, a.subject_id, a.user_id, u.display_name AS user_name, a.assigned_by, b.display_name AS by_name, a.assigned_at ' +
  'FROM assignments a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN users b ON b.id = a.assigned_by';

function toAssignment(r: AssignmentRow): Assignment {
  return {
    subject: { kind: r.subject_kind, id: r.subject_id },
    assignee: { id: r.user_id, displayName: r.user_name ?? '' },
    by: { id: r.assigned_by, displayName: r.by_name ?? '' },
    at: r.assigned_at,
  };
}

/** A person as the assignment rules need them. */
export interface Assignable {
  id: number;
  displayName: string;
  disabled: boolean;
  /** Holds a role other than analyst. */
  canAct: boolean;
}

export class AssignmentsRepo {
  constructor(private readonly db: Db) {}

  get(kind: SubjectKind, id: number): Assignment | null {
    const r = this.db.prepare<[string, number], AssignmentRow>(`${SELECT} WHERE a.subject_kind = ? AND a.subject_id = ?`).get(kind, id);
    return r ? toAssignment(r) : null;
  }

  set(kind: SubjectKind, id: number, userId: number, by: number, at: number): void {
    this.db
      .prepare<[string, number, number, number, number]>(
        'INSERT INTO assignments (subject_kind, subject_id, user_id, assigned_by, assigned_at) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT (subject_kind, subject_id) DO UPDATE SET user_id = excluded.user_id, assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at',
      )
      .run(kind, id, userId, by, at);
  }

  clear(kind: SubjectKind, id: number): boolean {
    return this.db.prepare<[string, number]>('DELETE FROM assignments WHERE subject_kind = ? AND subject_id = ?').run(kind, id).changes > 0;
  }

  /** One person's, newest assignment first. */
  mine(userId: number, kind: SubjectKind | null, limit: number): Assignment[] {
    if (kind === null) {
      return this.db.prepare<[number, number], AssignmentRow>(`${SELECT} WHERE a.user_id = ? ORDER BY a.assigned_at DESC LIMIT ?`).all(userId, limit).map(toAssignment);
    }
    return this.db
      .prepare<[number, string, number], AssignmentRow>(`${SELECT} WHERE a.user_id = ? AND a.subject_kind = ? ORDER BY a.assigned_at DESC LIMIT ?`)
      .all(userId, kind, limit)
      .map(toAssignment);
  }

  person(id: number): Assignable | null {
    const r = this.db
      .prepare<[number], { id: number; display_name: string; disabled: number; can_act: number }>(
        "SELECT u.id, u.display_name, u.disabled, EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role <> 'analyst') AS can_act FROM users u WHERE u.id = ?",
      )
      .get(id);
    return r ? { id: r.id, displayName: r.display_name, disabled: r.disabled === 1, canAct: r.can_act === 1 } : null;
  }

  /** Active people who may work an item, by name. */
  people(): PersonRef[] {
    return this.db
      .prepare<[], { id: number; display_name: string }>(
        "SELECT u.id, u.display_name FROM users u WHERE u.disabled = 0 AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role <> 'analyst') ORDER BY u.display_name COLLATE NOCASE, u.id",
      )
      .all()
      .map((r) => ({ id: r.id, displayName: r.display_name }));
  }
}
