import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { IngestPipeline } from '../../src/core/ingest/pipeline';
import { openDatabase } from '../../src/core/store/db';
import { MentionsRepo } from '../../src/core/store/mentions-repo';
import { SourcesRepo } from '../../src/core/store/sources-repo';
import { EventBus } from '../../src/core/api/events';
import { sentimentAnalyzer, SentimentAnalyzer } from '../../src/core/analysis/sentiment';
const resourcesDir = resolve(import.meta.dirname, '../../resources');
const texts = readFileSync(join(resourcesDir, 'demo/stream.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const total = 20000;
const real = sentimentAnalyzer(resourcesDir);
const stub = { analyze: () => ({ score: 0, label: 'neutral', terms: [], scorer: 'it' }) } as unknown as SentimentAnalyzer;
for (const [name, an] of [['stub', stub], ['real', real], ['stub', stub], ['real', real]] as const) {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'vb-')), 'v.db'));
  const p = new IngestPipeline({ db, mentions: new MentionsRepo(db), sources: new SourcesRepo(db), events: new EventBus(), now: () => Date.now(), secret: () => 'x'.repeat(64), sentiment: an });
  const items = Array.from({ length: total }, (_, i) => { const t = texts[i % texts.length]; return { source: t.source, external_id: `s-${i}`, author: t.author, text: t.text, published_at: new Date(Date.UTC(2026, 10, 20) + i * 1000).toISOString() }; });
  const c0 = process.cpuUsage();
  for (let i = 0; i < total; i += 500) p.ingest(items.slice(i, i + 500), 'webhook');
  const c = process.cpuUsage(c0);
  console.log(name, Math.round(total / ((c.user + c.system) / 1e6)), 'per cpu-s');
  db.close();
}
