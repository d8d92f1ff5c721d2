// Small helpers for node:http: bounded body reading, JSON parsing with Italian messages,
// and the one error body shape every adapter sends.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type ApiErrorBody } from '../shared/contract';
import { STATUS_BY_CODE } from '../shared/transport/http-paths';

/** Headers on every API answer: never cached, never sniffed as something else. */
const API_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...API_HEADERS, 'content-length': String(Buffer.byteLength(text)), ...extra });
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError, extra: Record<string, unknown> = {}): void {
  const body: { error: ApiErrorBody } & Record<string, unknown> = { error: err.toBody(), ...extra };
  sendJson(res, STATUS_BY_CODE[err.code], body);
}

export class BodyTooLargeError extends ApiError {
  constructor(limit: number) {
    super('request.tooLarge', { limit: formatBytes(limit) });
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} byte`;
}

/**
 * Reads the body, counting bytes as they stream in and giving up as soon as the limit is
 * crossed (or at once when Content-Length already says so), so an oversized upload costs us
 * at most `limit` bytes of memory.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer): void => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.off('data', onData);
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, size));
    });
    req.once('error', (e) => {
      if (done) return;
      done = true;
      reject(e);
    });
    req.once('aborted', () => {
      if (done) return;
      done = true;
      reject(new ApiError('request.aborted'));
    });
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Buffer → parsed JSON, or an 'invalid' ApiError saying what is wrong, in Italian. */
export function parseJsonBody(buf: Buffer, { emptyAs }: { emptyAs?: unknown } = {}): unknown {
  let text: string;
  try {
    text = utf8.decode(buf);
  } catch {
    throw new ApiError('request.notUtf8');
  }
  if (text.trim() === '') {
    if (emptyAs !== undefined) return emptyAs;
    throw new ApiError('request.emptyBody');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // JSON.parse says where it stopped, in English: kept as the reason, inside an Italian sentence.
    const reason = e instanceof Error ? e.message : String(e);
    throw new ApiError('request.badJson', { reason: reason.slice(0, 300) });
  }
}

/**
 * After refusing a request whose body we did not read, close the connection once the
 * answer is out instead of draining (possibly hundreds of MiB of) unwanted upload.
 */
export function closeAfterResponse(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('connection', 'close');
  res.once('finish', () => {
    // Give the kernel a moment to flush the answer before the reset.
    setTimeout(() => req.socket.destroy(), 50).unref();
  });
}
