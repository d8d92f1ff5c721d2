// The audit chain's outside anchor (core/audit/anchor.ts) on a real SQLite file: written
// after a burst of changes and at flush, naming only committed rows, and checked against
// the chain: intact, newer rows, the newest rows cut, a forged file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditAnchor, checkAnchor, loadOrCreateAnchorKey, readAnchorKey, signAnchor } from '../../src/core/audit/anchor';
import { AuditRepo } from '../../src/core/store/audit-repo';
import { openDatabase, type Db } from '../../src/core/store/db';
import { migrate } from '../../src/core/store/migrations';

let dir: string;
let db: Db;
let repo: AuditRepo;
let anchor: AuditAnchor;
const errors: unknown[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vedetta-anchor-'));
  db = openDatabase(join(dir, 'vedetta.db'));
  migrate(db);
  repo = new AuditRepo(db);
  errors.length = 0;
  anchor = new AuditAnchor(dir, loadOrCreateAnchorKey(dir), () => repo.head(), () => 1_000, (e) => errors.push(e));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const add = (i: number): void => void repo.append({ actor: 'anna', action: `test.${i}`, subject: null }, 1_000 + i);
const hashOf = (id: number): string | null => repo.hashOf(id);

describe('audit anchor', () => {
  it('is none before the first write, then ok with the head it names', () => {
    expect(anchor.check(hashOf)).toEqual({ state: 'none' });
    for (let i = 1; i <= 3; i++) add(i);
    anchor.flush();
    const file = JSON.parse(readFileSync(anchor.path, 'utf8')) as { entries: number; lastId: number };
    expect(file).toMatchObject({ v: 1, entries: 3, lastId: 3 });
    expect(anchor.check(hashOf)).toEqual({ state: 'ok', anchoredAt: 1_000, anchoredEntries: 3, newer: 0 });
    add(4);
    expect(anchor.check(hashOf)).toMatchObject({ state: 'ok', newer: 1 });
  });

  it('writes once after a burst of changes, never naming a rolled-back row', async () => {
    add(1);
    anchor.touch();
    // A change that is rolled back: the debounced write reads only what was committed.
    expect(() =>
      db.transaction(() => {
        add(2);
        anchor.touch();
        throw new Error('rollback');
      })(),
    ).toThrow('rollback');
    await new Promise((r) => setTimeout(r, 350));
    const file = JSON.parse(readFileSync(anchor.path, 'utf8')) as { entries: number; lastId: number };
    expect(file).toMatchObject({ entries: 1, lastId: 1 });
    expect(errors).toEqual([]);
  });

  it('reports the newest rows cut or rewritten', () => {
    for (let i = 1; i <= 5; i++) add(i);
    anchor.flush();
    db.prepare('DELETE FROM audit_log WHERE id > 3').run();
    expect(repo.verify().ok).toBe(true);
    expect(anchor.check(hashOf)).toEqual({ state: 'truncated', anchoredAt: 1_000, anchoredEntries: 5, anchoredLastId: 5, lastId: 3, entries: 3 });
    // Rows re-added after the cut get new ids and hashes: the anchored row still does not match.
    add(6);
    add(7);
    add(8);
    expect(repo.verify().ok).toBe(true);
    expect(anchor.check(hashOf).state).toBe('truncated');
  });

  it('refuses a forged or damaged anchor, and one without its key', () => {
    add(1);
    anchor.flush();
    const forged = { ...JSON.parse(readFileSync(anchor.path, 'utf8')), entries: 0 } as Record<string, unknown>;
    writeFileSync(anchor.path, JSON.stringify(forged));
    expect(anchor.check(hashOf)).toEqual({ state: 'invalid' });
    writeFileSync(anchor.path, '{ not json');
    expect(anchor.check(hashOf)).toEqual({ state: 'invalid' });
    // Signed with another key: invalid too.
    writeFileSync(anchor.path, JSON.stringify(signAnchor(Buffer.alloc(32, 7), repo.head(), 5)));
    expect(checkAnchor(anchor.path, readAnchorKey(dir), repo.head(), hashOf)).toEqual({ state: 'invalid' });
    expect(checkAnchor(anchor.path, null, repo.head(), hashOf)).toEqual({ state: 'invalid' });
  });

  it('never throws into the audited op when the file cannot be written', () => {
    rmSync(dir, { recursive: true, force: true });
    add(1);
    expect(() => anchor.flush()).not.toThrow();
    expect(errors).toHaveLength(1);
  });
});
