// Renders an error code in a language. The backend renders in Italian (its messages reach
// curl users and logs); each client re-renders from code and params in the person's language.
import { en } from './en';
import { it } from './it';
import { isErrorCode, type ErrorCode, type ErrorParams } from './codes';

export * from './codes';
export type ErrorLang = 'it' | 'en';
export const ERROR_CATALOGUES: Record<ErrorLang, Record<ErrorCode, string>> = { it, en };

let language: ErrorLang = 'it';

/** The language new ApiErrors are worded in: the renderer follows its locale, the CLI its env. */
export function setErrorLanguage(lang: ErrorLang): void {
  language = lang;
}
export function errorLanguage(): ErrorLang {
  return language;
}

export function renderError(code: ErrorCode, params: ErrorParams = {}, lang: ErrorLang = language): string {
  const template = isErrorCode(code) ? ERROR_CATALOGUES[lang][code] || it[code] : String(code);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
