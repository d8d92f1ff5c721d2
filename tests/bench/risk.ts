// Bench rows of audiences and risk: membership re-match after an audience edit, the risk of
// N moments × M audiences recomputed (what a rebuild or an audience edit costs), one live
// recomputation of the open moments, and the audience list with its figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openApp } from '../../src/app/app';
import { silentLogger } from '../../src/core/platform';
import type { AudiencesService } from '../../src/core/audiences/service';

interface Row {
  metric: string;
  value: string;
  target: string;
  ok: boolean | null;
}

export async function benchRisk(rows: Row[], resourcesDir: string, quick: boolean): Promise<void> {
  const M = 20;
  const N = quick ? 50 : 200;
  const PER_MOMENT = 500;
  const MENTIONS = quick ? 10_000 : 40_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-bench-risk-'));
  const app = openApp({ platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'cli' });
  const svc = (app as unknown as { audiences: AudiencesService }).audiences;
  const t0 = Date.parse('2026-11-20T08:00:00Z');
  for (let i = 0; i < MENTIONS; i += 5_000) {
    app.ingestWebhook(
      Array.from({ length: Math.min(5_000, MENTIONS - i) }, (_, k) => {
        const n = i + k;
        return {
          source: `Fonte ${n % 25}`,
          external_id: `r${n}`,
          author: `autore${n % 3_000}`,
          text: `Menzione ${n} #tema${n % 40} su Aurora`,
          published_at: new Date(t0 + n * 900).toISOString(),
          likes: n % 97,
          comments: n % 13,
          score: n % 31,
        };
      }),
    );
  }
  for (let a = 0; a < M - 1; a++) {
    await app.dispatch('audiences.create', { name: `Pubblico ${a}`, type: ['primary', 'secondary', 'generic'][a % 3], rules: { sources: [`Fonte ${a}`], hashtags: [`#tema${a}`] } });
  }
  await svc.idle();
  // One more audience, timed: its re-match reads every stored mention.
  const r0 = performance.now();
  await app.dispatch('audiences.create', { name: 'Pubblico hashtag', type: 'generic', rules: { hashtags: ['#tema39'], communities: ['r/italy'] } });
  await svc.idle();
  const rematchSecs = (performance.now() - r0) / 1000;
  rows.push({ metric: `audience re-match over ${MENTIONS} stored mentions (mentions/s)`, value: (MENTIONS / rematchSecs).toFixed(0), target: '', ok: null });

  // N moments, each linked to PER_MOMENT mentions, written beside the app as the detector would.
  const db = new Database(join(dataDir, 'vedetta.db'));
  db.pragma('busy_timeout = 5000');
  const ins = db.prepare<[number, number, number]>(`INSERT INTO moments (kind, state, key, key_kind, title, opened_at, updated_at, peak_z, created_at)
    VALUES ('crisis', 'open', 'b:' || ?, 'brand', 'bench', ?, ?, 5, 0)`);
  const link = db.prepare<[number, number, number]>('INSERT OR IGNORE INTO moment_mentions (moment_id, mention_id, published_at) VALUES (?, ?, ?)');
  const ids: number[] = [];
  db.transaction(() => {
    for (let m = 0; m < N; m++) {
      const id = Number(ins.run(m, t0, t0).lastInsertRowid);
      ids.push(id);
      const start = (m * 173) % (MENTIONS - PER_MOMENT);
      for (let k = 0; k < PER_MOMENT; k++) link.run(id, start + k + 1, t0 + (start + k) * 900);
    }
  })();
  db.close();

  const c0 = performance.now();
  for (const id of ids) svc.computeRisk(id);
  const ms = performance.now() - c0;
  rows.push({ metric: `risk of ${N} moments × ${M} audiences (${PER_MOMENT} mentions each), total ms`, value: ms.toFixed(0), target: '', ok: null });
  rows.push({ metric: 'risk of one moment (ms, mean; longest synchronous step of a recompute)', value: (ms / N).toFixed(2), target: '< 50', ok: ms / N < 50 });
  const l0 = performance.now();
  const list = svc.list();
  const listMs = performance.now() - l0;
  rows.push({ metric: `audiences.list with figures, ${list.items.length} audiences (ms)`, value: listMs.toFixed(0), target: '< 200', ok: listMs < 200 });
  app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
