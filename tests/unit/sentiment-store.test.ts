// Sentiment in the store: the migration on a database built by the real migrations, the
// analyze step of the ingest path and the label filter (the background re-score: sentiment-rescore.test.ts).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/api/events';
import { IngestPipeline } from '../../src/core/ingest/pipeline';
import { openDatabase } from '../../src/core/store/db';
import { MentionsRepo } from '../../src/core/store/mentions-repo';
import { LATEST_SCHEMA_VERSION, migrate, migrations, schemaVersion } from '../../src/core/store/migrations';
import { sentiment as sentimentMigration } from '../../src/core/store/migrations/002_sentiment';
import { SourcesRepo } from '../../src/core/store/sources-repo';
import { MentionSchema } from '../../src/shared/schemas';
import { onClose, tempDir } from './support/core';

const before = migrations.filter((m) => m.version < sentimentMigration.version);

/** A database at the schema just before sentiment, with `n` mentions stored the old way. */
function oldDatabase(n: number) {
  const file = join(tempDir(), 'vedetta.db');
  const db = new Database(file);
  migrate(db, before);
  expect(schemaVersion(db)).toBe(sentimentMigration.version - 1);
  const src = db.prepare(`INSERT INTO sources (kind, name, created_at) VALUES ('import', 'vecchio', 0)`).run();
  const ins = db.prepare(
    `INSERT INTO mentions (source_id, dedup_key, content_hash, text, lang, published_at, fetched_at)
     VALUES (?, ?, 'h', ?, ?, ?, 0)`,
  );
  const texts = ['Che schifo, non funziona niente!', 'Bellissimo, consigliatissimo 😍', 'Ordine numero 12 spedito.'];
  for (let i = 0; i < n; i++) ins.run(src.lastInsertRowid, `k${i}`, texts[i % texts.length], 'it', i);
  db.close();
  return file;
}

describe('sentiment migration', () => {
  it('adds nullable columns and keeps old rows unscored', () => {
    const file = oldDatabase(3);
    const db = openDatabase(file);
    onClose(() => db.close());
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const rows = db.prepare('SELECT sentiment_score, sentiment_label, sentiment_terms FROM mentions').all();
    expect(rows).toEqual(Array(3).fill({ sentiment_score: null, sentiment_label: null, sentiment_terms: null }));
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['mentions_sentiment', 'mentions_unscored']));
    // The label is constrained, the score bounded.
    expect(() => db.prepare(`UPDATE mentions SET sentiment_label = 'felice' WHERE id = 1`).run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE mentions SET sentiment_score = 2 WHERE id = 1').run()).toThrow(/CHECK/);
    // A read of an unscored row is a valid mention with null sentiment.
    const m = new MentionsRepo(db).get(1);
    expect(MentionSchema.parse(m)).toMatchObject({ sentimentScore: null, sentimentLabel: null, sentimentTerms: [] });
  });

  it('is re-run safe: migrating an up-to-date database changes nothing', () => {
    const db = openDatabase(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    expect(migrate(db)).toEqual([]);
  });
});

function pipelineOn(file: string) {
  const db = openDatabase(file);
  onClose(() => db.close());
  const mentions = new MentionsRepo(db);
  const events = new EventBus();
  const pipeline = new IngestPipeline({ db, mentions, sources: new SourcesRepo(db), events, now: () => Date.UTC(2026, 0, 1), secret: () => 's'.repeat(64) });
  return { db, mentions, pipeline, events };
}

describe('analyze step of the ingest path', () => {
  it('scores every mention before it is stored, and the event carries the score', () => {
    const { mentions, pipeline, events } = pipelineOn(join(tempDir(), 'v.db'));
    const seen: unknown[] = [];
    events.subscribe((e, p) => {
      if (e === 'mentions.added') seen.push(...(p as { items: unknown[] }).items);
    });
    const res = pipeline.ingest(
      [
        { source: 's', external_id: '1', text: 'Capsule arrivate rotte, che vergogna!' },
        { source: 's', external_id: '2', text: 'Il nuovo blend è buonissimo, grazie!' },
        { source: 's', external_id: '3', text: 'Worst customer service ever, never again.' },
        { source: 's', external_id: '4', text: 'La consegna è prevista per martedì.' },
      ],
      'webhook',
    );
    expect(res.accepted).toBe(4);
    const stored = res.ids.map((id) => mentions.get(id));
    expect(stored.map((m) => m?.sentimentLabel)).toEqual(['negative', 'positive', 'negative', 'neutral']);
    const first = stored[0];
    expect(first?.sentimentScore).toBeLessThan(0);
    // The model's strongest reasons, in the text's own words.
    expect(first?.sentimentTerms.slice(0, 2).map((t) => t.term)).toEqual(['vergogna', 'rotte']);
    expect(first?.sentimentTerms[0]?.weight).toBeLessThan(0);
    expect(seen).toEqual(stored);
  });

  it('filters the inbox by label, alone and with text search', () => {
    const { mentions, pipeline } = pipelineOn(join(tempDir(), 'v.db'));
    pipeline.ingest(
      [
        { source: 's', external_id: '1', text: 'Caffè ottimo', published_at: '2026-01-01T10:00:00Z' },
        { source: 's', external_id: '2', text: 'Caffè pessimo', published_at: '2026-01-01T11:00:00Z' },
        { source: 's', external_id: '3', text: 'Caffè in offerta', published_at: '2026-01-01T12:00:00Z' },
        { source: 's', external_id: '4', text: 'Tè pessimo', published_at: '2026-01-01T13:00:00Z' },
      ],
      'import',
    );
    const neg = mentions.list({ sentiments: ['negative'] }, undefined, 10);
    expect(neg.items.map((m) => m.text)).toEqual(['Tè pessimo', 'Caffè pessimo']);
    expect(neg.total).toBe(2);
    expect(mentions.list({ sentiments: ['negative'], text: 'caffe' }, undefined, 10).items.map((m) => m.text)).toEqual(['Caffè pessimo']);
    expect(mentions.list({ sentiments: ['positive', 'neutral'] }, undefined, 10).total).toBe(2);
    expect(mentions.list({ sentiments: [] }, undefined, 10).total).toBe(4);
  });
});
