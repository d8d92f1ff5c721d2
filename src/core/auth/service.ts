// People, passwords and sessions. Session tokens are 32 random bytes shown once to the
// client; only their SHA-256 is stored, looked up by hash (so comparison never runs on the
// secret itself), and they expire after SESSION_TTL_MS or SESSION_IDLE_MS without use.
import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from '../../shared/contract';
import type { Actor, Role, SessionGrant, User } from '../../shared/auth';
import { noteAudit, skipAudit } from '../api/call-scope';
import type { AuditService } from '../audit';
import type { UserRecord, UsersRepo } from '../store/users-repo';
import { dummyHash, hashPassword, verifyPassword } from './password';

export const SESSION_TTL_MS = 24 * 60 * 60_000;
export const SESSION_IDLE_MS = 8 * 60 * 60_000;
/** lastSeen is written at most this often: one write per call would be wasteful. */
const TOUCH_EVERY_MS = 60_000;

/** Failed sign-ins allowed before waiting; then the wait doubles at each failure. */
export const FREE_FAILURES = 5;
/**
 * The same from one network address, whatever names it tries: someone guessing one password
 * across many accounts is slowed too. Higher, since one office may sit behind one address.
 */
export const FREE_ADDRESS_FAILURES = 20;
export const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function toActor(u: Pick<UserRecord, 'id' | 'username' | 'displayName' | 'roles'>): Actor {
  return { userId: u.id, username: u.username, displayName: u.displayName, roles: [...u.roles] };
}

interface Failures {
  count: number;
  until: number;
  /** When the last failure was: a quiet spell longer than the longest wait starts afresh. */
  last: number;
}

export interface AuthServiceDeps {
  users: UsersRepo;
  audit: AuditService;
  now: () => number;
  /**
   * The ids of the people the demo created (app/demo-workspace.ts): the only ones a one-click
   * sign-in opens. Empty, or absent, outside a demo workspace.
   */
  demoPeople?: () => readonly number[];
}

export class AuthService {
  private readonly failures = new Map<string, Failures>();
  /** Told when sessions end by someone's act (sign-out, "esci ovunque", a person disabled). */
  private readonly endedListeners = new Set<() => void>();

  constructor(private readonly deps: AuthServiceDeps) {}

  needsSetup(): boolean {
    return this.deps.users.count() === 0;
  }

  /** The person behind a session token, or null (unknown, expired, idle too long, disabled). */
  resolve(token: string): Actor | null {
    return this.check(token, true);
  }

  /**
   * The same, without counting as use: an open event socket re-checks its session this way,
   * so a page left open does not keep its session from going idle.
   */
  peek(token: string): Actor | null {
    return this.check(token, false);
  }

  /** Listens for sessions ended by someone's act; returns how to stop listening. */
  onSessionsEnded(listener: () => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  private sessionsEnded(): void {
    for (const l of this.endedListeners) l();
  }

  private check(token: string, use: boolean): Actor | null {
    const hash = tokenHash(token);
    const s = this.deps.users.session(hash);
    if (!s) return null;
    const now = this.deps.now();
    if (s.expiresAt <= now || now - s.lastSeenAt > SESSION_IDLE_MS) {
      this.deps.users.deleteSession(hash);
      return null;
    }
    const user = this.deps.users.byId(s.userId);
    if (!user || user.disabled) return null;
    if (use && now - s.lastSeenAt > TOUCH_EVERY_MS) this.deps.users.touchSession(hash, now);
    return toActor(user);
  }

  /** First run: the first person, an administrator, created by whoever opens Vedetta first. */
  async setup(input: { username: string; displayName: string; password: string }): Promise<SessionGrant> {
    if (!this.needsSetup()) throw new ApiError('auth.adminExists');
    const passwordHash = await hashPassword(input.password);
    // Re-checked after the await: two first-run forms submitted together make one admin.
    if (!this.needsSetup()) throw new ApiError('auth.adminExists');
    const id = this.deps.users.create({ username: input.username, displayName: input.displayName, passwordHash, roles: ['admin'] }, this.deps.now());
    const actor = toActor({ id, username: input.username, displayName: input.displayName, roles: ['admin'] });
    return this.grant(actor);
  }

  /** `address`: where the attempt comes from (the server's peer), when an adapter knows it. */
  async signIn(input: { username: string; password: string }, address: string | null = null): Promise<SessionGrant> {
    const key = input.username.toLowerCase();
    const from = address ? `@${address}` : null;
    if (from) this.assertNotThrottled(from);
    this.assertNotThrottled(key);
    const user = this.deps.users.byUsername(key);
    // Unknown names cost a hash too, so timing does not tell which names exist.
    const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok || user.disabled) {
      this.noteFailure(key, FREE_FAILURES);
      if (from) this.noteFailure(from, FREE_ADDRESS_FAILURES);
      if (user) noteAudit({ action: 'auth.signIn.failed', actor: toActor(user), subject: `user:${user.username}`, detail: { reason: user.disabled && ok ? 'disabled' : 'password' } });
      if (user?.disabled && ok) throw new ApiError('auth.accountDisabled');
      throw new ApiError('auth.badCredentials');
    }
    this.failures.delete(key);
    const actor = toActor(user);
    return this.grant(actor);
  }

