// The window's look (theme, language): painted from this browser's last known choice before the
// backend answers, then from the workspace settings, and kept for the next start.
import type { Settings, Theme } from '../../../shared/schemas';
import { i18n } from '../../i18n/i18n.svelte';

const THEME_KEY = 'vedetta.theme';
const LOCALE_KEY = 'vedetta.locale';

let media: MediaQueryList | null = null;
/** The theme the settings ask for; 'system' follows the OS while it changes. */
let chosen: () => Theme = () => 'system';

/** Who knows the chosen theme (the settings store, once it exists). */
export function followChosenTheme(get: () => Theme): void {
  chosen = get;
}

export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (!media && typeof matchMedia === 'function') {
    media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', () => {
      if (chosen() === 'system') applyTheme('system');
    });
  }
  const resolved = theme === 'system' ? (media?.matches ? 'dark' : 'light') : theme;
  root.dataset.theme = resolved;
}

/** Paint with the last known look before the backend answers. */
export function paintLastLook(): void {
  try {
    const theme = localStorage.getItem(THEME_KEY);
    if (theme === 'light' || theme === 'dark' || theme === 'system') applyTheme(theme);
    else applyTheme('system');
    const locale = localStorage.getItem(LOCALE_KEY);
    if (locale === 'it' || locale === 'en') i18n.setLocale(locale);
    else i18n.setLocale('it');
  } catch {
    applyTheme('system');
    i18n.setLocale('it');
  }
}

/** The settings' look, applied and remembered for the next start. */
export function applyLook(s: Settings): void {
  i18n.setLocale(s.locale);
  applyTheme(s.theme);
  try {
    localStorage.setItem(THEME_KEY, s.theme);
    localStorage.setItem(LOCALE_KEY, s.locale);
  } catch {
    /* cosmetic cache only */
  }
}
