// Upgrading Vedetta: mentions stored before sentiment existed get their badges once the
// background scoring has run, without the user doing anything.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, migrations } from '../../src/core/store/migrations';
import { sentiment as sentimentMigration } from '../../src/core/store/migrations/002_sentiment';
import type { BrowserSession } from './support/browser';
import { AppShell, InboxPage } from './support/pages';
import type { VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';

let v: VedettaInstance | undefined;
let b: BrowserSession | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await stopSignedIn({ v, b });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A data folder written by the Vedetta before sentiment: schema just below the migration. */
function oldDataDir(texts: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-e2e-old-'));
  const db = new Database(join(dir, 'vedetta.db'));
  migrate(db, migrations.filter((m) => m.version < sentimentMigration.version));
  db.prepare(`INSERT INTO settings (key, value) VALUES ('onboarded', 'true')`).run();
  const src = db.prepare(`INSERT INTO sources (kind, name, created_at, item_count) VALUES ('import', 'Archivio 2025', 0, ?)`).run(texts.length);
  const ins = db.prepare(
    `INSERT INTO mentions (source_id, external_id, dedup_key, content_hash, text, lang, published_at, fetched_at)
     VALUES (?, ?, ?, 'h', ?, 'it', ?, ?)`,
  );
  texts.forEach((t, i) => ins.run(src.lastInsertRowid, `old-${i}`, `k${i}`, t, Date.now() - (texts.length - i) * 60_000, Date.now()));
  db.close();
  return dir;
}

describe('upgrade', () => {
  it('scores the mentions stored by the previous version in the background', async () => {
    dataDir = oldDataDir([
      'Che schifo, ordine mai arrivato e nessuno risponde',
      'Il cappuccino di oggi era perfetto, grazie!',
      'Il negozio di via Roma apre alle nove',
    ]);
    ({ v, b } = await startSignedIn({ dataDir }));
    await new AppShell(b.page).ready;
    const inbox = new InboxPage(b.page);
    await inbox.list.waitFor();
    const badge = (text: string) => inbox.sentimentBadge(inbox.rowWithText(text));
    // The rows may first show "Da analizzare"; the inbox re-reads them when scoring is done.
    await expect.poll(() => badge('ordine mai arrivato').getAttribute('data-label'), { timeout: 15_000 }).toBe('negative');
    await expect.poll(() => badge('cappuccino di oggi').getAttribute('data-label'), { timeout: 15_000 }).toBe('positive');
    await expect.poll(() => badge('via Roma').getAttribute('data-label'), { timeout: 15_000 }).toBe('neutral');
    expect(b.errors).toEqual([]);
  });
});
