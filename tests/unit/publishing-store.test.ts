// The publishing migration on a database built by the real earlier migrations (with data in
// it), and the outbox's state rules: one row per idempotency key, `sending` claimed once.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrate, migrations, schemaVersion } from '../../src/core/store/migrations';
import { publishing as publishingMigration } from '../../src/core/store/migrations/010_publishing';
import { OutboxRepo } from '../../src/core/store/outbox-repo';
import { PublishChannelsRepo } from '../../src/core/store/publish-channels-repo';
import { idempotencyKey, redditFullname, validPostUrl } from '../../src/core/publishing/service';
import { onClose, tempDir } from './support/core';

function db(): Database.Database {
  const d = new Database(join(tempDir(), 'v.db'));
  onClose(() => d.close());
  return d;
}

describe('publishing migration and outbox', () => {
  it('adds channels and outbox to a database of the previous version, keeping what was there', () => {
    const d = db();
    const idx = migrations.indexOf(publishingMigration);
    expect(idx).toBeGreaterThan(0);
    migrate(d, migrations.slice(0, idx));
    d.prepare(`INSERT INTO sources (kind, name, created_at) VALUES ('webhook', 'Zapier', 1)`).run();
    migrate(d);
    expect(schemaVersion(d)).toBe(LATEST_SCHEMA_VERSION);
    expect(d.prepare('SELECT name FROM sources').all()).toEqual([{ name: 'Zapier' }]);
    const tables = d.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'publish_%' ORDER BY name`).all();
    expect(tables).toEqual([{ name: 'publish_channels' }, { name: 'publish_outbox' }]);
  });

  it('one row per idempotency key; a row is claimed for sending once; published keeps id and URL', () => {
    const d = db();
    migrate(d);
    const ch = new PublishChannelsRepo(d).create({ kind: 'webhook', name: 'CMS', requiresLegal: false, enabled: true, config: {}, secrets: null }, 1);
    const repo = new OutboxRepo(d);
    const key = idempotencyKey(1, 'h', ch);
    const entry = { responseId: 1, versionId: 1, contentHash: 'h', channelId: ch, idempotencyKey: key, targetMentionId: null, target: null, text: 't', state: 'pending' as const, actor: '{}' };
    const a = repo.insertOnce(entry, 10);
    const b = repo.insertOnce({ ...entry, text: 'altro' }, 11);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.row.id).toBe(a.row.id);
    expect(b.row.text).toBe('t');
    expect(repo.due(10, 5).map((r) => r.id)).toEqual([a.row.id]);
    expect(repo.claim(a.row.id, 12)).toBe(true);
    expect(repo.claim(a.row.id, 13)).toBe(false);
    expect(repo.due(100, 5)).toEqual([]);
    repo.markUncertain(a.row.id, 14);
    expect(repo.get(a.row.id)).toMatchObject({ state: 'pending', uncertain: true, attempts: 1 });
    repo.markPublished(a.row.id, 'x1', 'https://esempio.it/p/1', 15);
    expect(repo.get(a.row.id)).toMatchObject({ state: 'published', externalId: 'x1', url: 'https://esempio.it/p/1', uncertain: false, publishedAt: 15 });
  });

  it('keys differ by response, text and channel; URLs and Reddit permalinks are read strictly', () => {
    expect(idempotencyKey(1, 'h', 1)).toBe(idempotencyKey(1, 'h', 1));
    expect(new Set([idempotencyKey(1, 'h', 1), idempotencyKey(2, 'h', 1), idempotencyKey(1, 'g', 1), idempotencyKey(1, 'h', 2)]).size).toBe(4);
    expect(validPostUrl('https://www.instagram.com/p/x/')).toBe('https://www.instagram.com/p/x/');
    expect(validPostUrl('javascript:alert(1)')).toBeNull();
    expect(validPostUrl('https://intranet/x')).toBeNull();
    expect(validPostUrl('ciao')).toBeNull();
    expect(redditFullname('https://www.reddit.com/r/italy/comments/abc12/titolo/')).toBe('t3_abc12');
    expect(redditFullname('https://old.reddit.com/r/italy/comments/abc12/titolo/def34/')).toBe('t1_def34');
    expect(redditFullname('https://esempio.it/r/italy/comments/abc12/')).toBeNull();
  });
});
