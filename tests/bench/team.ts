// `npm run bench -- --only team`: a team server over TLS (issue #16). 50 signed-in clients on
// the secure event socket receive each mention that arrives through the webhook at 500/s;
// sign-in is timed with its real password hashing; one client that stops reading must not
// slow the others. The server is the real `vedetta serve --tls-self-signed` process; the
// clients and the load share this machine's cores with it, as they would not in real life.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { ADMIN, startVedetta, type TestUser } from '../support/vedetta-process';
import { httpsJson } from '../support/https-json';
import { EVENTS_PATH } from '../../src/shared/transport/http-paths';
import { offerWebhook, percentile } from './load';

interface Row {
  metric: string;
  value: string;
  target: string;
  ok: boolean | null;
}

const CLIENTS = 50;
const RATE = 500;

export async function benchTeam(rows: Row[], quick: boolean): Promise<void> {
  const seconds = quick ? 6 : 20;
  const warmup = 3;
  const people: TestUser[] = Array.from({ length: 10 }, (_, i) => ({ username: `persona${i}`, password: `password-persona-${i}`, roles: ['manager'], name: `Persona ${i}` }));
  const v = await startVedetta({ team: true, users: [ADMIN, ...people] });
  const ca = v.ca ?? '';
  try {
    // Sign-in: 50 sessions, five at a time (a team arriving at once), each timed: the burst row.
    const signIns: number[] = [];
    const tokens: string[] = [];
    for (let i = 0; i < CLIENTS; i += 5) {
      await Promise.all(
        Array.from({ length: 5 }, async (_, k) => {
          const who = people[(i + k) % people.length] ?? ADMIN;
          const t = performance.now();
          const r = await httpsJson(`${v.url}/api/v1/rpc/auth.signIn`, { ca, body: { username: who.username, password: who.password } });
          signIns.push(performance.now() - t);
          if (r.status !== 200) throw new Error(`sign-in ${who.username}: ${r.status}`);
          tokens.push((r.body as { token: string }).token);
        }),
      );
    }

    const sentAt = new Map<string, number>();
    const measured = new Set<string>();
    const latencies: number[] = [];
    const received = new Array<number>(CLIENTS).fill(0);
    const open = (token: string, onMessage: ((data: WebSocket.RawData) => void) | null): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`${v.url.replace(/^https/, 'wss')}${EVENTS_PATH}`, { ca, headers: { authorization: `Bearer ${token}` } });
        ws.once('message', () => resolve(ws)); // {"session":"ok"}
        ws.once('error', reject);
        if (onMessage) ws.on('message', onMessage);
      });
    const sockets = await Promise.all(
      tokens.map((token, c) =>
        open(token, (data) => {
          const now = performance.now();
          const text = data.toString();
          if (!text.startsWith('{"event":"mentions.added"')) return;
          const msg = JSON.parse(text) as { payload: { items?: { externalId: string | null }[] } };
          for (const m of msg.payload.items ?? []) {
            const id = m.externalId ?? '';
            const t = sentAt.get(id);
            if (t === undefined) continue;
            received[c] = (received[c] ?? 0) + 1;
            if (measured.has(id)) latencies.push(now - t);
          }
        }),
      ),
    );
    // The stalled one: signed in, then it stops reading (its TCP window fills, the server buffers).
    const stalled = await open(tokens[0] ?? '', null);
    const stalledClosed = new Promise<number>((r) => stalled.on('close', (code) => r(code)));
    (stalled as unknown as { _socket: { pause(): void } })._socket.pause();

    // While the stream runs, one more person signs in each second: the sign-in row's figure.
    const loadedSignIns: number[] = [];
    const signInTimer = setInterval(() => {
      const who = people[loadedSignIns.length % people.length] ?? ADMIN;
      const t = performance.now();
      void httpsJson(`${v.url}/api/v1/rpc/auth.signIn`, { ca, body: { username: who.username, password: who.password } }).then((r) => {
        if (r.status === 200) loadedSignIns.push(performance.now() - t);
      });
    }, 1000);
    const total = RATE * (seconds + warmup);
    const { failed } = await offerWebhook({
      url: v.webhookUrl,
      token: v.webhookToken,
      ca,
      rate: RATE,
      total,
      body: (i) => {
        const id = `team-${i}`;
        sentAt.set(id, performance.now());
        if (i >= RATE * warmup) measured.add(id);
        return JSON.stringify({ source: `bench ${i % 5}`, external_id: id, author: `utente${i % 997}`, text: `Messaggio ${i}: il caffè di Aurora è ${i % 3 ? 'ottimo' : 'pessimo'}. #aurora`, published_at: new Date().toISOString() });
      },
    });
    clearInterval(signInTimer);
    const deadline = performance.now() + 15_000;
    while (received.some((n) => n < total - failed) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const stalledCode = await Promise.race([stalledClosed, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
    for (const ws of sockets) ws.close();
    stalled.terminate();

    signIns.sort((a, b) => a - b);
    loadedSignIns.sort((a, b) => a - b);
    const loadedP95 = percentile(loadedSignIns, 95);
    latencies.sort((a, b) => a - b);
    const p95 = percentile(latencies, 95);
    const signInP95 = percentile(signIns, 95);
    const lost = received.reduce((s, n) => s + (total - failed - n), 0);
    rows.push({ metric: `team server (TLS): sign-in p95 (ms), one a second during the ${RATE}/s stream (${loadedSignIns.length} sign-ins), p50 ${percentile(loadedSignIns, 50).toFixed(0)}`, value: loadedP95.toFixed(0), target: '< 300', ok: loadedP95 < 300 });
    rows.push({ metric: `team server (TLS): sign-in p95 (ms), ${CLIENTS} sign-ins five at a time before the stream, p50 ${percentile(signIns, 50).toFixed(0)}`, value: signInP95.toFixed(0), target: '', ok: null });
    rows.push({ metric: `team server (TLS): webhook → ${CLIENTS} clients p50 (ms), ${RATE}/s for ${seconds} s after ${warmup} s warm-up`, value: percentile(latencies, 50).toFixed(1), target: '', ok: null });
    rows.push({ metric: `team server (TLS): webhook → ${CLIENTS} clients p95 (ms), one stalled client connected`, value: p95.toFixed(1), target: '< 200', ok: p95 < 200 });
    rows.push({ metric: 'team server (TLS): webhook → clients p99 (ms)', value: percentile(latencies, 99).toFixed(1), target: '', ok: null });
    rows.push({ metric: 'team server (TLS): events lost over all clients', value: String(lost), target: '0', ok: lost === 0 });
    rows.push({ metric: 'team server (TLS): failed POSTs', value: String(failed), target: '0', ok: failed === 0 });
    rows.push({ metric: 'team server (TLS): stalled client dropped (close code; "open": its buffer limit not reached)', value: stalledCode === null ? 'open' : String(stalledCode), target: '', ok: null });
  } finally {
    await v.stop();
  }
}
