// The language the desktop process words its own texts in: start-up dialogs, the errors it
// words itself (its log), its system notifications. The person chose it in the workspace's
// settings, so once the data folder is open the process follows that setting, as the window
// does; before (a start-up that fails), the environment's, as the CLI reads it.
import { setErrorLanguage, type ErrorLang } from '../shared/errors';
import { LocaleSchema } from '../shared/schemas';
import { envLanguage } from '../server/user-data';
import type { DispatchingApp } from './ipc';

/** The workspace's setting when it is known, else what the environment asks. */
export function desktopLanguage(workspace: unknown, env: NodeJS.ProcessEnv): ErrorLang {
  const chosen = LocaleSchema.safeParse((workspace as { locale?: unknown } | null | undefined)?.locale);
  return chosen.success ? chosen.data : envLanguage(env);
}

export interface WorkspaceLanguage {
  current(): ErrorLang;
  /** Reads the setting again (after a settings change) and applies it. */
  refresh(): Promise<ErrorLang>;
}

/**
 * Makes the workspace's language the process's: applied at once from the environment, then
 * from the settings as soon as they are read, and again on each refresh. A failed read keeps
 * the language it had.
 */
export function followWorkspaceLanguage(app: DispatchingApp, env: NodeJS.ProcessEnv, apply: (lang: ErrorLang) => void = setErrorLanguage): WorkspaceLanguage {
  let lang = envLanguage(env);
  apply(lang);
  return {
    current: () => lang,
    refresh: async () => {
      try {
        lang = desktopLanguage(await app.dispatch('settings.get', {}), env);
        apply(lang);
      } catch {
        // The app is closing or the store is gone: nothing to follow any more.
      }
      return lang;
    },
  };
}
