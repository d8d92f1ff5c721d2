// The admin's people screen: the list, and create / roles / reset password / disable.
import type { Role, User } from '../../../shared/auth';
import type { VedettaApi } from '../../../shared/contract';
import { ApiError } from '../../../shared/contract';

function message(e: unknown): string {
  if (e instanceof ApiError && e.details?.length) return `${e.message}: ${e.detailLines().join('; ')}`;
  return e instanceof Error ? e.message : String(e);
}

export class UsersStore {
  users = $state.raw<User[]>([]);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  loading = $state(false);

  constructor(private readonly api: VedettaApi) {}

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.users = await this.api.call('users.list', {});
      this.error = null;
    } catch (e) {
      this.error = message(e);
    } finally {
      this.loading = false;
    }
  }

  /** null when done; else the reason, shown in the form (nothing typed is lost). */
  async create(input: { username: string; displayName: string; password: string; roles: Role[] }): Promise<string | null> {
    try {
      const u = await this.api.call('users.create', input);
      this.notice = `created:${u.username}`;
      await this.load();
      return null;
    } catch (e) {
      return message(e);
    }
  }

  async update(id: number, patch: { displayName?: string; roles?: Role[]; disabled?: boolean }): Promise<string | null> {
    try {
      await this.api.call('users.update', { id, ...patch });
      await this.load();
      return null;
    } catch (e) {
      const m = message(e);
      this.error = m;
      return m;
    }
  }

  /** "Esci ovunque": how many sessions ended, or the error to show. */
  async signOutEverywhere(id: number): Promise<{ ended: number } | { error: string }> {
    try {
      return await this.api.call('users.signOutEverywhere', { id });
    } catch (e) {
      return { error: message(e) };
    }
  }

  async resetPassword(id: number, password: string): Promise<string | null> {
    try {
      await this.api.call('users.resetPassword', { id, password });
      return null;
    } catch (e) {
      return message(e);
    }
  }

  async remove(id: number): Promise<string | null> {
    try {
      await this.api.call('users.delete', { id });
      await this.load();
      return null;
    } catch (e) {
      const m = message(e);
      this.error = m;
      return m;
    }
  }
}