  /** The demo's people still enabled, for the sign-in screen's list (empty outside a demo). */
  demoPeople(): { username: string; displayName: string; roles: Role[] }[] {
    const ids = this.deps.demoPeople?.() ?? [];
    return ids
      .map((id) => this.deps.users.byId(id))
      .filter((u): u is UserRecord => u !== null && !u.disabled)
      .map((u) => ({ username: u.username, displayName: u.displayName, roles: [...u.roles] }));
  }

  /**
   * One click on a demo person: no password, so only the people the demo created, while they
   * are enabled. Anyone else (the workspace's own administrator included) is refused.
   */
  demoSignIn(username: string): SessionGrant {
    const user = this.deps.users.byUsername(username.toLowerCase());
    const ids = this.deps.demoPeople?.() ?? [];
    if (!user || user.disabled || !ids.includes(user.id)) throw new ApiError('auth.notDemoPerson');
    return this.grant(toActor(user));
  }

  /** Unlock after inactivity: the same session, after the person proves it is them. */
  async verify(actor: Actor, password: string): Promise<void> {
    const key = actor.username.toLowerCase();
    this.assertNotThrottled(key);
    const user = this.deps.users.byId(actor.userId);
    const ok = user ? await verifyPassword(password, user.passwordHash) : false;
    if (!ok || !user || user.disabled) {
      this.noteFailure(key, FREE_FAILURES);
      noteAudit({ action: 'auth.unlock.failed', subject: `user:${actor.username}` });
      throw new ApiError('auth.wrongPassword');
    }
    this.failures.delete(key);
  }

  signOut(token: string | null | undefined): void {
    if (!token) return;
    this.deps.users.deleteSession(tokenHash(token));
    this.sessionsEnded();
  }

  /** Creates a person (admin UI and `vedetta users add`, both through the dispatcher, which audits it). */
  async createUser(input: { username: string; displayName: string; password: string; roles: readonly Role[] }): Promise<User> {
    if (this.deps.users.byUsername(input.username)) throw new ApiError('users.usernameTaken', { username: input.username });
    const passwordHash = await hashPassword(input.password);
    if (this.deps.users.byUsername(input.username)) throw new ApiError('users.usernameTaken', { username: input.username });
    const id = this.deps.users.create({ ...input, passwordHash }, this.deps.now());
    return this.view(this.mustGet(id));
  }

  /** Name, roles, disabled: the last active administrator keeps the role and stays enabled. */
  updateUser(input: { id: number; displayName?: string | undefined; roles?: readonly Role[] | undefined; disabled?: boolean | undefined }): User {
    const u = this.mustGet(input.id);
    const roles = input.roles ? [...new Set(input.roles)].sort() : u.roles;
    const disabled = input.disabled ?? u.disabled;
    const stillAdmin = roles.includes('admin') && !disabled;
    if (u.roles.includes('admin') && !u.disabled && !stillAdmin && this.deps.users.activeAdmins() <= 1) {
      throw new ApiError('users.lastAdmin', { name: u.displayName });
    }
    const now = this.deps.now();
    const displayName = input.displayName ?? u.displayName;
    if (displayName !== u.displayName || disabled !== u.disabled) this.deps.users.update(u.id, { displayName, disabled }, now);
    const rolesChanged = roles.join(',') !== [...u.roles].sort().join(',');
    if (rolesChanged) this.deps.users.setRoles(u.id, roles, now);
    // A disabled person is signed out everywhere at once.
    if (disabled && !u.disabled) {
      this.deps.users.deleteUserSessions(u.id);
      this.sessionsEnded();
    }
    const detail: Record<string, unknown> = {};
    if (displayName !== u.displayName) detail.displayName = { from: u.displayName, to: displayName };
    if (rolesChanged) detail.roles = { from: u.roles, to: roles };
    if (disabled !== u.disabled) detail.disabled = disabled;
    if (Object.keys(detail).length > 0) {
      const action = rolesChanged && Object.keys(detail).length === 1 ? 'users.roles' : disabled !== u.disabled && Object.keys(detail).length === 1 ? (disabled ? 'users.disable' : 'users.enable') : 'users.update';
      noteAudit({ action, detail });
    } else {
      skipAudit();
    }
    return this.view(this.mustGet(u.id));
  }

