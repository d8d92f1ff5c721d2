// Bench rows of issue #17 item 8: how fast the views a person opens all day answer at scale.
// Builds a workspace of BENCH_VIEWS_MENTIONS (default 1,000,000; 200,000 with --quick) of the
// cost bench's realistic mentions through the real ingest path, with audiences and responses,
// then times each view's op as the UI calls it (through dispatch, validation included): the
// first call and then REPEAT more, p95 of those. BENCH_VIEWS_DIR keeps the store: a second run
// on it skips the build (the build is most of the time); BENCH_VIEWS_EDITS=off skips the edits' rows.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openApp } from '../../src/app/app';
import { silentLogger } from '../../src/core/platform';
import type { MomentsService } from '../../src/core/moments/service';
import { makeMentions, workspace } from './cost';
import { percentile } from './load';

interface Row {
  metric: string;
  value: string;
  target: string;
  ok: boolean | null;
}

type App = ReturnType<typeof openApp>;

const REPEAT = 20;
const TARGET_MS = 100;

async function build(app: App, total: number): Promise<void> {
  await workspace(app);
  const moments = (app as unknown as { moments: MomentsService }).moments;
  await new Promise((r) => setTimeout(r, 400));
  await moments.idle();
  const batch = 500;
  const t0 = performance.now();
  for (let i = 0; i < total; i += batch) {
    app.ingestWebhook(makeMentions(i, Math.min(batch, total - i)));
    if (process.env.BENCH_VERBOSE && (i + batch) % 100_000 === 0) console.log(`views: ${i + batch} mentions, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  await moments.idle();
}

/** Audiences of each kind of rule the bench's mentions can meet (source, hashtag, theme). */
async function audiences(app: App): Promise<number[]> {
  const themes = (await app.dispatch('perimeters.list', {})) as { themes: { id: number }[] };
  const defs = [
    { name: 'Forum', type: 'primary', rules: { sources: ['Forum Caffè'] } },
    { name: 'Recensioni', type: 'secondary', rules: { sources: ['Recensioni'] } },
    { name: 'Hashtag caffè', type: 'generic', rules: { hashtags: ['#caffè', '#crema'] } },
    { name: 'Chi parla di prezzi', type: 'secondary', rules: { themeIds: themes.themes.slice(1, 2).map((t) => t.id) } },
    { name: 'Chi parla di difetti', type: 'primary', rules: { themeIds: themes.themes.slice(0, 1).map((t) => t.id) } },
  ];
  const ids: number[] = [];
  for (const d of defs) ids.push(((await app.dispatch('audiences.create', d)) as { id: number }).id);
  return ids;
}

/** A working queue: 300 responses on mentions across the store, a third sent for approval. */
async function responses(app: App, stored: number): Promise<void> {
  const channel = (await app.dispatch('publishing.channelCreate', { kind: 'manual', name: 'A mano' })) as { id: number };
  for (let i = 0; i < 300; i++) {
    const targetId = 1 + Math.floor((i * stored) / 300);
    const d = (await app.dispatch('responses.create', { targetKind: 'mention', targetId, channelId: channel.id, text: `Grazie della segnalazione n. ${i}, vi rispondiamo in privato.` })) as { response: { id: number } };
    if (i % 3 === 0) await app.dispatch('responses.submit', { id: d.response.id });
  }
}

async function waitAudiences(app: App): Promise<void> {
  for (;;) {
    const r = (await app.dispatch('audiences.list', {})) as { rematch: { running: boolean } | null };
    if (!r.rematch || !r.rematch.running) return;
    await new Promise((res) => setTimeout(res, 200));
  }
}

async function time(fn: () => Promise<unknown>): Promise<{ first: number; p95: number }> {
  const t0 = performance.now();
  await fn();
  const first = performance.now() - t0;
  const ms: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { first, p95: percentile(ms, 95) };
}

export async function benchViews(rows: Row[], resourcesDir: string, quick: boolean): Promise<void> {
  const total = Number(process.env.BENCH_VIEWS_MENTIONS ?? (quick ? 200_000 : 1_000_000));
  const keep = process.env.BENCH_VIEWS_DIR;
  if (keep) mkdirSync(keep, { recursive: true });
  const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'vedetta-bench-views-'));
  const app = openApp({ platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'cli' });
  let stored = ((await app.dispatch('app.info', {})) as { mentionCount: number }).mentionCount;
  if (stored === 0) {
    await build(app, total);
    stored = total;
  }
  if (((await app.dispatch('responses.list', { queue: 'all' })) as { items: unknown[] }).items.length === 0) await responses(app, stored);
  let audienceIds = ((await app.dispatch('audiences.list', {})) as { items: { id: number }[] }).items.map((a) => a.id);
  if (audienceIds.length === 0) audienceIds = await audiences(app);
  await waitAudiences(app);
  const themeIds = ((await app.dispatch('perimeters.list', {})) as { themes: { id: number }[] }).themes.map((t) => t.id);
  const size = `${(stored / 1000).toFixed(0)}k mentions`;

  const views: [string, () => Promise<unknown>][] = [
    ['inbox, first page', () => app.dispatch('mentions.list', { limit: 50 })],
    ['inbox, one theme', () => app.dispatch('mentions.list', { query: { themeIds: themeIds.slice(0, 1) }, limit: 50 })],
    ['inbox, three themes', () => app.dispatch('mentions.list', { query: { themeIds: themeIds.slice(0, 3) }, limit: 50 })],
    ['inbox, one audience', () => app.dispatch('mentions.list', { query: { audienceIds: audienceIds.slice(0, 1) }, limit: 50 })],
    ['inbox, text search', () => app.dispatch('mentions.list', { query: { text: 'consegna ritardo' }, limit: 50 })],
    ['inbox, text + language + sentiment', () => app.dispatch('mentions.list', { query: { text: 'caffè', langs: ['it'], sentiments: ['negative'] }, limit: 50 })],
    ['inbox, by relevance', () => app.dispatch('mentions.list', { sort: 'relevance', limit: 50 })],
    ['audiences list', () => app.dispatch('audiences.list', {})],
    ['responses queues', () => app.dispatch('responses.list', { queue: 'all' })],
    ['moments list', () => app.dispatch('moments.list', { limit: 50 })],
    ['risk map', () => app.dispatch('risk.map', {})],
    ['query tester', () => app.dispatch('perimeters.testQuery', { query: '(consegna OR corriere) AND ritardo', sample: 5 })],
  ];
  for (const [name, fn] of views) {
    const r = await time(fn);
    rows.push({ metric: `views: ${name}, p95 of ${REPEAT} (ms; first ${r.first.toFixed(0)}; ${size})`, value: r.p95.toFixed(1), target: `< ${TARGET_MS}`, ok: r.p95 < TARGET_MS });
  }
  // BENCH_VIEWS_EDITS=off: the views alone (the edits re-read the whole store, minutes at 1,000,000).
  if (process.env.BENCH_VIEWS_EDITS !== 'off') await editsRows(rows, app, themeIds, size);
  app.close();
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Edits that set off work over the whole store: how long the op takes to answer, the longest
 * the event loop is kept from answering anything else until the work is done (a 5-ms probe),
 * and, for audiences, how many stored rows the re-read went through.
 */
async function editsRows(rows: Row[], app: App, themeIds: number[], size: string): Promise<void> {
  const probe = (): { stop(): number } => {
    let last = performance.now();
    let max = 0;
    const t = setInterval(() => {
      const now = performance.now();
      max = Math.max(max, now - last - 5);
      last = now;
    }, 5);
    return {
      stop: () => {
        clearInterval(t);
        return max;
      },
    };
  };
  const perimeters = (app as unknown as { perimeters: { busy: boolean } }).perimeters;
  const audienceSvc = app.audiences as unknown as { repo: { scan: (a: number, l: number) => unknown[] }; idle(): Promise<void> };

  let p = probe();
  let t0 = performance.now();
  const brandId = ((await app.dispatch('perimeters.list', {})) as { brands: { id: number }[] }).brands[0]!.id;
  const theme = (await app.dispatch('perimeters.themeCreate', { brandId, name: 'Bench macchine', query: 'macchina OR moka OR filtro', swot: 'weakness' })) as { id: number };
  const answered = performance.now() - t0;
  while (perimeters.busy) await new Promise((r) => setTimeout(r, 50));
  await (app as unknown as { moments: MomentsService }).moments.idle();
  await audienceSvc.idle();
  rows.push({ metric: `views: create a theme, op answered (ms; ${size})`, value: answered.toFixed(0), target: '', ok: null });
  rows.push({ metric: `  longest event-loop stall until its re-match is done (ms; re-match ${((performance.now() - t0) / 1000).toFixed(1)} s)`, value: p.stop().toFixed(0), target: `< ${TARGET_MS}`, ok: null });
  await app.dispatch('perimeters.themeDelete', { id: theme.id });
  while (perimeters.busy) await new Promise((r) => setTimeout(r, 50));

  const stored = ((await app.dispatch('app.info', {})) as { mentionCount: number }).mentionCount;
  let scanned = 0;
  const scan = audienceSvc.repo.scan.bind(audienceSvc.repo);
  audienceSvc.repo.scan = (a, l) => {
    const r = scan(a, l);
    scanned += r.length;
    return r;
  };
  p = probe();
  t0 = performance.now();
  const made: number[] = [];
  for (let i = 0; i < 5; i++) {
    made.push(((await app.dispatch('audiences.create', { name: `Bench fonte ${i}`, type: 'generic', rules: { sources: [['Social', 'Blog', 'Notizie', 'Forum Caffè', 'Recensioni'][i]!] } })) as { id: number }).id);
  }
  await audienceSvc.idle();
  rows.push({ metric: `views: five audiences created in a row, rows re-read / stored (${((performance.now() - t0) / 1000).toFixed(1)} s)`, value: (scanned / stored).toFixed(2), target: '< 1.5', ok: scanned / stored < 1.5 });
  rows.push({ metric: '  longest event-loop stall meanwhile (ms)', value: p.stop().toFixed(0), target: `< ${TARGET_MS}`, ok: null });
  audienceSvc.repo.scan = scan;
  for (const id of made) await app.dispatch('audiences.delete', { id });
}
