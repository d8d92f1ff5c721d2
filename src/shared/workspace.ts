// Which workspace the desktop app opens: its own local one (the default, as always), or a
// team workspace served by `vedetta serve` elsewhere, reached over HTTPS with the server's
// certificate pinned by its SHA-256 fingerprint at the first connection. The schemas here
// guard the three edges of that choice: the file in Electron's userData, the team server's
// self-description (GET /api/v1/team), and the workspace IPC between renderer and main.
import { z } from 'zod';

/** What `vedetta serve` answers at GET {url}/api/v1/team (no sign-in needed). */
export const TEAM_INFO_PATH = '/api/v1/team';

/**
 * A certificate's SHA-256 fingerprint as Node gives it (X509Certificate.fingerprint256,
 * getPeerCertificate().fingerprint256): 32 bytes, uppercase hex, colon-separated.
 */
export const FINGERPRINT_RE = /^(?:[0-9A-F]{2}:){31}[0-9A-F]{2}$/;
export const FingerprintSchema = z.string().regex(FINGERPRINT_RE);

/** The same fingerprint typed or pasted by a person: any case, colons, spaces or none. */
export function normalizeFingerprint(raw: string): string | null {
  const hex = raw.replace(/[\s:-]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * A team workspace's address, reduced to its origin (`https://host:port`): what is stored,
 * shown and compared. https only, but for this very computer, where `vedetta serve` may run
 * plain HTTP (it refuses plain HTTP anywhere else, and a password must not travel in clear).
 * No credentials in it, no path: the API's paths are ours to add.
 */
export function parseTeamUrl(raw: string): string | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > 300) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  if (url.username || url.password || url.search || url.hash) return null;
  if (url.pathname !== '/' && url.pathname !== '') return null;
  if (url.protocol === 'https:') return url.origin;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url.origin;
  return null;
}

export const TeamUrlSchema = z
  .string()
  .max(300)
  .refine((s) => parseTeamUrl(s) === s);

/** GET /api/v1/team. Extra fields a newer server adds are ignored, not refused. */
export const TeamInfoSchema = z.object({
  workspace: z.literal('team'),
  publicUrl: z.string().max(300),
  fingerprint: FingerprintSchema.nullable().optional(),
});
export type TeamInfo = z.infer<typeof TeamInfoSchema>;

/**
 * The file in userData. `fingerprint` is the one the person confirmed; null only for a plain
 * HTTP server on this computer, where there is no certificate to pin.
 */
export const WorkspaceChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ version: z.literal(1), kind: z.literal('local') }).strict(),
  z
    .object({
      version: z.literal(1),
      kind: z.literal('team'),
      url: TeamUrlSchema,
      fingerprint: FingerprintSchema.nullable(),
      confirmedAt: z.string().max(40).optional(),
    })
    .strict(),
]);
export type WorkspaceChoice = z.infer<typeof WorkspaceChoiceSchema>;

/**
 * How the link to a team workspace is doing, pushed to the renderer:
 * - connecting: the first contact since start;
 * - online: calls go through and (signed in) events flow;
 * - reconnecting: the link dropped; retried with a capped backoff, calls wait for it;
 * - pin-refused: the server presents another certificate than the pinned one: nothing is
 *   sent to it, and nothing is retried until the person acts.
 */
export const LINK_STATES = ['connecting', 'online', 'reconnecting', 'pin-refused'] as const;
export type LinkState = (typeof LINK_STATES)[number];
export const TeamStatusSchema = z
  .object({
    state: z.enum(LINK_STATES),
    url: TeamUrlSchema,
    pinned: FingerprintSchema.nullable(),
    /** The fingerprint the server presented instead (pin-refused). */
    presented: FingerprintSchema.nullable(),
    /** Tries since the link dropped (0 when online). */
    attempt: z.number().int().min(0),
    /** Milliseconds to the next try while reconnecting. */
    retryInMs: z.number().int().min(0).nullable(),
  })
  .strict();
export type TeamStatus = z.infer<typeof TeamStatusSchema>;

/** What the renderer learns of the workspace at start (and after each change). */
export const WorkspaceStateSchema = z
  .object({
    /** false: no choice made yet (first run) or the file was unreadable: show the choice. */
    chosen: z.boolean(),
    choice: WorkspaceChoiceSchema,
    /** Why the stored choice could not be read, as a catalogue key for the renderer to word. */
    problem: z.enum(['broken', 'unreadable']).nullable(),
    status: TeamStatusSchema.nullable(),
  })
  .strict();
export type WorkspaceState = z.infer<typeof WorkspaceStateSchema>;

/** A first look at a team server, before anything is pinned: what the person is asked to confirm. */
export const TeamProbeSchema = z
  .object({
    url: TeamUrlSchema,
    /** The certificate the server presented on this connection; null over loopback HTTP. */
    fingerprint: FingerprintSchema.nullable(),
    /** What the server says its fingerprint is; differing from the above means someone in between (or a proxy). */
    announced: FingerprintSchema.nullable(),
    publicUrl: z.string().max(300),
    /** The certificate is also valid for a public authority (the pin still decides). */
    publiclyTrusted: z.boolean(),
  })
  .strict();
export type TeamProbe = z.infer<typeof TeamProbeSchema>;

/** renderer → main on the workspace channel. */
export const WorkspaceRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('get') }).strict(),
  z.object({ action: z.literal('probe'), url: z.string().max(300) }).strict(),
  z.object({ action: z.literal('useLocal') }).strict(),
  z.object({ action: z.literal('useTeam'), url: TeamUrlSchema, fingerprint: FingerprintSchema.nullable() }).strict(),
  /** After a refused pin or a long outage: try the link again now. */
  z.object({ action: z.literal('retry') }).strict(),
]);
export type WorkspaceRequest = z.infer<typeof WorkspaceRequestSchema>;
