// One policy for every link Vedetta stores or shows: mentions, Tier 2 contents, sources,
// publishing results, and what the desktop shell hands to the system browser.
//
// - Only http(s): javascript:, data:, file: and custom schemes could run code or start
//   other programs.
// - Credentials are stripped: "https://brand.it@evil.example" reads as brand.it to a person
//   but goes to evil.example; without the user part it reads as what it is.
// - The host is shown as the person would type it when it is plain Latin (caffè.it), and in
//   its punycode form (xn--pple-43d.com) when it holds any other script: a Cyrillic "а" in
//   "аpple.com" is the classic look-alike, and no Italian brand needs a non-Latin host.
//
// Pure: the renderer, the server, core and the desktop shell share it.
import { z } from 'zod';
import { LIMITS } from './schemas';

const URL_MAX = LIMITS.urlMax;

export interface SafeLink {
  /** What a link may point at: normalized, http(s), no credentials. */
  href: string;
  /** The host as shown beside the link (Unicode when Latin, punycode otherwise). */
  host: string;
  /** The host holds a script other than Latin: shown in punycode, flagged to the reader. */
  lookalike: boolean;
}

/** Unicode letters other than Latin, and anything invisible or bidi-controlling. */
const NON_LATIN = /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]|[\p{Cf}]/u;

/** The host as written in the raw URL (before the parser punycodes it), or null. */
function writtenHost(raw: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#\\]*@)?(\[[^\]]*\]|[^/?#:\\]+)/i.exec(raw.trim());
  return m ? m[1]!.toLowerCase() : null;
}

/** The link as Vedetta may store and open it, or null when it must never be a link. */
export function safeLink(raw: string | null | undefined): SafeLink | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (!text || text.length > URL_MAX) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  url.username = '';
  url.password = '';
  const ascii = url.hostname;
  const encoded = ascii.includes('xn--');
  const written = writtenHost(text);
  // Written in plain Latin (caffè.it) and the same host the parser found: shown as written.
  if (written !== null && !NON_LATIN.test(written) && !written.includes('%') && (written === ascii || encoded)) {
    // Punycode as written ("xn--…") cannot be read by a person: flagged like a non-Latin host.
    return { href: url.href, host: written, lookalike: written.includes('xn--') };
  }
  return { href: url.href, host: ascii, lookalike: encoded };
}

/** The href alone: what <a href> and the system browser get. */
export function safeHref(raw: string | null | undefined): string | null {
  return safeLink(raw)?.href ?? null;
}

/** A link field of an input (Tier 2 content, a published post): refused unless safe, stored as its href. */
export const linkField = (message = 'schema.linkNeedHttp') =>
  z
    .string()
    .trim()
    .max(URL_MAX)
    .refine((u) => safeLink(u) !== null, message)
    .transform((u) => safeHref(u) ?? u);

// Bidi isolation for outside text placed inside our own words (a notification title, a log
// line, a plain-text export): FSI … PDI keeps a right-to-left override inside the quote from
// reordering the words around it. In the UI the same is done by <bdi> / `unicode-bidi: isolate`.
const FSI = '\u2068';
const PDI = '\u2069';
/** Explicit embeddings, overrides and isolates that an outside text could leave open. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Outside text, isolated and with its own bidi controls removed so none stays open. */
export function isolate(text: string): string {
  return FSI + text.replace(BIDI_CONTROLS, '') + PDI;
}
