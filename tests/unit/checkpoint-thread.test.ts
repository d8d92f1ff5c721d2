// Checkpoints off the main thread for long writers (store/checkpoint-thread.ts): while one
// runs, the main connection never checkpoints; the worker's copy, made while the writer
// pauses, lets the next commit restart the WAL; overlapping writers put the mark back only
// when the last one stops. No time is asserted: the clock is injected.
import { execFileSync } from 'node:child_process';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/core/store/db';
import { CHECKPOINT_EVERY_MS, OffThreadCheckpoints } from '../../src/core/store/checkpoint-thread';
import { onClose, tempDir } from './support/core';

function store(): Db {
  const db = openDatabase(join(tempDir(), 'vedetta.db'));
  onClose(() => db.close());
  db.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return db;
}

/** Writes `n` rows of 1 KiB, 100 per transaction. */
function write(db: Db, n: number): void {
  const put = db.prepare('INSERT INTO filler (body) VALUES (?)');
  const tx = db.transaction((k: number) => {
    for (let i = 0; i < k; i++) put.run('x'.repeat(1024));
  });
  for (let i = 0; i < n; i += 100) tx(Math.min(100, n - i));
}

/** Frames now in the WAL (the pragma's own checkpoint copies them, so read it last). */
function walFrames(db: Db): number {
  const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
  return row!.log;
}

describe('checkpoints off the main thread', () => {
  it('the main connection stops checkpointing; the copy made on the worker lets the next commit restart the WAL', async () => {
    const db = store();
    const before = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    expect(before).toBeGreaterThan(0);
    let now = 0;
    const cp = new OffThreadCheckpoints(db, () => now);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(cp.due).toBe(false);
    now += CHECKPOINT_EVERY_MS;
    expect(cp.due).toBe(true);
    // Far past the usual mark: nothing is copied back on this thread.
    write(db, 3_000);
    await cp.checkpoint();
    expect(cp.due).toBe(false);
    write(db, 1);
    expect(walFrames(db)).toBeLessThan(10);
    await cp.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
  });

  it("without the worker’s copy the WAL keeps every frame the writer added", async () => {
    const db = store();
    const cp = new OffThreadCheckpoints(db, () => 0);
    write(db, 3_000);
    write(db, 1);
    expect(walFrames(db)).toBeGreaterThan(700);
    await cp.stop();
  });

  it('two writers at once: the mark comes back when the last one stops, and a stop is once', async () => {
    const db = store();
    const before = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    const a = new OffThreadCheckpoints(db);
    const b = new OffThreadCheckpoints(db);
    await a.stop();
    await a.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await b.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
  });

  it('a thread that cannot open the store gives the connection its own checkpoints back', async () => {
    const dir = tempDir();
    const file = join(dir, 'vedetta.db');
    const db = openDatabase(file);
    onClose(() => db.close());
    const before = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    // The open connection keeps the file; the thread, opening it by name, finds none.
    unlinkSync(file);
    let now = 0;
    const cp = new OffThreadCheckpoints(db, () => now);
    await expect.poll(() => db.pragma('wal_autocheckpoint', { simple: true }), { timeout: 20_000 }).toBe(before);
    now += CHECKPOINT_EVERY_MS;
    expect(cp.due).toBe(false);
    await cp.checkpoint();
    await cp.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
  });

  it('an in-memory store has no WAL: never due, and a checkpoint resolves at once', async () => {
    const db = openDatabase(':memory:');
    onClose(() => db.close());
    let now = 0;
    const cp = new OffThreadCheckpoints(db, () => now);
    now += 10 * CHECKPOINT_EVERY_MS;
    expect(cp.due).toBe(false);
    await cp.checkpoint();
    await cp.stop();
  });
});

describe('a process whose only work left is a checkpoint', () => {
  it('waits for it instead of exiting (the idle thread keeps no process alive, a checkpoint waited for does)', () => {
    const dir = tempDir();
    const script = join(dir, 'wait.mts');
    const mod = (p: string): string => JSON.stringify(pathToFileURL(resolve(p)).href);
    writeFileSync(
      script,
      [
        `import { openDatabase } from ${mod('src/core/store/db.ts')};`,
        `import { OffThreadCheckpoints } from ${mod('src/core/store/checkpoint-thread.ts')};`,
        `const db = openDatabase(${JSON.stringify(join(dir, 'vedetta.db'))});`,
        'const cp = new OffThreadCheckpoints(db);',
        'await cp.checkpoint();',
        'await cp.stop();',
        'db.close();',
        "console.log('done');",
      ].join('\n'),
    );
    const out = execFileSync(process.execPath, [resolve('bin/tsx.mjs'), script], { encoding: 'utf8', timeout: 60_000 });
    expect(out.trim()).toBe('done');
  });
});
