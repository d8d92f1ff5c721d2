// The reactive face of i18n: one current locale; t() and fmt read it, so every component
// re-renders when the user switches language.
import type { Locale } from '../../shared/schemas';
import { createFormatters, INTL_LOCALE, TIME_ZONE, translate, type Formatters, type Params } from './core';
import { setErrorLanguage } from '../../shared/errors';
import { en } from './en';
import { it, type MessageKey } from './it';

const catalogs = { it, en } as const;

class I18n {
  locale = $state<Locale>('it');
  /** The workspace's zone: every time on screen is shown in it (settings.timeZone). */
  timeZone = $state<string>(TIME_ZONE);
  #numbers = $derived(new Intl.NumberFormat(INTL_LOCALE[this.locale]));
  fmt: Formatters = $derived(createFormatters(this.locale, translate(catalogs[this.locale], it, this.locale, 'time.justNow'), this.timeZone));

  t = (key: MessageKey, params?: Params): string => translate(catalogs[this.locale], it, this.locale, key, params, this.#numbers);

  setTimeZone(zone: string): void {
    this.timeZone = zone;
  }

  setLocale(locale: Locale): void {
    this.locale = locale;
    // Errors from the backend are re-worded from their code in the person's language.
    setErrorLanguage(locale);
    if (typeof document !== 'undefined') document.documentElement.lang = locale;
  }
}

export const i18n = new I18n();
export const t = i18n.t;
export type { MessageKey };
