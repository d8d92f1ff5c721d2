// One HTTP exchange with a team server over a socket whose certificate matched the pin
// (pinned-socket.ts): the socket is made and checked first, the request written only then.
// The failures are sorted by what they mean for the caller: NotConnectedError / PinMismatchError
// (nothing left: safe to send later), NoAnswerError (the request left: it may have been applied).
import { request as httpRequest, type ClientRequestArgs } from 'node:http';
import { connectPinned, CONNECT_TIMEOUT_MS } from './pinned-socket';

/** The request left, and no answer came: it may or may not have been applied. */
export class NoAnswerError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NoAnswerError';
  }
}

export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface PinnedRequest {
  origin: string;
  pin: string | null;
  method: 'GET' | 'POST';
  path: string;
  body?: string | null;
  /** The person's session, as `Authorization: Bearer`. Never sent on a first look (pin null). */
  session?: string | null;
  connectTimeoutMs?: number;
  timeoutMs?: number;
}

export interface PinnedAnswer {
  status: number;
  /** The JSON body, or null when it was not JSON. */
  body: unknown;
  fingerprint: string | null;
  publiclyTrusted: boolean;
}

export async function pinnedRequest(r: PinnedRequest): Promise<PinnedAnswer> {
  const conn = await connectPinned(r.origin, r.pin, r.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  const host = new URL(r.origin).host;
  const body = r.body ?? null;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host, accept: 'application/json', connection: 'close' };
    if (body !== null) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    // No Origin header: the server hands a session token only to clients that are not browsers.
    if (r.session) headers.authorization = `Bearer ${r.session}`;
    const options: ClientRequestArgs = {
      method: r.method,
      path: r.path,
      headers,
      createConnection: () => conn.socket,
      timeout: r.timeoutMs ?? 300_000,
    };
    const req = httpRequest(options);
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', (err) => {
      conn.socket.destroy();
      reject(new NoAnswerError(err.message));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER_BYTES) req.destroy(new Error('answer too large'));
        else chunks.push(c);
      });
      res.on('error', (err) => reject(new NoAnswerError(err.message)));
      res.on('end', () => {
        conn.socket.destroy();
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          parsed = null;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, fingerprint: conn.fingerprint, publiclyTrusted: conn.publiclyTrusted });
      });
    });
    req.end(body ?? undefined);
  });
}
