// Pure i18n machinery (no Svelte): message lookup, {param} interpolation, plural forms,
// and it-IT / en-GB formatters in the workspace's time zone (Europe/Rome unless an
// administrator chose another). Kept pure so it is unit-testable.
import type { Locale } from '../../shared/schemas';
import { DEFAULT_TIME_ZONE } from '../../shared/time-zone';

export type PluralForms = { zero?: string; one?: string; two?: string; few?: string; many?: string; other: string };
export type Message = string | PluralForms;
export type Catalog = Record<string, Message>;
export type Params = Record<string, string | number>;

export const TIME_ZONE = DEFAULT_TIME_ZONE;
export const INTL_LOCALE: Record<Locale, string> = { it: 'it-IT', en: 'en-GB' };

const pluralRules = new Map<string, Intl.PluralRules>();
function plural(locale: string, n: number): Intl.LDMLPluralRule {
  let r = pluralRules.get(locale);
  if (!r) pluralRules.set(locale, (r = new Intl.PluralRules(locale)));
  return r.select(n);
}

export function interpolate(template: string, params: Params | undefined, numberFormat: Intl.NumberFormat): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? numberFormat.format(v) : v;
  });
}

export function translate(
  catalog: Catalog,
  fallback: Catalog,
  locale: Locale,
  key: string,
  params?: Params,
  numberFormat: Intl.NumberFormat = new Intl.NumberFormat(INTL_LOCALE[locale]),
): string {
  const msg = catalog[key] ?? fallback[key];
  if (msg === undefined) return key;
  if (typeof msg === 'string') return interpolate(msg, params, numberFormat);
  const n = typeof params?.count === 'number' ? params.count : 0;
  // "zero" is not a CLDR category for it/en; honor it explicitly when the catalog has it.
  const form = n === 0 && msg.zero !== undefined ? msg.zero : (msg[plural(INTL_LOCALE[locale], n)] ?? msg.other);
  return interpolate(form, params, numberFormat);
}

export interface Formatters {
  number(n: number): string;
  compact(n: number): string;
  dateTime(iso: string): string;
  /** Short date and time to the second, for logs ("08/12/26, 10:15:03"). */
  stamp(iso: string): string;
  date(iso: string): string;
  time(iso: string): string;
  /** "3 min fa", "ieri", falling back to a short date past a week. */
  relative(iso: string, now: number): string;
  /**
   * How long ago something was posted. A post stamped in the future (a replay keeping its
   * recording's clock, a source's skewed clock) reads "just now", never "in 20 min".
   */
  since(iso: string, now: number): string;
  bytes(n: number): string;
  language(code: string): string;
  /** People's names as one phrase: "Giulia, Marco e Anna". */
  names(list: readonly string[]): string;
}

export function createFormatters(locale: Locale, justNow: string, timeZone: string = TIME_ZONE): Formatters {
  const tag = INTL_LOCALE[locale];
  const num = new Intl.NumberFormat(tag);
  const compact = new Intl.NumberFormat(tag, { notation: 'compact', maximumFractionDigits: 1 });
  const dateTime = new Intl.DateTimeFormat(tag, { timeZone, dateStyle: 'medium', timeStyle: 'medium' });
  const stamp = new Intl.DateTimeFormat(tag, { timeZone, dateStyle: 'short', timeStyle: 'medium' });
  const date = new Intl.DateTimeFormat(tag, { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
  const shortDate = new Intl.DateTimeFormat(tag, { timeZone, day: 'numeric', month: 'short' });
  const time = new Intl.DateTimeFormat(tag, { timeZone, hour: '2-digit', minute: '2-digit' });
  const rel = new Intl.RelativeTimeFormat(tag, { numeric: 'auto', style: 'short' });
  const nameList = new Intl.ListFormat(tag, { style: 'long', type: 'conjunction' });
  const yearOf = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' });
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([tag], { type: 'language' });
  } catch {
    names = null;
  }
  const parse = (iso: string): Date | null => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  const relative = (iso: string, now: number): string => {
    const d = parse(iso);
    if (!d) return iso;
    const sec = Math.round((d.getTime() - now) / 1000);
    const abs = Math.abs(sec);
    if (abs < 45) return justNow;
    if (abs < 3600) return rel.format(Math.round(sec / 60), 'minute');
    if (abs < 86_400) return rel.format(Math.round(sec / 3600), 'hour');
    if (abs < 7 * 86_400) return rel.format(Math.round(sec / 86_400), 'day');
    const sameYear = yearOf.format(d) === yearOf.format(new Date(now));
    return sameYear ? shortDate.format(d) : date.format(d);
  };
  return {
    number: (n) => num.format(n),
    names: (list) => nameList.format(list),
    compact: (n) => (Math.abs(n) < 10_000 ? num.format(n) : compact.format(n)),
    dateTime: (iso) => {
      const d = parse(iso);
      return d ? dateTime.format(d) : iso;
    },
    stamp: (iso) => {
      const d = parse(iso);
      return d ? stamp.format(d) : iso;
    },
    date: (iso) => {
      const d = parse(iso);
      return d ? date.format(d) : iso;
    },
    time: (iso) => {
      const d = parse(iso);
      return d ? time.format(d) : iso;
    },
    relative,
    since: (iso, now) => {
      const d = parse(iso);
      return d && d.getTime() > now ? justNow : relative(iso, now);
    },
    bytes: (n) => {
      const units = ['B', 'KB', 'MB', 'GB'];
      let v = n;
      let u = 0;
      while (v >= 1024 && u < units.length - 1) {
        v /= 1024;
        u++;
      }
      return `${new Intl.NumberFormat(tag, { maximumFractionDigits: u === 0 ? 0 : 1 }).format(v)} ${units[u]}`;
    },
    language: (code) => {
      if (!code || code === 'und') return '—';
      try {
        const n = names?.of(code);
        if (n && n !== code) return n.charAt(0).toLocaleUpperCase(tag) + n.slice(1);
      } catch {
        /* invalid code: fall through */
      }
      return code.toUpperCase();
    },
  };
}
