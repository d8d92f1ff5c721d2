// `npm run bench`: measures the numbers the issues set as targets and prints a table.
// Never part of `npm test`: wall-clock numbers are reported, not asserted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import WebSocket from 'ws';
import { openApp, openReadOnly } from '../../src/core/app';
import { silentLogger } from '../../src/core/platform';
import { EVENTS_PATH, TOKEN_QUERY } from '../../src/shared/transport/http-paths';
import { startVedetta } from '../support/vedetta-process';
import { openBrowser } from '../e2e/support/browser';

interface Row {
  metric: string;
  value: string;
  target: string;
  ok: boolean | null;
}
const rows: Row[] = [];
const resourcesDir = resolve(import.meta.dirname, '../../resources');
const quick = process.argv.includes('--quick');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

function sampleMention(i: number, prefix: string): Record<string, unknown> {
  const words = ['caffè', 'crema', 'capsule', 'consegna', 'servizio', 'gusto', 'prezzo', 'app', 'negozio', 'barista'];
  return {
    source: `bench ${i % 5}`,
    external_id: `${prefix}-${i}`,
    url: `https://example.com/post/${i}?utm_source=bench&fbclid=x${i}`,
    author: `utente${i % 997}`,
    text: `Messaggio ${i}: il ${words[i % words.length]} di Aurora è ${i % 3 ? 'ottimo' : 'pessimo'}, perché ${words[(i * 7) % words.length]} non va. #aurora`,
    published_at: new Date(Date.UTC(2026, 10, 20, 8) + i * 1000).toISOString(),
    likes: i % 50,
  };
}

/** Stored mentions per second through the real pipeline, batched, with FTS and dedup. */
function benchStoreThroughput(): void {
  const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-bench-'));
  const app = openApp({ platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'cli' });
  const total = quick ? 20_000 : 100_000;
  const batch = 500;
  const items = Array.from({ length: total }, (_, i) => sampleMention(i, 'store'));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let accepted = 0;
  for (let i = 0; i < total; i += batch) accepted += app.ingestWebhook(items.slice(i, i + batch)).accepted;
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // Same items again: all must be recognised as duplicates.
  let dups = 0;
  for (let i = 0; i < total; i += batch) dups += app.ingestWebhook(items.slice(i, i + batch)).duplicates;
  app.close();
  const rate = accepted / secs;
  rows.push({ metric: `stored mentions/s (batches of ${batch}, FTS5 + dedup, ${total} items)`, value: rate.toFixed(0), target: '≥ 5000', ok: rate >= 5000 });
  rows.push({ metric: 'CPU ms per 1,000 stored mentions', value: (((cpu.user + cpu.system) / 1000 / accepted) * 1000).toFixed(1), target: '', ok: null });
  rows.push({ metric: 'duplicates recognised on re-send', value: `${dups}/${total}`, target: `${total}/${total}`, ok: dups === total });
  rmSync(dataDir, { recursive: true, force: true });
}

