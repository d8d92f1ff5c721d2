// The ingest path made cheaper (issue #4) must keep every result: the full-text index written
// once per batch instead of by a trigger per row, the redundant author index gone.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/api/events';
import { IngestPipeline } from '../../src/core/ingest/pipeline';
import { openDatabase } from '../../src/core/store/db';
import { MentionsRepo } from '../../src/core/store/mentions-repo';
import { LATEST_SCHEMA_VERSION, migrate, migrations, schemaVersion } from '../../src/core/store/migrations';
import { ingest as ingestMigration } from '../../src/core/store/migrations/009_ingest';
import { SourcesRepo } from '../../src/core/store/sources-repo';
import { onClose, tempDir } from './support/core';

const T0 = Date.UTC(2026, 10, 20, 8);

function pipelineOn(db: Database.Database) {
  const mentions = new MentionsRepo(db);
  const pipeline = new IngestPipeline({ db, mentions, sources: new SourcesRepo(db), events: new EventBus(), now: () => T0, secret: () => 's'.repeat(64) });
  return { mentions, pipeline };
}

const search = (m: MentionsRepo, text: string): string[] => m.list({ text }, undefined, 100).items.map((x) => x.text).sort();
const ftsIntegrity = (db: Database.Database): void => {
  // Throws SQLITE_CORRUPT_VTAB when the index and the mentions table disagree.
  db.prepare(`INSERT INTO mentions_fts (mentions_fts, rank) VALUES ('integrity-check', 1)`).run();
};

describe('ingest migration', () => {
  it('on a database built by the earlier migrations: old mentions stay searchable, new ones are indexed per batch', () => {
    const file = join(tempDir(), 'vedetta.db');
    const old = new Database(file);
    migrate(old, migrations.filter((m) => m.version < ingestMigration.version));
    // A mention stored the old way: the per-row trigger indexed it.
    const src = old.prepare(`INSERT INTO sources (kind, name, created_at) VALUES ('import', 'archivio', 0)`).run();
    old
      .prepare(`INSERT INTO mentions (source_id, dedup_key, content_hash, text, lang, published_at, fetched_at) VALUES (?, 'k0', 'h0', 'Capsule vecchie ma buone', 'it', ?, ?)`)
      .run(src.lastInsertRowid, T0, T0);
    old.close();

    const db = openDatabase(file);
    onClose(() => db.close());
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const names = (type: string): string[] => (db.prepare('SELECT name FROM sqlite_master WHERE type = ?').all(type) as { name: string }[]).map((r) => r.name);
    expect(names('trigger')).not.toContain('mentions_fts_ai');
    expect(names('trigger')).toEqual(expect.arrayContaining(['mentions_fts_ad', 'mentions_fts_au']));
    expect(names('index')).not.toContain('mentions_author');
    expect(names('index')).toContain('mentions_author_time');

    const { mentions, pipeline } = pipelineOn(db);
    const res = pipeline.ingest(
      [
        { source: 'web', external_id: 'n1', text: 'Capsule nuove, perché così care?', published_at: new Date(T0 + 1000).toISOString() },
        { source: 'web', external_id: 'n2', title: 'Recensione', text: 'Crema ottima', published_at: new Date(T0 + 2000).toISOString() },
        // Same item again in the same batch: stored once, indexed once.
        { source: 'web', external_id: 'n1', text: 'Capsule nuove, perché così care?', published_at: new Date(T0 + 1000).toISOString() },
      ],
      'import',
    );
    expect(res.accepted).toBe(2);
    expect(search(mentions, 'capsule')).toEqual(['Capsule nuove, perché così care?', 'Capsule vecchie ma buone']);
    expect(search(mentions, 'perche')).toEqual(['Capsule nuove, perché così care?']);
    expect(search(mentions, 'recensione')).toEqual(['Crema ottima']);
    ftsIntegrity(db);

    // Re-sending the batch stores and indexes nothing more.
    const again = pipeline.ingest([{ source: 'web', external_id: 'n1', text: 'Capsule nuove, perché così care?', published_at: new Date(T0 + 1000).toISOString() }], 'import');
    expect(again.duplicates).toBe(1);
    expect(search(mentions, 'capsule')).toHaveLength(2);
    ftsIntegrity(db);

    // Edits and deletes still follow through the remaining triggers.
    db.prepare('UPDATE mentions SET text = ? WHERE id = ?').run('Crema pessima', res.ids[1]);
    expect(search(mentions, 'ottima')).toEqual([]);
    db.prepare('DELETE FROM mentions WHERE id = ?').run(res.ids[0]);
    expect(search(mentions, 'capsule')).toEqual(['Capsule vecchie ma buone']);
    ftsIntegrity(db);
  });

  it('a batch that fails rolls back its index rows with its mentions', () => {
    const db = openDatabase(join(tempDir(), 'vedetta.db'));
    onClose(() => db.close());
    const { mentions, pipeline } = pipelineOn(db);
    pipeline.ingest([{ source: 'web', external_id: 'a', text: 'prima riga', published_at: new Date(T0).toISOString() }], 'import');
    // A failure after the inserts (here: in the step that follows them) must leave nothing behind.
    const failing = new IngestPipeline({
      db,
      mentions,
      sources: new SourcesRepo(db),
      events: new EventBus(),
      now: () => T0,
      secret: () => 's'.repeat(64),
      stages: [
        {
          name: 'failing',
          after: [],
          run: () => {
            throw new Error('boom');
          },
        },
      ],
    });
    expect(() => failing.ingest([{ source: 'web', external_id: 'b', text: 'seconda riga', published_at: new Date(T0).toISOString() }], 'import')).toThrow('boom');
    expect(search(mentions, 'riga')).toEqual(['prima riga']);
    ftsIntegrity(db);
  });

  it('lookups by author still use an index (the one with the time)', () => {
    const db = openDatabase(join(tempDir(), 'vedetta.db'));
    onClose(() => db.close());
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x', 0, 1) as { detail: string }[]).map((r) => r.detail).join(' | ');
    // The quality checks' lookup (mention-quality-repo.ts), as written there.
    expect(plan('SELECT id, source_id, author_key, published_at, flag FROM mentions WHERE author_key = ? AND published_at BETWEEN ? AND ? ORDER BY published_at LIMIT 5000')).toMatch(
      /USING INDEX mentions_author_time/,
    );
  });
});
