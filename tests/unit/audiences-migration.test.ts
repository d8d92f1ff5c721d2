// The audiences migration on a database built by the real earlier migrations, with mentions
// and moments in it: the tables appear empty beside the data, and a restarted app assigns the
// stored mentions to a new audience (re-match) and reads the stored moment's risk.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, migrations, schemaVersion, LATEST_SCHEMA_VERSION } from '../../src/core/store/migrations';
import { audiences as audiencesMigration } from '../../src/core/store/migrations/012_audiences';
import { openApp } from '../../src/app/app';
import type { AudiencesService } from '../../src/core/audiences/service';
import type { MomentRisk } from '../../src/shared/audiences';
import { onClose, tempDir, testPlatform } from './support/core';

describe('audiences migration', () => {
  it('adds the audience tables to a database with mentions and moments; the app then maps them', async () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'vedetta.db'));
    const idx = migrations.indexOf(audiencesMigration);
    expect(idx).toBeGreaterThan(0);
    migrate(db, migrations.slice(0, idx));
    db.prepare(`INSERT INTO sources (id, kind, name, created_at) VALUES (1, 'webhook', 'Reddit r/italy', 1)`).run();
    const t0 = Date.parse('2026-11-20T10:00:00Z');
    const ins = db.prepare(`INSERT INTO mentions (source_id, dedup_key, content_hash, text, published_at, fetched_at, canonical_url, author_key, parent_id)
      VALUES (1, ?, ?, ?, ?, ?, ?, ?, 'post-1')`);
    for (let i = 0; i < 30; i++) ins.run(`k${i}`, `h${i}`, `Vergogna Aurora ${i}`, t0 + i * 10_000, t0, `https://www.reddit.com/r/italy/comments/${i}/`, `a${i}`);
    db.prepare(`INSERT INTO moments (id, kind, state, key, key_kind, title, opened_at, updated_at, peak_z, volume, created_at)
      VALUES (1, 'crisis', 'open', 'b:1', 'brand', 'Aurora', ?, ?, 5, 30, 1)`).run(t0, t0 + 300_000);
    // Counts present, so the app keeps the stored moments instead of recomputing them.
    db.prepare(`INSERT INTO moment_counts (key, bucket, n, neg, pos, sent_sum, brand) VALUES ('b:1', ?, 30, 0, 0, 0, 30)`).run(Math.floor(t0 / 300_000));
    db.prepare('INSERT INTO moment_mentions (moment_id, mention_id, published_at) SELECT 1, id, published_at FROM mentions').run();
    migrate(db);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    for (const t of ['audiences', 'mention_audiences', 'moment_risk', 'moment_checklists']) {
      expect((db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n).toBe(0);
    }
    db.close();

    const app = openApp({ platform: testPlatform(dir), mode: 'browser' });
    onClose(() => app.close());
    await app.dispatch('audiences.create', { name: 'Reddit Italia', type: 'generic', rules: { communities: ['r/italy'] } });
    await (app as unknown as { audiences: AudiencesService }).audiences.idle();
    const { items } = (await app.dispatch('audiences.list', {})) as { items: { mentionCount: number }[] };
    expect(items[0]!.mentionCount).toBe(30);
    const { risk } = (await app.dispatch('risk.moment', { momentId: 1 })) as { risk: MomentRisk };
    expect(risk.audiences[0]).toMatchObject({ name: 'Reddit Italia', count: 30, share: 1 });
    expect(risk.explanation).toMatch(/dei commenti dal pubblico generico «Reddit Italia», 6\/min/);
  });
});
