// The audit chain's outside anchor (core/audit/anchor.ts) on a real SQLite file: written
// after a burst of changes and at flush, naming only committed rows, and checked against
// the chain: intact, newer rows, the newest rows cut, a forged file.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANCHOR_COPY_FILE, AuditAnchor, checkAnchor, loadOrCreateAnchorKey, readAnchorKey, signAnchor, writeAnchor, type AnchorCopyPlace } from '../../src/core/audit/anchor';
import { toVerifyResult } from '../../src/core/audit/service';
import { ApiError } from '../../src/shared/contract';
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

describe('the anchor’s copy in a chosen folder', () => {
  let outside: string;
  let saved: (string | null)[];
  let place: AnchorCopyPlace;
  beforeEach(() => {
    outside = mkdtempSync(join(tmpdir(), 'vedetta-anchor-copy-'));
    saved = [];
    place = { load: () => saved.at(-1) ?? null, save: (d) => void saved.push(d) };
    anchor = new AuditAnchor(dir, loadOrCreateAnchorKey(dir), () => repo.head(), () => 2_000, (e) => errors.push(e), place);
  });
  afterEach(() => rmSync(outside, { recursive: true, force: true }));

  const codeOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return e instanceof ApiError ? e.key : String(e);
    }
    return 'no error';
  };

  it('refuses a relative path, a missing folder, a file, the data folder and a place it cannot write, storing nothing', () => {
    expect(codeOf(() => anchor.setCopyDir('archivio'))).toBe('audit.anchorCopyNotAbsolute');
    expect(codeOf(() => anchor.setCopyDir(join(outside, 'missing')))).toBe('audit.anchorCopyMissing');
    writeFileSync(join(outside, 'a-file'), 'x');
    expect(codeOf(() => anchor.setCopyDir(join(outside, 'a-file')))).toBe('audit.anchorCopyMissing');
    expect(codeOf(() => anchor.setCopyDir(`${dir}/`))).toBe('audit.anchorCopyIsDataDir');
    // The copy's name taken by a folder that is not empty: the rename over it fails (even as root).
    const blocked = join(outside, 'blocked');
    mkdirSync(join(blocked, ANCHOR_COPY_FILE), { recursive: true });
    writeFileSync(join(blocked, ANCHOR_COPY_FILE, 'keep'), 'x');
    expect(codeOf(() => anchor.setCopyDir(blocked))).toBe('audit.anchorCopyUnwritable');
    expect(saved).toEqual([]);
    expect(anchor.copyStatus()).toEqual({ dir: null, writtenAt: null, error: null });
  });

  it('is written when chosen and with every anchor write, kept between runs, and stopped on request', () => {
    add(1);
    expect(anchor.setCopyDir(outside)).toEqual({ dir: outside, writtenAt: 2_000, error: null });
    expect(saved).toEqual([outside]);
    const copyPath = join(outside, ANCHOR_COPY_FILE);
    expect(JSON.parse(readFileSync(copyPath, 'utf8'))).toMatchObject({ entries: 1, lastId: 1 });
    add(2);
    anchor.flush();
    expect(JSON.parse(readFileSync(copyPath, 'utf8'))).toMatchObject({ entries: 2, lastId: 2 });
    // A new run reads the choice back.
    const again = new AuditAnchor(dir, loadOrCreateAnchorKey(dir), () => repo.head(), () => 3_000, (e) => errors.push(e), place);
    expect(again.copyStatus().dir).toBe(outside);
    expect(again.checkCopy(hashOf)).toMatchObject({ state: 'ok', anchoredEntries: 2 });
    expect(again.setCopyDir(null)).toEqual({ dir: null, writtenAt: null, error: null });
    expect(saved.at(-1)).toBeNull();
    expect(again.checkCopy(hashOf)).toBeNull();
    expect(errors).toEqual([]);
  });

  it('catches the newest rows cut by someone who also re-signed the data folder’s anchor', () => {
    for (let i = 1; i <= 5; i++) add(i);
    anchor.setCopyDir(outside);
    // The attacker owns the data folder: cuts the log and re-signs its anchor with its key.
    db.prepare('DELETE FROM audit_log WHERE id > 3').run();
    writeAnchor(anchor.path, signAnchor(readAnchorKey(dir)!, repo.head(), 9_000));
    expect(anchor.check(hashOf).state).toBe('ok');
    const copy = anchor.checkCopy(hashOf);
    expect(copy).toMatchObject({ state: 'truncated', anchoredLastId: 5, lastId: 3 });
    const v = toVerifyResult(repo.verify(), anchor.check(hashOf), copy);
    expect(v.ok).toBe(false);
  });

  it('an unplugged copy folder never fails the audited op: the status says why until a write succeeds', () => {
    const share = join(outside, 'share');
    mkdirSync(share);
    add(1);
    anchor.setCopyDir(share);
    rmSync(share, { recursive: true, force: true });
    add(2);
    expect(() => anchor.flush()).not.toThrow();
    expect(anchor.copyStatus().error).toMatch(/ENOENT/);
    expect(existsSync(anchor.path)).toBe(true);
    // A missing copy is said ('none'), not an alarm: the data folder's anchor still holds.
    expect(anchor.checkCopy(hashOf)).toEqual({ state: 'none' });
    mkdirSync(share);
    anchor.flush();
    expect(anchor.copyStatus()).toMatchObject({ dir: share, error: null });
  });
});
