// POST /api/v1/webhook/metrics on the real server: token, limits, answers, idempotency,
// and the pushed events a panel listens to. Real SQLite, real HTTP and WebSocket.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CoreApp } from '../../src/app/app';
import { startServer, type RunningServer } from '../../src/server/index';
import { EVENTS_PATH, RPC_PREFIX, WEBHOOK_METRICS_PATH } from '../../src/shared/transport/http-paths';
import { LIMITS } from '../../src/shared/schemas';
import { adminSession, openTestApp } from './support/app';

const TOKEN = 'ui-token-metrics-test';
const WEBHOOK_TOKEN = 'webhook-token-metrics-test';

let app: CoreApp;
let dispose: () => void;
let server: RunningServer;
let session = '';

beforeEach(async () => {
  ({ app, dispose } = openTestApp('browser'));
  session = await adminSession(app);
  server = await startServer({ app, port: 0, token: TOKEN, webhookToken: WEBHOOK_TOKEN });
});
afterEach(async () => {
  await server.close();
  dispose();
});

const post = (body: string, token = WEBHOOK_TOKEN) =>
  fetch(`${server.url}${WEBHOOK_METRICS_PATH}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
const rpc = async (op: string, body: unknown): Promise<unknown> => {
  const r = await fetch(`${server.url}${RPC_PREFIX}${op}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-vedetta-session': session }, body: JSON.stringify(body) });
  return r.json();
};

const content = [{ key: 'web-guida', channel: 'web_article', title: 'Guida alla moka', url: 'https://example.com/guida-moka' }];
const point = (i: number, value = 0.2) => ({ content: 'web-guida', metric: 'bounce_rate', value, time: new Date(Date.UTC(2026, 10, 23, 8, i)).toISOString() });

describe('metrics webhook', () => {
  it('registers content and points, answers 202 after commit, stores a re-send once', async () => {
    const first = await post(JSON.stringify({ content, points: [point(0), point(1)] }));
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ accepted: 2, duplicates: 0, contents: 1, rejected: [] });
    const again = await post(JSON.stringify([point(0), point(1)]));
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 2 });
    const contents = (await rpc('metrics.contents', {})) as { key: string; pointCount: number }[];
    expect(contents).toEqual([expect.objectContaining({ key: 'web-guida', pointCount: 2 })]);
  });

  it('401 without the webhook token (the UI token is not it), nothing stored', async () => {
    expect((await post(JSON.stringify({ content }), 'wrong')).status).toBe(401);
    const ui = await post(JSON.stringify({ content }), TOKEN);
    expect(ui.status).toBe(401);
    expect(await ui.json()).toMatchObject({ error: { code: 'unauthorized', message: expect.stringMatching(/Token del webhook/) } });
    expect(await rpc('metrics.contents', {})).toEqual([]);
  });

  it('400 with reasons for bad JSON, bad shapes and all-invalid batches; partial batches keep the good points', async () => {
    const badJson = await post('[{"content": ');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: { code: 'invalid', message: expect.stringMatching(/JSON non valido/) } });
    expect((await post('42')).status).toBe(400);
    expect((await post('[]')).status).toBe(400);
    const extra = await post(JSON.stringify({ punti: [] }));
    expect(await extra.json()).toMatchObject({ error: { message: expect.stringMatching(/Campi sconosciuti/) } });
    const allBad = await post(JSON.stringify([{ content: 'nessuno', metric: 'ctr', value: 'alto', time: 'ieri' }]));
    expect(allBad.status).toBe(400);
    const body = (await allBad.json()) as { error: { details: { text: string }[] }; rejected: unknown[] };
    expect(body.error.details[0]?.text).toMatch(/^\[0\] /);
    expect(body.rejected).toHaveLength(1);
    await post(JSON.stringify({ content }));
    const partial = await post(JSON.stringify([point(0), { ...point(1), value: 30 }]));
    expect(partial.status).toBe(202);
    expect(await partial.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1, reason: expect.stringMatching(/da 0 a 1/) }] });
  });

  it('a content link must be http(s): javascript:, data: and file: are refused, credentials stripped', async () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd']) {
      const r = await post(JSON.stringify({ content: [{ ...content[0], key: `bad-${url.slice(0, 4)}`, url }] }));
      expect(r.status, url).toBe(400);
      expect(JSON.stringify(await r.json()), url).toMatch(/http\(s\)/);
    }
    expect(await rpc('metrics.contents', {})).toEqual([]);
    const ok = await post(JSON.stringify({ content: [{ ...content[0], url: 'https://redazione:segreto@example.com/guida' }] }));
    expect(ok.status).toBe(202);
    const stored = (await rpc('metrics.contents', {})) as { url: string | null }[];
    expect(stored.map((c) => c.url)).toEqual(['https://example.com/guida']);
  });

  it('413 over the body limit or the batch limit', async () => {
    const big = await post(' '.repeat(LIMITS.webhookBodyBytes + 10));
    expect(big.status).toBe(413);
    const many = await post(JSON.stringify(Array.from({ length: 5001 }, (_, i) => point(i))));
    expect(many.status).toBe(413);
    expect(await many.json()).toMatchObject({ error: { code: 'too_large', message: expect.stringMatching(/5000/) } });
  });

  it('pushes metrics.points and, for a breach, alerts.changed to WebSocket clients', async () => {
    await post(JSON.stringify({ content }));
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}${EVENTS_PATH}?token=${TOKEN}`);
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
    ws.send(JSON.stringify({ session }));
    await new Promise((r) => ws.once('message', r));
    const got: { event: string; payload: { reason?: string; alert?: { severity: string } } }[] = [];
    ws.on('message', (d: Buffer) => got.push(JSON.parse(d.toString()) as (typeof got)[number]));
    expect((await post(JSON.stringify([point(5, 0.45)]))).status).toBe(202);
    await expect.poll(() => got.map((g) => g.event)).toEqual(expect.arrayContaining(['metrics.points', 'alerts.changed']));
    expect(got.find((g) => g.event === 'alerts.changed')?.payload).toMatchObject({ reason: 'fired', alert: { severity: 'critical' } });
    ws.close();
  });
});
