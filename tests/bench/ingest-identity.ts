// The ingest path's outputs, dumped so two versions of the code can be compared byte for byte
// (issue #14 item 8: the path got cheaper, and nothing it stores may change). Ingests the cost
// bench's first 5,000 generated mentions and every labelled text of ../shared/fixtures/sentiment
// (as webhook items, in batches of 500) into a fresh workspace with the cost bench's brand and
// themes, then writes one line per stored mention: language, sentiment score, label, drivers and
// model, matched themes with relevance and spans, quality flag, and the keys derived from it.
//   node bin/tsx.mjs tests/bench/ingest-identity.ts OUT.tsv
// Run it on two checkouts and `cmp` the files.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openApp } from '../../src/app/app';
import { silentLogger } from '../../src/core/platform';
import type { MomentsService } from '../../src/core/moments/service';
import { makeMentions, STREAM_START, workspace } from './cost';

const out = process.argv[2];
if (!out) {
  console.error('Uso: node bin/tsx.mjs tests/bench/ingest-identity.ts OUT.tsv');
  process.exit(2);
}
const fixtures = resolve(import.meta.dirname, '../../../shared/fixtures/sentiment');

const items: unknown[] = makeMentions(0, 5_000);
for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.jsonl')).sort()) {
  const lines = readFileSync(join(fixtures, file), 'utf8').split('\n').filter((l) => l.trim());
  lines.forEach((line, i) => {
    const { text } = JSON.parse(line) as { text: string };
    items.push({
      source: `fixture ${file}`,
      external_id: `${file}:${i}`,
      author: `autore${i % 997}`,
      text,
      published_at: new Date(STREAM_START + 7 * 86_400_000 + items.length * 1000).toISOString(),
    });
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-identity-'));
const app = openApp({ platform: { dataDir, resourcesDir: resolve(import.meta.dirname, '../../resources'), now: () => Date.UTC(2025, 0, 20), logger: silentLogger }, mode: 'cli' });
await workspace(app, false);
await new Promise((r) => setTimeout(r, 400));
await (app as unknown as { moments: MomentsService }).moments.idle();
let accepted = 0;
for (let i = 0; i < items.length; i += 500) accepted += app.ingestWebhook(items.slice(i, i + 500)).accepted;
app.close();

const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
const rows = db
  .prepare(
    `SELECT m.external_id, m.lang, m.sentiment_score, m.sentiment_label, m.sentiment_terms, m.sentiment_model, m.sentiment_model_label,
            m.flag, m.flag_detail, m.dedup_key, m.content_hash, m.author_key, m.text,
            (SELECT group_concat(theme_id || ':' || relevance || ':' || spans, ' ') FROM
               (SELECT * FROM mention_themes t WHERE t.mention_id = m.id ORDER BY theme_id)) AS themes
     FROM mentions m ORDER BY m.external_id`,
  )
  .all() as Record<string, unknown>[];
db.close();
rmSync(dataDir, { recursive: true, force: true });
// Author pseudonyms are keyed by the workspace's random secret: compared as which rows share one.
const authors = new Map<unknown, string>();
for (const r of rows) {
  if (r.author_key === null) continue;
  if (!authors.has(r.author_key)) authors.set(r.author_key, `a${authors.size}`);
  r.author_key = authors.get(r.author_key);
}
writeFileSync(out, rows.map((r) => Object.values(r).map((v) => JSON.stringify(v)).join('\t')).join('\n') + '\n');
console.log(`${items.length} items, ${accepted} stored, ${rows.length} rows written to ${out}`);
