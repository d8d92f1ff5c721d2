// Checks every request passes before it reaches core: the per-run tokens, and the Host and
// Origin headers that stop another web page (or a DNS-rebound name) from talking to us. A team
// server (HTTPS) checks the same headers against its public URL.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 32 random bytes, base64url: what `serve` uses when VEDETTA_TOKEN is not set. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison. Hashing both sides first gives equal-length buffers, so
 * neither the content nor the length of the expected token leaks through timing.
 */
export function tokensEqual(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || expected.length === 0) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(h);
  return m?.[1] ?? null;
}

/**
 * Host names we answer to. A page on evil.example that rebinds its DNS to 127.0.0.1 still
 * sends `Host: evil.example:PORT`, so anything but a loopback name is refused.
 */
export function allowedHosts(bindHost: string, port: number, publicUrl?: string): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const h = bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost;
  // Binding to a wildcard address does not make every Host name ours.
  if (bindHost !== '0.0.0.0' && bindHost !== '::') hosts.add(`${h}:${port}`);
  // A team server's public name: the one a colleague's browser sends (the port may be a
  // proxy's, or the default 443 that browsers leave out of Host).
  if (publicUrl) {
    const u = new URL(publicUrl);
    hosts.add(u.host.toLowerCase());
    if (u.port === '') hosts.add(`${u.hostname.toLowerCase()}:443`);
  }
  return hosts;
}

export function hostAllowed(req: IncomingMessage, hosts: Set<string>): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && hosts.has(host.toLowerCase());
}

/**
 * Browsers send Origin on cross-origin requests, WebSocket handshakes and POSTs; when it is
 * present it must be our own origin. Non-browser clients (curl, the CLI, tests) send none.
 */
export function originAllowed(req: IncomingMessage, hosts: Set<string>, scheme: 'http:' | 'https:' = 'http:'): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (typeof origin !== 'string') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === scheme && url.origin === origin && hosts.has(url.host.toLowerCase());
}
