// Serves the built renderer (out/renderer) with the security headers a browser needs to
// treat it as strictly as the Electron window does.
import { createReadStream, promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { renderText } from '../shared/errors';

/** Same policy as the renderer's meta tag, plus frame-ancestors (only valid as a header). */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
} as const;

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/**
 * Maps a URL path to a file inside root, or null when the path tries to leave it (`..`,
 * encoded separators, NUL bytes, absolute or drive-letter paths).
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..' || /^[a-zA-Z]:$/.test(p))) return null;
  const absRoot = resolve(root);
  const file = resolve(absRoot, ...parts);
  if (file !== absRoot && !file.startsWith(absRoot + sep)) return null;
  return file;
}

export function createStaticHandler(staticDir: string | undefined) {
  return async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendText(res, 405, renderText('static.method'));
      return;
    }
    if (!staticDir) {
      sendText(res, 404, renderText('static.noUi'));
      return;
    }
    const target = resolveInside(staticDir, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    if (!target) {
      sendText(res, 400, renderText('static.badPath'));
      return;
    }
    let stat;
    try {
      stat = await fsp.stat(target);
    } catch {
      stat = null;
    }
    if (!stat || !stat.isFile()) {
      if (pathname === '/' || pathname === '/index.html') {
        sendText(res, 404, renderText('static.notBuilt'));
      } else {
        sendText(res, 404, renderText('static.notFound'));
      }
      return;
    }
    const ext = extname(target).toLowerCase();
    const isHtml = ext === '.html';
    // Vite puts content-hashed files under assets/: safe to cache forever. index.html is
    // what points at them, so it must never be cached.
    const cache = isHtml ? 'no-store' : pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': MIME[ext] ?? 'application/octet-stream',
      'content-length': String(stat.size),
      'cache-control': cache,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(target);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };
}

export const staticRootFor = (repoRoot: string): string => join(repoRoot, 'out', 'renderer');