/** Latency from webhook POST to the event reaching a WebSocket client, at a fixed offered rate. */
async function benchWebhookLatency(): Promise<void> {
  const v = await startVedetta({ dataDir: mkdtempSync(join(tmpdir(), 'vedetta-bench-')) });
  const rate = 1000;
  const seconds = quick ? 5 : Number(process.env.BENCH_SECONDS ?? 30);
  // The first seconds (JIT, connection set-up) are sent and checked for loss like the rest
  // but kept out of the percentiles; the per-window row shows them.
  const warmup = 3;
  const total = rate * (seconds + warmup);
  const measuredFrom = rate * warmup;
  const measuredIds = new Set<string>();
  const sentAt = new Map<string, number>();
  const benchStart = performance.now();
  const latencies: number[] = [];
  const byWindow: number[][] = [];
  let eventsSeen = 0;
  let dupEvents = 0;
  const seen = new Set<string>();

  const ws = new WebSocket(`${v.url.replace(/^http/, 'ws')}${EVENTS_PATH}?${TOKEN_QUERY}=${v.token}`, { headers: { origin: v.url } });
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  ws.on('message', (data) => {
    const now = performance.now();
    const msg = JSON.parse(data.toString()) as { event: string; payload: { items?: { externalId: string | null }[] } };
    if (msg.event !== 'mentions.added') return;
    for (const m of msg.payload.items ?? []) {
      const id = m.externalId ?? '';
      const t = sentAt.get(id);
      if (t === undefined) continue;
      if (seen.has(id)) dupEvents++;
      seen.add(id);
      eventsSeen++;
      if (measuredIds.has(id)) latencies.push(now - t);
      // Per 5-s window of send time, to tell a steady cost from a growing one.
      (byWindow[Math.floor((t - benchStart) / 5000)] ??= []).push(now - t);
    }
  });

  const statusPid = v.pid;
  let peakRssKb = 0;
  const sampleRss = (): void => {
    if (!statusPid) return;
    try {
      const s = readFileSync(`/proc/${statusPid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+)/.exec(s);
      if (hwm?.[1]) peakRssKb = Math.max(peakRssKb, Number(hwm[1]));
    } catch {
      /* process gone */
    }
  };

  // node:http with keep-alive: the load generator shares the machine's two cores with the
  // server, and fetch (undici) costs several times more CPU per request.
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const target = new URL(v.webhookUrl);
  const post = (body: string): Promise<number> =>
    new Promise((res, rej) => {
      const req = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${v.webhookToken}`, 'content-length': Buffer.byteLength(body) } },
        (r) => {
          r.resume();
          r.on('end', () => res(r.statusCode ?? 0));
        },
      );
      req.on('error', rej);
      req.end(body);
    });
  // Offer `rate` single-mention POSTs per second, paced in 10 ms ticks.
  const perTick = rate / 100;
  const t0 = performance.now();
  let sent = 0;
  let failed = 0;
  const inflight = new Set<Promise<void>>();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + perTick);
    while (sent < due) {
      const m = sampleMention(sent, 'lat');
      sentAt.set(String(m.external_id), performance.now());
      if (sent >= measuredFrom) measuredIds.add(String(m.external_id));
      const p = post(String(JSON.stringify(m)))
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
    sampleRss();
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(inflight);
  const deadline = performance.now() + 10_000;
  while (eventsSeen < total - failed && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const achieved = total / ((performance.now() - t0) / 1000);
  sampleRss();
  ws.close();
  agent.destroy();
  await v.stop();

  const store = openReadOnly(v.dataDir);
  const storedRows = store.status().mentions;
  store.close();
  rmSync(v.dataDir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const p95 = percentile(latencies, 95);
  rows.push({ metric: `webhook → WebSocket latency p50 (ms), ${rate}/s offered for ${seconds} s after ${warmup} s warm-up`, value: percentile(latencies, 50).toFixed(1), target: '', ok: null });
  rows.push({ metric: 'webhook → WebSocket latency p95 (ms)', value: p95.toFixed(1), target: '< 100', ok: p95 < 100 });
  rows.push({
    metric: 'p95 per 5-s window, warm-up included (ms)',
    value: byWindow.map((w) => percentile(w.sort((a, b) => a - b), 95).toFixed(0)).join(' '),
    target: '',
    ok: null,
  });
  rows.push({ metric: 'webhook → WebSocket latency p99 (ms)', value: percentile(latencies, 99).toFixed(1), target: '', ok: null });
  rows.push({ metric: 'rate achieved (mentions/s, incl. drain)', value: achieved.toFixed(0), target: '', ok: null });
  rows.push({ metric: 'mentions lost (sent − events received)', value: String(total - eventsSeen), target: '0', ok: total - eventsSeen === 0 });
  rows.push({ metric: 'rows stored (must equal mentions sent)', value: `${storedRows}/${total}`, target: `${total}/${total}`, ok: storedRows === total });
  rows.push({ metric: 'duplicate events', value: String(dupEvents), target: '0', ok: dupEvents === 0 });
  rows.push({ metric: 'failed POSTs', value: String(failed), target: '0', ok: failed === 0 });
  rows.push({ metric: 'server peak RSS (MiB)', value: peakRssKb ? (peakRssKb / 1024).toFixed(0) : 'n/a', target: '', ok: null });
}

/** Scrolling the inbox through 100,000 stored mentions in real Chromium. */
async function benchInboxScroll(): Promise<void> {
  const total = quick ? 20_000 : 100_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-bench-ui-'));
  const app = openApp({ platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'cli' });
  for (let i = 0; i < total; i += 1000) {
    app.ingestWebhook(Array.from({ length: Math.min(1000, total - i) }, (_, k) => sampleMention(i + k, 'ui')));
  }
  await app.dispatch('settings.update', { onboarded: true });
  app.close();
  const v = await startVedetta({ dataDir });
  const b = await openBrowser(v.uiUrl, { width: 1440, height: 900 });
  await b.page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  const list = b.page.getByTestId('inbox-list');
  await list.waitFor();
  // Scroll for 10 s with the wheel, as a person would, and record frame intervals in the page.
  // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
  await b.page.evaluate(`(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => { window.__frames.push(t - last); last = t; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await list.hover();
  const t0 = performance.now();
  let maxRows = 0;
  while (performance.now() - t0 < 10_000) {
    await b.page.mouse.wheel(0, 2400);
    await new Promise((r) => setTimeout(r, 16));
    maxRows = Math.max(maxRows, await b.page.getByTestId('inbox-row').count());
  }
  const scrolled = await list.evaluate((el) => el.scrollTop);
  const frames = ((await b.page.evaluate('window.__frames')) as number[]).slice(5).sort((a, c) => a - c);
  const rowHeight = await b.page.getByTestId('inbox-row').first().evaluate((el) => el.getBoundingClientRect().height);
  await b.close();
  await v.stop();
  rmSync(dataDir, { recursive: true, force: true });
  const p95 = percentile(frames, 95);
  rows.push({ metric: `inbox scroll frame interval p95 (ms), ${total} mentions, 10 s wheel`, value: p95.toFixed(1), target: '< 33 (≥ 30 fps)', ok: p95 < 33 });
  rows.push({ metric: 'frames over 50 ms while scrolling', value: String(frames.filter((f) => f > 50).length), target: '', ok: null });
  rows.push({ metric: 'rows scrolled past in 10 s', value: String(Math.round(scrolled / Math.max(1, rowHeight))), target: '', ok: null });
  rows.push({ metric: 'max rows in the DOM at once', value: String(maxRows), target: '< 200', ok: maxRows < 200 });
}

/** A feed server in its own process, so its CPU stays out of the numbers of the app's. */
const FEED_SERVER = `
const http = require('node:http');
const N = Number(process.env.ITEMS);
const cache = new Map();
const feed = (n) => {
  let s = cache.get(n);
  if (s) return s;
  const items = [];
  for (let i = 0; i < N; i++) {
    items.push('<item><title>Fonte ' + n + ', notizia ' + i + ': il caffè di Aurora</title><link>https://news' + n + '.example/a/' + i + '?utm_source=rss</link><guid>s' + n + '-' + i + '</guid><description>&lt;p&gt;Articolo ' + i + ' della fonte ' + n + ': perché il caffè costa di più, dice l’assessore.&lt;/p&gt;</description><pubDate>' + new Date(Date.UTC(2026, 10, 20, 8) + i * 60000).toUTCString() + '</pubDate></item>');
  }
  s = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Fonte ' + n + '</title>' + items.join('') + '</channel></rss>';
  cache.set(n, s);
  return s;
};
const srv = http.createServer((req, res) => {
  const m = /^\\/feed\\/(\\d+)$/.exec(req.url);
  if (!m) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(feed(Number(m[1])));
});
srv.listen(0, '127.0.0.1', () => console.log('PORT ' + srv.address().port));
`;

/** 500 feed sources polled at once by the real scheduler, connector and store, in the process that would answer the UI. */
async function benchFeedPolling(): Promise<void> {
  const sources = quick ? 100 : 500;
  const perFeed = 20;
  const child = spawn(process.execPath, ['-e', FEED_SERVER], { env: { ...process.env, ITEMS: String(perFeed) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((res, rej) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) res(Number(m[1]));
    });
    child.on('exit', (c) => rej(new Error(`feed server exited ${c}`)));
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-bench-'));
  // Every feed is on 127.0.0.1: lift the per-host politeness limit to the global one (16 in flight).
  const app = openApp({ platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'browser', maxPerHost: Number(process.env.BENCH_FEEDS_PER_HOST ?? 16) });
  for (let n = 0; n < sources; n++) {
    await app.dispatch('sources.add', { kind: 'rss', name: `Fonte ${n}`, config: { url: `http://127.0.0.1:${port}/feed/${n}` }, intervalSec: 3600 });
  }
  const expected = sources * perFeed;
  let stored = 0;
  const done = new Promise<void>((res) => {
    app.events.subscribe((event, payload) => {
      if (event !== 'mentions.added') return;
      stored += (payload as { items: unknown[] }).items.length;
      if (stored >= expected) res();
    });
  });
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  app.startSources();
  await Promise.race([done, new Promise((r) => setTimeout(r, 120_000))]);
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  lag.disable();
  const listTimes: number[] = [];
  let list: { health: { state: string } }[] = [];
  for (let i = 0; i < 7; i++) {
    const l0 = performance.now();
    list = (await app.dispatch('sources.list', {})) as { health: { state: string } }[];
    listTimes.push(performance.now() - l0);
  }
  listTimes.sort((a, c) => a - c);
  const healthy = list.filter((s) => s.health.state === 'ok').length;
  app.close();
  child.kill();
  rmSync(dataDir, { recursive: true, force: true });
  const p99 = lag.percentile(99) / 1e6;
  rows.push({ metric: `feeds: ${sources} sources × ${perFeed} items polled at once, items stored/s`, value: (stored / secs).toFixed(0), target: '', ok: null });
  rows.push({ metric: 'feeds: CPU ms per 1,000 items (fetch, parse, normalize, store)', value: (((cpu.user + cpu.system) / 1000 / Math.max(1, stored)) * 1000).toFixed(1), target: '', ok: null });
  rows.push({ metric: 'feeds: event-loop lag p99 of the UI-serving process (ms)', value: p99.toFixed(1), target: '< 50', ok: p99 < 50 });
  rows.push({ metric: 'feeds: event-loop lag max (ms)', value: (lag.max / 1e6).toFixed(1), target: '', ok: null });
  rows.push({ metric: `feeds: sources.list with ${sources} sources and health, median (ms)`, value: percentile(listTimes, 50).toFixed(1), target: '', ok: null });
  rows.push({ metric: 'feeds: sources healthy after the round / items stored', value: `${healthy}/${sources} · ${stored}/${expected}`, target: `${sources}/${sources} · ${expected}/${expected}`, ok: healthy === sources && stored === expected });
}

function printTable(): void {
  const w0 = Math.max(...rows.map((r) => r.metric.length), 6);
  const w1 = Math.max(...rows.map((r) => r.value.length), 5);
  const w2 = Math.max(...rows.map((r) => r.target.length), 6);
  const line = `+${'-'.repeat(w0 + 2)}+${'-'.repeat(w1 + 2)}+${'-'.repeat(w2 + 2)}+------+`;
  console.log(line);
  console.log(`| ${'metric'.padEnd(w0)} | ${'value'.padStart(w1)} | ${'target'.padEnd(w2)} | ok   |`);
  console.log(line);
  for (const r of rows) {
    console.log(`| ${r.metric.padEnd(w0)} | ${r.value.padStart(w1)} | ${r.target.padEnd(w2)} | ${r.ok === null ? '    ' : r.ok ? 'yes ' : 'NO  '} |`);
  }
  console.log(line);
}

const feedsOnly = process.argv.includes('--feeds-only');
if (!process.argv.includes("--latency-only") && !feedsOnly) benchStoreThroughput();
if (!feedsOnly) await benchWebhookLatency();
if (!process.argv.includes("--latency-only") && !feedsOnly) await benchInboxScroll();
if (!process.argv.includes("--latency-only")) await benchFeedPolling();
printTable();