  async resetPassword(by: Actor, id: number, password: string): Promise<User> {
    const u = this.mustGet(id);
    const hash = await hashPassword(password);
    this.deps.users.setPassword(u.id, hash, this.deps.now());
    // Whoever knew the old password is signed out (the admin resetting their own stays in).
    if (by.userId !== u.id) {
      this.deps.users.deleteUserSessions(u.id);
      this.sessionsEnded();
    }
    this.failures.delete(u.username.toLowerCase());
    return this.view(this.mustGet(u.id));
  }

  /**
   * Ends every session of the person; on oneself, every one but the session asking (the
   * administrator stays signed in where they are). How many ended.
   */
  signOutEverywhere(by: Actor, id: number, current: string | null): { ended: number } {
    const u = this.mustGet(id);
    const keep = by.userId === u.id && current ? tokenHash(current) : null;
    const ended = this.deps.users.deleteUserSessions(u.id, keep);
    this.sessionsEnded();
    noteAudit({ subject: `user:${u.username}` });
    return { ended };
  }

  /** Only people who never acted: anyone in the audit stays, disabled, so the log keeps its names. */
  deleteUser(by: Actor, id: number): void {
    const u = this.mustGet(id);
    if (u.id === by.userId) throw new ApiError('users.deleteSelf');
    if (this.deps.audit.mentionsUser(u.id)) {
      throw new ApiError('users.inAudit', { name: u.displayName });
    }
    if (u.roles.includes('admin') && !u.disabled && this.deps.users.activeAdmins() <= 1) {
      throw new ApiError('users.lastAdminDelete', { name: u.displayName });
    }
    this.deps.users.deleteUser(u.id);
    noteAudit({ subject: `user:${u.username}`, detail: { displayName: u.displayName, roles: u.roles } });
  }

  list(): User[] {
    return this.deps.users.all().map((u) => this.view(u));
  }

  view(u: UserRecord): User {
    return {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      roles: [...u.roles],
      disabled: u.disabled,
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
      audited: this.deps.audit.mentionsUser(u.id),
    };
  }

  mustGet(id: number): UserRecord {
    const u = this.deps.users.byId(id);
    if (!u) throw new ApiError('users.notFound', { id });
    return u;
  }

  private grant(actor: Actor): SessionGrant {
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.now();
    const expiresAt = now + SESSION_TTL_MS;
    this.deps.users.insertSession(tokenHash(token), actor.userId, now, expiresAt);
    return { token, actor, expiresAt };
  }

  private assertNotThrottled(key: string): void {
    const f = this.failures.get(key);
    const now = this.deps.now();
    if (f && f.until > now) {
      const s = Math.ceil((f.until - now) / 1000);
      throw new ApiError('auth.throttled', { seconds: s });
    }
  }

  private noteFailure(key: string, free: number): void {
    const now = this.deps.now();
    const seen = this.failures.get(key);
    // An address's failures do not end at a success (one good account would reset them).
    const f = seen && now - seen.last <= MAX_WAIT_MS ? seen : { count: 0, until: 0, last: now };
    f.count++;
    f.last = now;
    if (f.count >= free) {
      const wait = Math.min(FIRST_WAIT_MS * 2 ** (f.count - free), MAX_WAIT_MS);
      f.until = now + wait;
    }
    this.failures.delete(key);
    this.failures.set(key, f);
    // Bounded: a flood of made-up names cannot grow the map without end.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }
}
