// What the benches that offer a webhook load share: the percentile of a sorted sample, and
// single-item POSTs offered at a steady rate. node:http(s) with keep-alive, not fetch: the
// load generator shares the machine's two cores with the server, and fetch (undici) costs
// several times more CPU per request.
import { performance } from 'node:perf_hooks';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export interface OfferOptions {
  url: string;
  token: string;
  /** A team server's certificate: HTTPS trusting only it. */
  ca?: string;
  rate: number;
  total: number;
  /** The body of the i-th POST (called just before it is sent). */
  body(i: number): string;
  /** Called at each 10 ms tick (a sampler). */
  tick?: () => void;
}

/** Offers `total` POSTs at `rate` per second, paced in 10 ms ticks; resolves when all are answered. */
export async function offerWebhook(o: OfferOptions): Promise<{ failed: number }> {
  const target = new URL(o.url);
  const agent = o.ca ? new HttpsAgent({ keepAlive: true, maxSockets: 32, ca: o.ca }) : new HttpAgent({ keepAlive: true, maxSockets: 32 });
  const request = o.ca ? httpsRequest : httpRequest;
  const post = (body: string): Promise<number> =>
    new Promise((res, rej) => {
      const req = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}`, 'content-length': Buffer.byteLength(body) } },
        (r) => {
          r.resume();
          r.on('end', () => res(r.statusCode ?? 0));
        },
      );
      req.on('error', rej);
      req.end(body);
    });
  const perTick = o.rate / 100;
  const t0 = performance.now();
  let sent = 0;
  let failed = 0;
  const inflight = new Set<Promise<void>>();
  try {
    while (sent < o.total) {
      const due = Math.min(o.total, Math.floor(((performance.now() - t0) / 1000) * o.rate) + perTick);
      while (sent < due) {
        const p = post(o.body(sent))
          .then((status) => {
            if (status !== 202) failed++;
          })
          .catch(() => {
            failed++;
          })
          .finally(() => inflight.delete(p));
        inflight.add(p);
        sent++;
      }
      o.tick?.();
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(inflight);
  } finally {
    agent.destroy();
  }
  return { failed };
}
