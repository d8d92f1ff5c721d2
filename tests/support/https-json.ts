// JSON over HTTPS to a team server whose certificate only the test trusts (`ca`): Node's
// global fetch takes no CA of its own, and the test must not turn verification off.
import { request } from 'node:https';

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export function httpsJson(url: string, o: { ca: string; method?: string; headers?: Record<string, string>; body?: unknown; servername?: string }): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
    const req = request(
      url,
      {
        method: o.method ?? 'POST',
        ca: o.ca,
        ...(o.servername ? { servername: o.servername } : {}),
        headers: { ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* not JSON: the text itself */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
