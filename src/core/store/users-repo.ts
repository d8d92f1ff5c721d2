// People and their roles (users, user_roles) and their sessions (only token hashes are stored).
import { RoleSchema, type Role } from '../../shared/auth';
import type { Db } from './db';

export interface UserRecord {
  id: number;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  disabled: number;
  created_at: number;
  updated_at: number;
  roles: string | null;
}

const SELECT_USER = `
  SELECT u.*, (SELECT group_concat(role, ',') FROM user_roles r WHERE r.user_id = u.id) AS roles
  FROM users u`;

function toRecord(r: UserRow): UserRecord {
  const roles = (r.roles ?? '')
    .split(',')
    .map((x) => RoleSchema.safeParse(x))
    .flatMap((p) => (p.success ? [p.data] : []));
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    roles: roles.sort(),
    disabled: r.disabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class UsersRepo {
  private readonly countStmt;
  private readonly byNameStmt;
  private readonly byIdStmt;
  private readonly allStmt;
  private readonly insertStmt;
  private readonly insertRoleStmt;
  private readonly clearRolesStmt;
  private readonly updateStmt;
  private readonly setPasswordStmt;
  private readonly insertSessionStmt;
  private readonly sessionStmt;
  private readonly touchSessionStmt;
  private readonly deleteSessionStmt;
  private readonly deleteUserSessionsStmt;
  private readonly deleteExpiredStmt;
  private readonly createTx;
  private readonly setRolesTx;

  constructor(private readonly db: Db) {
    this.countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users');
    this.byNameStmt = db.prepare<[string], UserRow>(`${SELECT_USER} WHERE u.username = ?`);
    this.byIdStmt = db.prepare<[number], UserRow>(`${SELECT_USER} WHERE u.id = ?`);
    this.allStmt = db.prepare<[], UserRow>(`${SELECT_USER} ORDER BY u.username`);
    this.insertStmt = db.prepare<[string, string, string, number, number], { id: number }>(
      'INSERT INTO users (username, display_name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
    );
    this.insertRoleStmt = db.prepare<[number, string]>('INSERT OR IGNORE INTO user_roles (user_id, role) VALUES (?, ?)');
    this.clearRolesStmt = db.prepare<[number]>('DELETE FROM user_roles WHERE user_id = ?');
    this.updateStmt = db.prepare<[string, number, number, number]>('UPDATE users SET display_name = ?, disabled = ?, updated_at = ? WHERE id = ?');
    this.setPasswordStmt = db.prepare<[string, number, number]>('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?');
    this.insertSessionStmt = db.prepare<[string, number, number, number, number]>(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.sessionStmt = db.prepare<[string], { user_id: number; last_seen_at: number; expires_at: number }>(
      'SELECT user_id, last_seen_at, expires_at FROM sessions WHERE token_hash = ?',
    );
    this.touchSessionStmt = db.prepare<[number, string]>('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?');
    this.deleteSessionStmt = db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?');
    this.deleteUserSessionsStmt = db.prepare<[number, string | null]>('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?');
    this.deleteExpiredStmt = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');
    this.createTx = db.transaction((u: { username: string; displayName: string; passwordHash: string; roles: readonly Role[] }, now: number): number => {
      const row = this.insertStmt.get(u.username, u.displayName, u.passwordHash, now, now);
      if (!row) throw new Error('user not stored');
      for (const r of u.roles) this.insertRoleStmt.run(row.id, r);
      return row.id;
    });
    this.setRolesTx = db.transaction((id: number, roles: readonly Role[], now: number) => {
      this.clearRolesStmt.run(id);
      for (const r of roles) this.insertRoleStmt.run(id, r);
      this.db.prepare('UPDATE users SET updated_at = ? WHERE id = ?').run(now, id);
    });
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }

  byUsername(username: string): UserRecord | null {
    const r = this.byNameStmt.get(username);
    return r ? toRecord(r) : null;
  }

  byId(id: number): UserRecord | null {
    const r = this.byIdStmt.get(id);
    return r ? toRecord(r) : null;
  }

  all(): UserRecord[] {
    return this.allStmt.all().map(toRecord);
  }

  create(u: { username: string; displayName: string; passwordHash: string; roles: readonly Role[] }, now: number): number {
    return this.createTx(u, now);
  }

  /** Admins who can still sign in: the last one may not lose the role or be disabled. */
  activeAdmins(): number {
    return this.all().filter((u) => !u.disabled && u.roles.includes('admin')).length;
  }

  update(id: number, patch: { displayName: string; disabled: boolean }, now: number): void {
    this.updateStmt.run(patch.displayName, patch.disabled ? 1 : 0, now, id);
  }

  setRoles(id: number, roles: readonly Role[], now: number): void {
    this.setRolesTx(id, roles, now);
  }

  setPassword(id: number, passwordHash: string, now: number): void {
    this.setPasswordStmt.run(passwordHash, now, id);
  }

  // ── sessions ──
  insertSession(tokenHash: string, userId: number, now: number, expiresAt: number): void {
    this.deleteExpiredStmt.run(now);
    this.insertSessionStmt.run(tokenHash, userId, now, now, expiresAt);
  }

  session(tokenHash: string): { userId: number; lastSeenAt: number; expiresAt: number } | null {
    const r = this.sessionStmt.get(tokenHash);
    return r ? { userId: r.user_id, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at } : null;
  }

  touchSession(tokenHash: string, now: number): void {
    this.touchSessionStmt.run(now, tokenHash);
  }

  deleteSession(tokenHash: string): void {
    this.deleteSessionStmt.run(tokenHash);
  }

  deleteUser(id: number): void {
    this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
  }

  /** Every session of the person but `keep` (a token hash), if given; how many ended. */
  deleteUserSessions(userId: number, keep: string | null = null): number {
    return this.deleteUserSessionsStmt.run(userId, keep).changes;
  }
}
