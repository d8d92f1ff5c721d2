// Micro-bench of the term-count write pattern under two layouts (SQL time only).
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { makeMentions } from './cost';
import { emergentTerms, ThemeVocabulary } from '../../src/core/moments/terms';
const layout = process.argv[2]!;
const total = Number(process.argv[3] ?? 1_000_000);
const db = new Database(mkdtempSync('/tmp/sb-') + '/v.db');
db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('cache_size = -65536'); db.pragma('wal_autocheckpoint = 8000'); db.pragma('temp_store = MEMORY');
const json = process.argv[4] === 'json';
if (layout === 'keyfirst') {
  db.exec(`CREATE TABLE c (key TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL, neg INTEGER NOT NULL, pos INTEGER NOT NULL, sent_sum REAL NOT NULL, brand INTEGER NOT NULL, PRIMARY KEY (key, bucket)) WITHOUT ROWID; CREATE INDEX cb ON c (bucket);`);
} else {
  db.exec(`CREATE TABLE c (bucket INTEGER NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL, neg INTEGER NOT NULL, pos INTEGER NOT NULL, sent_sum REAL NOT NULL, brand INTEGER NOT NULL, PRIMARY KEY (bucket, key)) WITHOUT ROWID;
  CREATE INDEX cp ON c (bucket) WHERE n < 3 AND key >= 't:' AND key < 't;';`);
}
const up = db.prepare(`INSERT INTO c (key, bucket, n, neg, pos, sent_sum, brand) VALUES (?, ?, ?, 0, 0, 0, 0) ON CONFLICT DO UPDATE SET n = n + excluded.n`);
const upJson = db.prepare(`INSERT INTO c (bucket, key, n, neg, pos, sent_sum, brand) SELECT value ->> 0, value ->> 1, value ->> 2, 0, 0, 0, 0 FROM json_each(?) WHERE true ON CONFLICT DO UPDATE SET n = n + excluded.n`);
const prune = layout === 'keyfirst'
  ? db.prepare(`DELETE FROM c WHERE bucket >= ? AND bucket < ? AND key LIKE 't:%' AND n < 3`)
  : db.prepare(`DELETE FROM c WHERE bucket < ? AND n < 3 AND key >= 't:' AND key < 't;' AND ? IS NOT NULL`);
console.log(db.prepare('EXPLAIN QUERY PLAN DELETE FROM c WHERE ' + (layout === 'keyfirst' ? `bucket >= 1 AND bucket < 2 AND key LIKE 't:%' AND n < 3` : `bucket < 1 AND n < 3 AND key >= 't:' AND key < 't;'`)).all().map((r: any) => r.detail));
const v = new ThemeVocabulary(['muffa OR difetto OR guasto OR rotto', 'prezzo OR prezzi OR costo OR caro', 'consegna OR corriere', 'gusto OR aroma OR crema'], ['Caffè Aurora']);
const B = 300_000; const keep = Math.ceil(2 * 86_400_000 / B);
let prunedTo = -Infinity; let lastB = -Infinity;
let cpu = 0; const chunks: number[] = [];
const tx = db.transaction((deltas: Map<string, [string, number, number]>, buckets: number[]) => {
  if (json) upJson.run(JSON.stringify([...deltas.values()].map((d) => [d[1], d[0], d[2]])));
  else for (const d of deltas.values()) up.run(d[0], d[1], d[2]);
  for (const b of buckets) {
    const cut = b - keep;
if (layout === 'keyfirst') { if (prunedTo === -Infinity) prunedTo = cut - 1; if (cut > prunedTo) { prune.run(prunedTo, cut); prunedTo = cut; } }
    else prune.run(cut, 1);
  }
});
for (let i = 0; i < total; i += 500) {
  const ms = makeMentions(i, 500);
  const deltas = new Map<string, [string, number, number]>();
  const buckets: number[] = [];
  for (const m of ms) {
    const b = Math.floor(Date.parse(m.published_at) / B);
    if (b !== lastB) { buckets.push(b); lastB = b; }
    for (const t of emergentTerms(null, m.text, v)) { const k = `t:${t}`; const id = k + '|' + b; const d = deltas.get(id); if (d) d[2]++; else deltas.set(id, [k, b, 1]); }
    for (const k of ['b:1', 'th:1']) { const id = k + '|' + b; const d = deltas.get(id); if (d) d[2]++; else deltas.set(id, [k, b, 1]); }
  }
  const c0 = process.cpuUsage(); const t0 = performance.now();
  tx(deltas, buckets);
  const c = process.cpuUsage(c0); cpu += (c.user + c.system) / 1e6;
  if ((i + 500) % 100_000 === 0) { chunks.push(cpu); console.log(layout, i + 500, 'sql cpu-s', cpu.toFixed(1), 'rows', (db.prepare('SELECT COUNT(*) AS n FROM c').get() as any).n); cpu = 0; }
}
