// The sources migration on a database built by the real earlier migrations, with data in it.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, migrations, schemaVersion, LATEST_SCHEMA_VERSION } from '../../src/core/store/migrations';
import { sources as sourcesMigration } from '../../src/core/store/migrations/004_sources';
import { SourcesRepo } from '../../src/core/store/sources-repo';
import { onClose, tempDir } from './support/core';

describe('sources migration', () => {
  it('adds schedule and health to existing sources; pushed sources with items count as healthy', () => {
    const db = new Database(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    const idx = migrations.indexOf(sourcesMigration);
    expect(idx).toBeGreaterThan(0);
    migrate(db, migrations.slice(0, idx));
    db.prepare(`INSERT INTO sources (kind, name, created_at, item_count, last_item_at) VALUES ('webhook', 'Zapier', 1, 2, 1000)`).run();
    db.prepare(`INSERT INTO sources (kind, name, created_at) VALUES ('import', 'vuoto.csv', 1)`).run();
    migrate(db);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const repo = new SourcesRepo(db);
    const [empty, zapier] = repo.records(2000).sort((a, b) => a.name.localeCompare(b.name));
    expect(zapier?.health).toMatchObject({ state: 'ok', lastSuccessAt: new Date(1000).toISOString(), consecutiveFailures: 0, nextPollAt: null });
    expect(empty?.health.state).toBe('pending');
    const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'mentions_fetched'`).all();
    expect(indexes).toHaveLength(1);
  });

  it('a polled source keeps its settings, schedule, failures and pause across reopen', () => {
    const file = join(tempDir(), 'v.db');
    const db = new Database(file);
    migrate(db);
    const repo = new SourcesRepo(db);
    const id = repo.create({ kind: 'rss', name: 'Feed', config: { url: 'https://e.it/feed' }, intervalSec: 600 }, 100);
    repo.recordFailure(id, { at: 200, kind: 'http_status', message: 'il feed ha risposto 500', httpStatus: 500, failures: 1, nextPollAt: 500 });
    db.close();
    const db2 = new Database(file);
    onClose(() => db2.close());
    const r = new SourcesRepo(db2).get(id, 300)!;
    expect(r).toMatchObject({ polled: true, intervalSec: 600, config: { url: 'https://e.it/feed' } });
    expect(r.health).toMatchObject({
      state: 'failing',
      consecutiveFailures: 1,
      nextPollAt: new Date(500).toISOString(),
      lastError: { kind: 'http_status', message: 'il feed ha risposto 500', httpStatus: 500, at: new Date(200).toISOString() },
    });
    new SourcesRepo(db2).recordFailure(id, { at: 400, kind: 'http_status', message: 'il feed è sparito (410)', failures: 2, nextPollAt: null, pausedReason: 'Sospesa: il feed è sparito (410).' });
    expect(new SourcesRepo(db2).get(id, 500)!.health).toMatchObject({ state: 'paused', pausedReason: 'Sospesa: il feed è sparito (410).', nextPollAt: null });
  });
});

describe('sources list beside an older database', () => {
  it('a reader says to open Vedetta once instead of failing on missing columns', async () => {
    const { openReadOnly } = await import('../../src/app/app');
    const dir = tempDir();
    const db = new Database(join(dir, 'vedetta.db'));
    migrate(db, migrations.slice(0, migrations.indexOf(sourcesMigration)));
    db.close();
    const ro = openReadOnly(dir);
    try {
      expect(() => ro.sources()).toThrow(/versione precedente di Vedetta: avvia Vedetta/);
      expect(ro.status()).toMatchObject({ sources: 0, mentions: 0 });
    } finally {
      ro.close();
    }
  });
});
