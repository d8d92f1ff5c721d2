// The workspace settings (theme, language, lock delay, onboarding…) and the app's info shown
// in Settings. A change applies at once; the backend's answer is the truth if it differs.
import { ApiError, type OpOutput, type VedettaApi } from '../../../shared/contract';
import type { Settings, UserSettings } from '../../../shared/schemas';
import { session } from '../session/session.svelte';
import { applyLook, followChosenTheme } from './look';
import { i18n } from '../../i18n/i18n.svelte';

export type AppInfo = OpOutput<'app.info'>;

/** Why a one-field change was refused: the field's own reason when there is one, said under it. */
function fieldReason(e: unknown): string {
  if (e instanceof ApiError) {
    const lines = e.detailLines();
    return lines.length > 0 ? lines.join(' · ') : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

export class SettingsStore {
  settings = $state.raw<Settings | null>(null);
  info = $state.raw<AppInfo | null>(null);
  /** Why the last change was not saved. */
  error = $state<string | null>(null);

  #api: VedettaApi;

  constructor(api: VedettaApi) {
    this.#api = api;
    followChosenTheme(() => this.settings?.theme ?? 'system');
  }

  /** The first read, part of the app's start: a failure is the caller's to show. */
  async load(): Promise<void> {
    const [settings, info] = await Promise.all([this.#api.call('settings.get', {}), this.#api.call('app.info', {})]);
    this.apply(settings);
    this.info = info;
  }

  apply(s: Settings): void {
    this.settings = s;
    applyLook(s);
    i18n.setTimeZone(s.timeZone);
  }

  /** The workspace's time zone (administrators): null when saved, else why not (shown under the field). */
  async setTimeZone(timeZone: string): Promise<string | null> {
    try {
      this.apply(await this.#api.call('settings.setTimeZone', { timeZone }));
      return null;
    } catch (e) {
      return fieldReason(e);
    }
  }

  /** Raw handles on (with the legal basis) or off (administrators): null when saved, else why not. */
  async setAuthorHandles(enabled: boolean, legalBasis: string): Promise<string | null> {
    try {
      this.apply(await this.#api.call('settings.setAuthorHandles', enabled ? { enabled, legalBasis } : { enabled }));
      return null;
    } catch (e) {
      return fieldReason(e);
    }
  }

  async update(patch: Partial<UserSettings>): Promise<void> {
    // Read-only people may still pick their language and theme, kept in this browser only.
    if (!session.canEdit) {
      if (this.settings) this.apply({ ...this.settings, ...patch });
      return;
    }
    // Apply at once; the backend's answer is the truth if it differs.
    if (this.settings) this.apply({ ...this.settings, ...patch });
    try {
      this.error = null;
      this.apply(await this.#api.call('settings.update', patch));
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  async refreshInfo(): Promise<void> {
    try {
      this.info = await this.#api.call('app.info', {});
    } catch {
      /* the previous info stays on screen */
    }
  }
}
