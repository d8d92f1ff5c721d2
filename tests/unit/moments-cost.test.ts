// What keeps moment tracking's cost flat as the store grows (issue #14, item 8): counts keyed
// by window first (migration 017) with the prunable term windows in a partial index, so the
// prune reads only what it deletes; idle terms forgotten from memory; and a rebuild in slices
// that gives the thread back by elapsed time, answering requests in between, and that counts a
// mention stored behind its scan. No wall-clock time is asserted: the clock is injected.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { migrate, migrations } from '../../src/core/store/migrations';
import { MomentsRepo, PRUNE_TERMS_SQL } from '../../src/core/store/moments-repo';
import type { MomentsService } from '../../src/core/moments/service';
import type { Db } from '../../src/core/store/db';
import { onClose, tempDir, testApp } from './support/core';

type Row = { bucket: number; key: string; n: number; neg: number; pos: number; sent_sum: number; brand: number };
const ROWS: Row[] = [
  { key: 'b:1', bucket: 10, n: 40, neg: 3, pos: 9, sent_sum: 1.5, brand: 40 },
  { key: 't:muffa', bucket: 10, n: 1, neg: 1, pos: 0, sent_sum: -0.5, brand: 1 },
  { key: 't:muffa', bucket: 11, n: 5, neg: 4, pos: 0, sent_sum: -2, brand: 5 },
  { key: 'th:2', bucket: 9, n: 2, neg: 0, pos: 1, sent_sum: 0.25, brand: 2 },
  { key: 't:#richiamo', bucket: 9, n: 2, neg: 0, pos: 0, sent_sum: 0, brand: 0 },
];

