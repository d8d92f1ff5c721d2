// People, passwords and sessions. Session tokens are 32 random bytes shown once to the
// client; only their SHA-256 is stored, looked up by hash (so comparison never runs on the
// secret itself), and they expire after SESSION_TTL_MS or SESSION_IDLE_MS without use.
import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from '../../shared/contract';
import type { Actor, Role, SessionGrant, User } from '../../shared/auth';
import type { AuditService } from '../audit/service';
import type { UserRecord, UsersRepo } from '../store/users-repo';
import { dummyHash, hashPassword, verifyPassword } from './password';

export const SESSION_TTL_MS = 24 * 60 * 60_000;
export const SESSION_IDLE_MS = 8 * 60 * 60_000;
/** lastSeen is written at most this often: one write per call would be wasteful. */
const TOUCH_EVERY_MS = 60_000;

/** Failed sign-ins allowed before waiting; then the wait doubles at each failure. */
export const FREE_FAILURES = 5;
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
}

export interface AuthServiceDeps {
  users: UsersRepo;
  audit: AuditService;
  now: () => number;
}

export class AuthService {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly deps: AuthServiceDeps) {}

  needsSetup(): boolean {
    return this.deps.users.count() === 0;
  }

  /** The person behind a session token, or null (unknown, expired, idle too long, disabled). */
  resolve(token: string): Actor | null {
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
    if (now - s.lastSeenAt > TOUCH_EVERY_MS) this.deps.users.touchSession(hash, now);
    return toActor(user);
  }

  /** First run: the first person, an administrator, created by whoever opens Vedetta first. */
  async setup(input: { username: string; displayName: string; password: string }): Promise<SessionGrant> {
    if (!this.needsSetup()) throw new ApiError('conflict', "L'amministratore esiste già: entra con nome utente e password.");
    const passwordHash = await hashPassword(input.password);
    // Re-checked after the await: two first-run forms submitted together make one admin.
    if (!this.needsSetup()) throw new ApiError('conflict', "L'amministratore esiste già: entra con nome utente e password.");
    const id = this.deps.users.create({ username: input.username, displayName: input.displayName, passwordHash, roles: ['admin'] }, this.deps.now());
    const actor = toActor({ id, username: input.username, displayName: input.displayName, roles: ['admin'] });
    this.deps.audit.record(actor, 'auth.setup', `user:${input.username}`, { roles: ['admin'] });
    return this.grant(actor);
  }

  async signIn(input: { username: string; password: string }): Promise<SessionGrant> {
    const key = input.username.toLowerCase();
    this.assertNotThrottled(key);
    const user = this.deps.users.byUsername(key);
    // Unknown names cost a hash too, so timing does not tell which names exist.
    const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok || user.disabled) {
      this.noteFailure(key);
      if (user) this.deps.audit.record(toActor(user), 'auth.signIn.failed', `user:${user.username}`, { reason: user.disabled && ok ? 'disabled' : 'password' });
      if (user?.disabled && ok) throw new ApiError('unauthorized', 'Questo account è disattivato: chiedi a un amministratore.');
      throw new ApiError('unauthorized', 'Nome utente o password non corretti.');
    }
    this.failures.delete(key);
    const actor = toActor(user);
    this.deps.audit.record(actor, 'auth.signIn', `user:${user.username}`);
    return this.grant(actor);
  }

  /** Unlock after inactivity: the same session, after the person proves it is them. */
  async verify(actor: Actor, password: string): Promise<void> {
    const key = actor.username.toLowerCase();
    this.assertNotThrottled(key);
    const user = this.deps.users.byId(actor.userId);
    const ok = user ? await verifyPassword(password, user.passwordHash) : false;
    if (!ok || !user || user.disabled) {
      this.noteFailure(key);
      this.deps.audit.record(actor, 'auth.unlock.failed', `user:${actor.username}`);
      throw new ApiError('unauthorized', 'Password non corretta.');
    }
    this.failures.delete(key);
    this.deps.audit.record(actor, 'auth.unlock', `user:${actor.username}`);
  }

  signOut(actor: Actor, token: string | null | undefined): void {
    if (token) this.deps.users.deleteSession(tokenHash(token));
    this.deps.audit.record(actor, 'auth.signOut', `user:${actor.username}`);
  }

  /** Creates a person (admin UI and `vedetta users add`). */
  async createUser(by: Actor, input: { username: string; displayName: string; password: string; roles: readonly Role[] }): Promise<User> {
    if (this.deps.users.byUsername(input.username)) throw new ApiError('conflict', `Il nome utente «${input.username}» è già in uso.`);
    const passwordHash = await hashPassword(input.password);
    if (this.deps.users.byUsername(input.username)) throw new ApiError('conflict', `Il nome utente «${input.username}» è già in uso.`);
    const id = this.deps.users.create({ ...input, passwordHash }, this.deps.now());
    this.deps.audit.record(by, 'users.create', `user:${input.username}`, { displayName: input.displayName, roles: [...input.roles] });
    return this.view(this.mustGet(id));
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
    if (!u) throw new ApiError('not_found', `Persona ${id} non trovata.`);
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
      throw new ApiError('rate_limited', `Troppi tentativi non riusciti: riprova fra ${s} secondi.`);
    }
  }

  private noteFailure(key: string): void {
    const f = this.failures.get(key) ?? { count: 0, until: 0 };
    f.count++;
    if (f.count >= FREE_FAILURES) {
      const wait = Math.min(FIRST_WAIT_MS * 2 ** (f.count - FREE_FAILURES), MAX_WAIT_MS);
      f.until = this.deps.now() + wait;
    }
    this.failures.set(key, f);
    // Bounded: a flood of made-up names cannot grow the map without end.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }
}
