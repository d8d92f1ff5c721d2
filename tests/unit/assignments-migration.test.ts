// Migration 020 on a database built by the real earlier migrations, with people and mentions in
// it: the new tables start empty, keep one assignee per subject, and the inbox's "assegnati a
// me" count reads the assignments index.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, migrations, schemaVersion, LATEST_SCHEMA_VERSION } from '../../src/core/store/migrations';
import { assignmentsNotifications } from '../../src/core/store/migrations/020_assignments_notifications';
import { AssignmentsRepo } from '../../src/core/store/assignments-repo';
import { NotificationsRepo } from '../../src/core/store/notifications-repo';
import { onClose, tempDir } from './support/core';

describe('migration 020 (assignments, notifications)', () => {
  it('adds the tables to a database of the previous version, its people and mentions untouched', () => {
    const db = new Database(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    const idx = migrations.indexOf(assignmentsNotifications);
    expect(idx).toBe(19);
    migrate(db, migrations.slice(0, idx));
    db.prepare(`INSERT INTO users (username, display_name, password_hash, created_at, updated_at) VALUES ('giulia', 'Giulia', 'x', 1, 1), ('ale', 'Ale', 'x', 1, 1)`).run();
    db.prepare(`INSERT INTO user_roles (user_id, role) VALUES (1, 'manager'), (2, 'analyst')`).run();
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(20);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);

    const repo = new AssignmentsRepo(db);
    expect(repo.people()).toEqual([{ id: 1, displayName: 'Giulia' }]);
    expect(repo.person(2)).toEqual({ id: 2, displayName: 'Ale', disabled: false, canAct: false });
    repo.set('mention', 5, 1, 1, 100);
    repo.set('mention', 5, 2, 1, 200);
    expect(repo.get('mention', 5)).toMatchObject({ assignee: { id: 2, displayName: 'Ale' }, at: 200 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM assignments').get()).toEqual({ n: 1 });
    expect(() => db.prepare(`INSERT INTO assignments VALUES ('post', 1, 1, 1, 1)`).run()).toThrow(/CHECK/);

    // The inbox's filter is answered from the index, never by scanning assignments.
    const plan = db
      .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN SELECT subject_id FROM assignments WHERE user_id = 2 AND subject_kind = 'mention'`)
      .all()
      .map((r) => r.detail)
      .join(' ');
    expect(plan).toMatch(/USING COVERING INDEX assignments_by_user/);

    const notes = new NotificationsRepo(db);
    expect(notes.subjectTitle({ kind: 'mention', id: 5 })).toBeUndefined();
    notes.insert([{ userId: 1, kind: 'assigned', subject: { kind: 'mention', id: 5 }, title: null, actorId: 2 }], 300);
    expect(notes.unread(1)).toBe(1);
    const countPlan = db.prepare<[], { detail: string }>('EXPLAIN QUERY PLAN SELECT COUNT(*) FROM notifications WHERE user_id = 1 AND read_at IS NULL').all();
    expect(countPlan.map((r) => r.detail).join(' ')).toMatch(/notifications_unread/);
  });
});