describe('migration 017 moment_counts_by_bucket', () => {
  it('re-keys the counts of a store built by the earlier real migrations by window first, keeping every row', () => {
    const db = new Database(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    const version = migrations.find((m) => m.name === 'moment_counts_by_bucket')!.version;
    expect(version).toBe(17);
    migrate(db, migrations.filter((m) => m.version < version));
    const put = db.prepare('INSERT INTO moment_counts (key, bucket, n, neg, pos, sent_sum, brand) VALUES (@key, @bucket, @n, @neg, @pos, @sent_sum, @brand)');
    for (const r of ROWS) put.run(r);
    expect(migrate(db)).toEqual(migrations.filter((m) => m.version >= version).map((m) => m.version));

    const sorted = [...ROWS].sort((a, b) => a.bucket - b.bucket || (a.key < b.key ? -1 : 1));
    expect(db.prepare('SELECT bucket, key, n, neg, pos, sent_sum, brand FROM moment_counts').all()).toEqual(sorted);
    // The table's own key is (bucket, key): new windows append at its end.
    const pk = (db.prepare("SELECT name FROM pragma_index_list('moment_counts') WHERE origin = 'pk'").get() as { name: string }).name;
    expect((db.prepare(`SELECT name FROM pragma_index_info('${pk}') ORDER BY seqno`).all() as { name: string }[]).map((c) => c.name)).toEqual(['bucket', 'key']);
    const idx = db.prepare("SELECT name, partial FROM pragma_index_list('moment_counts') WHERE origin = 'c'").all();
    expect(idx).toEqual([{ name: 'moment_counts_prunable_terms', partial: 1 }]);
  });

  it('the term prune reads only the partial index of prunable windows, and deletes by primary key', () => {
    const db = new Database(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    migrate(db);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${PRUNE_TERMS_SQL}`).all(100, 5_000) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toMatch(/SEARCH moment_counts USING INDEX moment_counts_prunable_terms \(bucket<\?\)/);
    expect(plan).toMatch(/SEARCH moment_counts USING PRIMARY KEY \(bucket=\? AND key=\?\)/);
    expect(plan).not.toMatch(/SCAN/);
  });
});

describe('term prune', () => {
  it('drops only term windows seen once or twice before the cutoff, at most as many as asked', () => {
    const db = new Database(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    migrate(db);
    const repo = new MomentsRepo(db);
    repo.upsertCounts(ROWS);
    for (let b = 0; b < 5; b++) repo.upsertCounts([{ key: `t:parola${b}`, bucket: b, n: 1, neg: 0, pos: 0, sent_sum: 0, brand: 0 }]);
    const keys = (): string[] => (db.prepare('SELECT bucket, key FROM moment_counts ORDER BY bucket, key').all() as { bucket: number; key: string }[]).map((r) => `${r.bucket}:${r.key}`);
    // A backlog is taken in pieces.
    expect(repo.pruneTerms(11, 3)).toBe(3);
    expect(repo.pruneTerms(11, 3)).toBe(3);
    expect(repo.pruneTerms(11, 3)).toBe(1);
    expect(repo.pruneTerms(11, 3)).toBe(0);
    // Kept: the brand, a theme, a term seen 5 times, and the window at the cutoff.
    expect(keys()).toEqual(['9:th:2', '10:b:1', '11:t:muffa']);
    // Reads of one key still find its windows, in order.
    repo.upsertCounts([{ key: 'b:1', bucket: 12, n: 2, neg: 0, pos: 0, sent_sum: 0, brand: 2 }]);
    expect(repo.counts('b:1', 0, 20).map((r) => [r.bucket, r.n])).toEqual([[10, 40], [12, 2]]);
    expect(repo.bucketBounds()).toEqual({ lo: 9, hi: 12 });
  });
});

// ---- through a real app, with an injected elapsed-time clock ----
const START = Date.parse('2026-11-20T00:00:00Z');
const MIN = 60_000;
const NOW = START + 3 * 86_400_000;
// Every text names the brand: each mention counts once in the brand's windows.
const TEXTS = ['Il barista di Caffè Aurora è gentile', 'Capsule di Caffè Aurora con la muffa, che schifo', 'Pausa con gli amici, Caffè Aurora', 'Caffè Aurora, crema buonissima stamattina'];
/** Mentions `from`…`from + n - 1` of one stream, one every 2 minutes, each with its own hashtag. */
const stream = (from: number, n: number): Record<string, unknown>[] =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      source: 'Reddit r/italy',
      external_id: `m${i}`,
      author: `autore${i % 37}`,
      text: `${TEXTS[i % TEXTS.length]!} #parola${i}`,
      lang: 'it',
      published_at: new Date(START + i * 2 * MIN).toISOString(),
    };
  });

async function setup(elapsed: () => number): Promise<{ app: ReturnType<typeof testApp>['app']; svc: MomentsService; brandKey: string; dataDir: string }> {
  const { app, dataDir } = testApp({ now: () => NOW, elapsed });
  const brand = (await app.dispatch('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
  await app.dispatch('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
  const svc = (app as unknown as { moments: MomentsService }).moments;
  await svc.idle();
  for (let i = 0; i < 1_200; i += 300) app.ingestWebhook(stream(i, 300));
  return { app, svc, brandKey: `b:${brand.id}`, dataDir };
}

function brandCount(dataDir: string, key: string): number {
  const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
  try {
    return (db.prepare('SELECT COALESCE(SUM(n), 0) AS n FROM moment_counts WHERE key = ?').get(key) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('rebuild in slices', () => {
  it('gives the thread back after each slice that took long enough, and requests are answered in between', async () => {
    // Every reading of the clock says 50 ms passed: each slice is over the bound.
    let t = 0;
    const { app, svc } = await setup(() => (t += 50));
    const answered: { busy: boolean; rows: number }[] = [];
    // The main connection's checkpoint mark: the WAL is copied back on another thread meanwhile.
    const db = (app as unknown as { db: Db }).db;
    const marks = new Set<number>();
    let probing = true;
    const probe = (): void => {
      if (!probing) return;
      void app.dispatch('moments.list', { limit: 5 }).then(() => {
        answered.push({ busy: svc.busy, rows: svc.rebuildStats.rows });
        if (svc.busy) marks.add(db.pragma('wal_autocheckpoint', { simple: true }) as number);
        setImmediate(probe);
      });
    };
    const before = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    const done = svc.rebuild();
    setImmediate(probe);
    await done;
    probing = false;
    expect([...marks]).toEqual([0]);
    // Put back once the last copy is made, after the rebuild itself has ended.
    await expect.poll(() => db.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
    const s = svc.rebuildStats;
    expect(s.rows).toBe(1_200);
    expect(s.yields).toBe(s.slices);
    // Slices shrink to what fits the bound: many of them, each small.
    expect(s.slices).toBeGreaterThan(30);
    const during = answered.filter((a) => a.busy);
    // Answered while clearing (no row read yet), all along the scan, and not only at its end.
    expect(during.some((a) => a.rows === 0)).toBe(true);
    expect(new Set(during.map((a) => a.rows)).size).toBeGreaterThan(20);
    expect(during.filter((a) => a.rows > 0 && a.rows < 1_200).length).toBeGreaterThan(20);
  });

  it('yields by elapsed time, not by rows: when no time passes it runs through in large slices', async () => {
    const { svc } = await setup(() => 0);
    await svc.rebuild();
    expect(svc.rebuildStats.rows).toBe(1_200);
    expect(svc.rebuildStats.yields).toBe(0);
    expect(svc.rebuildStats.slices).toBeLessThan(10);
  });

  it('counts a mention stored during the rebuild behind its scan, and one ahead of it', async () => {
    let t = 0;
    const { app, svc, brandKey, dataDir } = await setup(() => (t += 50));
    expect(brandCount(dataDir, brandKey)).toBe(1_200);
    let sent = false;
    let busyWhenSent = false;
    const probe = (): void => {
      if (!svc.busy) return;
      if (!sent && svc.rebuildStats.rows >= 600) {
        sent = true;
        busyWhenSent = svc.busy;
        // Published in the first hour (the scan is past it) and after the last mention.
        app.ingestWebhook([
          { source: 'Forum', external_id: 'late', text: 'Caffè Aurora, capsule in ritardo', lang: 'it', published_at: new Date(START + 30 * MIN).toISOString() },
          { source: 'Forum', external_id: 'ahead', text: 'Caffè Aurora di sera', lang: 'it', published_at: new Date(START + 2_500 * MIN).toISOString() },
        ]);
      }
      setImmediate(probe);
    };
    const done = svc.rebuild();
    setImmediate(probe);
    await done;
    expect(sent && busyWhenSent).toBe(true);
    expect(brandCount(dataDir, brandKey)).toBe(1_202);
    // A rebuild from scratch agrees.
    await svc.rebuild();
    expect(brandCount(dataDir, brandKey)).toBe(1_202);
  });
});

describe('mentions stored while a rebuild runs', () => {
  /** Sends a mention at every turn of the event loop while the rebuild runs; how many were sent. */
  async function sendDuring(app: ReturnType<typeof testApp>['app'], svc: MomentsService): Promise<number> {
    let sent = 0;
    const probe = (): void => {
      if (!svc.busy || sent === 400) return;
      // Published in the stream's last ten hours: some land behind the scan, some ahead of it.
      const at = START + (1_800 + ((sent * 37) % 600)) * MIN;
      app.ingestWebhook([{ source: 'Forum', external_id: `during-${sent}`, text: 'Caffè Aurora, capsule buone', lang: 'it', published_at: new Date(at).toISOString() }]);
      sent++;
      setImmediate(probe);
    };
    const done = svc.rebuild();
    setImmediate(probe);
    await done;
    await svc.idle();
    return sent;
  }

  it('are all counted, whenever they arrive: while clearing, during the scan, as it ends', async () => {
    let t = 0;
    const { app, svc, brandKey, dataDir } = await setup(() => (t += 50));
    const sent = await sendDuring(app, svc);
    expect(sent).toBeGreaterThan(20);
    expect(brandCount(dataDir, brandKey)).toBe(1_200 + sent);
  });

  it('are counted when they arrive in the turn the scan gave back after reading its last rows or finding none', async () => {
    // Each read of the scan is followed by a turn given back to the loop: a mention stored in
    // that turn is neither in the rows just read nor, if the scan thought it was past them, in
    // the next read. The last read finds nothing: a mention stored in the turn after it was lost.
    let t = 0;
    const { app, svc, brandKey, dataDir } = await setup(() => (t += 50));
    const scan = MomentsRepo.prototype.scan;
    let sent = 0;
    let emptyReads = 0;
    const spy = vi.spyOn(MomentsRepo.prototype, 'scan').mockImplementation(function (this: MomentsRepo, ...args) {
      const rows = scan.apply(this, args);
      const lastAt = rows[rows.length - 1]?.published_at ?? START + 2_400 * MIN;
      // After each read of the stream, and after the first read that finds nothing.
      if (lastAt >= START + 3_000 * MIN || (rows.length === 0 && emptyReads++ > 0)) return rows;
      const n = sent;
      sent += 2;
      // Stored right after this read, in the turn the rebuild gives back: one published with
      // the first row read (behind where the scan now stands) and one after everything.
      setImmediate(() =>
        app.ingestWebhook([
          { source: 'Forum', external_id: `read-${n}`, text: 'Caffè Aurora, capsule buone', lang: 'it', published_at: new Date(rows[0]?.published_at ?? lastAt).toISOString() },
          { source: 'Forum', external_id: `read-${n + 1}`, text: 'Caffè Aurora di sera', lang: 'it', published_at: new Date(START + 3_000 * MIN + n).toISOString() },
        ]),
      );
      return rows;
    });
    try {
      await svc.rebuild();
    } finally {
      spy.mockRestore();
    }
    await svc.idle();
    expect(sent).toBeGreaterThan(20);
    expect(brandCount(dataDir, brandKey)).toBe(1_200 + sent);
  });

  it('are counted when the rebuild never gave the thread back until its scan ended', async () => {
    // No time passes: the rebuild runs through without a turn of the event loop, so the only
    // moment a mention can arrive is after its scan (a wait there once lost them).
    const { app, svc, brandKey, dataDir } = await setup(() => 0);
    const sent = await sendDuring(app, svc);
    expect(brandCount(dataDir, brandKey)).toBe(1_200 + sent);
  });
});

describe('memory of terms', () => {
  it('forgets terms nobody used for a while, keeps the brand and themes', async () => {
    const { svc, brandKey } = await setup(() => 0);
    const series = (svc as unknown as { memory: { series: { keys(): Iterable<string>; has(key: string): boolean } } }).memory.series;
    // 1,200 mentions each with its own hashtag over 40 hours: only the recent ones are kept.
    const terms = [...series.keys()].filter((k) => k.startsWith('t:#parola'));
    expect(terms.length).toBeGreaterThan(0);
    expect(terms.length).toBeLessThan(1_000);
    expect(series.has('t:#parola1199')).toBe(true);
    expect(series.has('t:#parola0')).toBe(false);
    expect(series.has(brandKey)).toBe(true);
  });
});
