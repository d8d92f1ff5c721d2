// A team server's sessions: who is calling, when no per-run token exists.
//
// - Browsers carry the session in an HttpOnly, Secure, SameSite=Strict cookie (`__Host-`, so
//   no subdomain can set it and it is sent only over HTTPS to this host). Page scripts never
//   see it: the sign-in answer a browser gets holds COOKIE_SESSION in place of the token.
//   A cookie counts only on a request whose Origin is the team server's own (browsers send
//   Origin on every POST and WebSocket handshake), on top of SameSite.
// - The desktop app, the CLI and scripts send `Authorization: Bearer <session token>`.
// The cookie has a Max-Age, not an Expires date: a client whose clock is off keeps it as long
// as the server means it to last. Expiry is the server's (core/auth), whatever the cookie says.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COOKIE_SESSION } from '../shared/transport/http-paths';
import { bearerToken, originAllowed } from './security';

export const SESSION_COOKIE = '__Host-vedetta_session';
const MAX_TOKEN = 512;

export interface TeamServerOptions {
  /** What people type or click: https://vedetta.example.org:4870 (no path); default https://<host>:<port>. */
  publicUrl?: string;
  tls: { cert: string; key: string; fingerprint: string; selfSigned: boolean };
}

/** The session a request carries on a team server, and how (a browser's cookie, or Bearer). */
export function teamSession(req: IncomingMessage, hosts: Set<string>): { token: string; via: 'cookie' | 'bearer' } | null {
  const cookie = cookieValue(req, SESSION_COOKIE);
  if (cookie && req.headers.origin !== undefined && originAllowed(req, hosts, 'https:')) return { token: cookie, via: 'cookie' };
  const bearer = bearerToken(req);
  if (bearer && bearer !== COOKIE_SESSION && bearer.length <= MAX_TOKEN) return { token: bearer, via: 'bearer' };
  return null;
}

/** A browser asked (it sends Origin on every fetch POST): it gets the cookie, not the token. */
export function wantsCookie(req: IncomingMessage): boolean {
  return req.headers.origin !== undefined;
}

export function setSessionCookie(res: ServerResponse, token: string, expiresAt: number, now: number): void {
  const maxAge = Math.max(0, Math.floor((expiresAt - now) / 1000));
  res.setHeader('set-cookie', `${SESSION_COOKIE}=${token}; Max-Age=${maxAge}; Path=/; HttpOnly; Secure; SameSite=Strict`);
}

export function clearSessionCookie(res: ServerResponse): void {
  res.setHeader('set-cookie', `${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict`);
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string' || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return value.length > 0 && value.length <= MAX_TOKEN && /^[A-Za-z0-9_-]+$/.test(value) ? value : null;
  }
  return null;
}
