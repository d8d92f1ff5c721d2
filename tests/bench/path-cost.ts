// A small driver for profiling the ingest path alone (no rebuild, no table): opens a workspace
// as the cost bench does, ingests BENCH_COST_MENTIONS (default 40,000) generated mentions in
// batches of 500 and prints mentions per CPU-second. Terms follow BENCH_COST_TERMS as there.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bin/tsx.mjs tests/bench/path-cost.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openApp } from '../../src/app/app';
import { silentLogger } from '../../src/core/platform';
import type { MomentsService } from '../../src/core/moments/service';
import { makeMentions, workspace } from './cost';

const total = Number(process.env.BENCH_COST_MENTIONS ?? 40_000);
const batch = 500;
const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-path-cost-'));
const app = openApp({ platform: { dataDir, resourcesDir: resolve(import.meta.dirname, '../../resources'), now: () => Date.now(), logger: silentLogger }, mode: 'cli' });
await workspace(app);
await new Promise((r) => setTimeout(r, 400));
await (app as unknown as { moments: MomentsService }).moments.idle();
// Generating the texts is not part of the path: made first, outside the measure.
const batches: ReturnType<typeof makeMentions>[] = [];
for (let i = 0; i < total; i += batch) batches.push(makeMentions(i, Math.min(batch, total - i)));
let accepted = 0;
const c0 = process.cpuUsage();
for (const items of batches) accepted += app.ingestWebhook(items).accepted;
const c = process.cpuUsage(c0);
const secs = (c.user + c.system) / 1e6;
console.log(`${accepted} mentions in ${secs.toFixed(2)} CPU-s: ${(accepted / secs).toFixed(0)} per CPU-s (terms ${process.env.BENCH_COST_TERMS === 'off' ? 'off' : 'on'})`);
app.close();
rmSync(dataDir, { recursive: true, force: true });
