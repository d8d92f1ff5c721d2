// Renders an error code in a language. The backend renders in Italian (its messages reach
// curl users and logs); each client re-renders from code and params in the person's language.
import { z } from 'zod';
import { en } from './en';
import { it } from './it';
import { isErrorCode, type ErrorCode, type ErrorParams } from './codes';
import { TERMS } from './terms';
import { isTextCode, TEXTS, type TextCode } from './texts';

export * from './codes';
export { TERMS, term, terms, type TermKey } from './terms';
export { TEXTS, isTextCode, type TextCode } from './texts';
/** Every code of the catalogue: an error's, or a text's that is not an error. */
export type CatalogueCode = ErrorCode | TextCode;
/** A text of the catalogue not yet worded: each reader says it in its language. */
export interface TextRef {
  key: CatalogueCode;
  params?: ErrorParams;
}
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

/**
 * `{name}`, `{name:term}` or `{name:terms}` in a text (see terms.ts), or `{name:code}`: the
 * param is another code, rendered with the same params (a query's parse error inside
 * "Query non valida: …").
 */
export const PLACEHOLDER = /\{(\w+)(?::(term|terms|code))?\}/g;

export function renderError(code: ErrorCode, params: ErrorParams = {}, lang: ErrorLang = language): string {
  return renderText(code, params, lang);
}

/** A text of the catalogue (an error's or not) with its params, in the language asked. */
export function renderText(code: CatalogueCode, params: ErrorParams = {}, lang: ErrorLang = language): string {
  const template = isErrorCode(code) ? ERROR_CATALOGUES[lang][code] || it[code] : isTextCode(code) ? TEXTS[lang][code] : String(code);
  // Most texts have no placeholder: no pattern to run (texts are worded on hot paths too: a
  // response's policy reasons, each refused row of an import).
  if (!template.includes('{')) return template;
  const words: Readonly<Record<string, string>> = TERMS[lang];
  const word = (key: string): string => words[key] ?? key;
  return template.replace(PLACEHOLDER, (whole, name: string, as: 'term' | 'terms' | 'code' | undefined) => {
    if (!(name in params)) return whole;
    const value = String(params[name]);
    if (as === 'term') return word(value);
    if (as === 'terms') return value.split(',').filter(Boolean).map(word).join(', ');
    if (as === 'code') return (isErrorCode(value) || isTextCode(value)) && value !== code ? renderText(value, params, lang) : value;
    return value;
  });
}

/**
 * A zod issue as a catalogue code and its params, or null when its message is not a code
 * (zod's own wording, an error map's). A schema's own message is a catalogue code (schemas
 * hold plain strings so building them never pulls the catalogue into the sandboxed preload),
 * with the bound the issue reports ({min}, {max}), the allowed values ({values}) or a custom
 * issue's params.
 */
export function zodIssueRef(issue: z.core.$ZodIssue): (TextRef & { key: TextCode; params: ErrorParams }) | null {
  const key = issue.message;
  if (!isTextCode(key)) return null;
  const params: Record<string, string | number> = {};
  if (issue.code === 'too_small') params.min = String(issue.minimum);
  else if (issue.code === 'too_big') params.max = String(issue.maximum);
  else if (issue.code === 'invalid_value') params.values = issue.values.map(String).join(', ');
  else if (issue.code === 'custom') {
    for (const [name, value] of Object.entries(issue.params ?? {})) {
      if (typeof value === 'string' || typeof value === 'number') params[name] = value;
    }
  }
  return { key, params };
}

/** A zod issue's message in a language: its code worded (zodIssueRef), any other message kept. */
export function zodIssueText(issue: z.core.$ZodIssue, lang: ErrorLang = language): string {
  const ref = zodIssueRef(issue);
  return ref ? renderText(ref.key, ref.params, lang) : issue.message;
}

/**
 * An error code with its params carried inside a result rather than thrown (an import
 * report's fatal error), so each client words it in its language like a thrown one.
 */
export const ErrorRefSchema = z.object({
  key: z.string().max(100),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type ErrorRef = z.infer<typeof ErrorRefSchema>;

/** A carried error in the process's language; `fallback` (the Italian text sent along) for a code this client does not know. */
export function renderErrorRef(ref: ErrorRef | null | undefined, fallback: string, lang: ErrorLang = language): string {
  return ref && (isErrorCode(ref.key) || isTextCode(ref.key)) ? renderText(ref.key, ref.params, lang) : fallback;
}
