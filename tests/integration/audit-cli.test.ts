// `vedetta audit verify|export` as a user runs them, on a log tampered with sqlite directly.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, tempDir } from './support/app';
import { vedetta } from './support/cli';

describe('vedetta audit', () => {
  let data: string;
  beforeAll(async () => {
    data = tempDir();
    const t = openTestApp('cli', data);
    await t.app.dispatch('users.create', { username: 'anna', displayName: 'Anna', password: 'password-di-anna', roles: ['admin'] });
    for (let i = 0; i < 3; i++) await t.app.dispatch('perimeters.brandCreate', { name: `Brand ${i}` });
    t.app.close();
  });
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it('verify exits 0 with the count; export writes CSV', async () => {
    const ok = await vedetta(['audit', 'verify', '--data', data]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Registro integro: 4 voci verificate/);
    const out = join(data, 'audit.csv');
    const exp = await vedetta(['audit', 'export', '--format', 'csv', '--out', out, '--data', data]);
    expect(exp.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('id,at,actor,user_id,roles,action,subject,detail,content_hash,hash');
    expect(lines.slice(1).map((l) => l.split(',')[5])).toEqual(['users.create', 'perimeters.brandCreate', 'perimeters.brandCreate', 'perimeters.brandCreate']);
  });

  it('verify exits 1 naming the first broken row (id, when, action) after an edit and after a delete', async () => {
    const db = new Database(join(data, 'vedetta.db'));
    const row = db.prepare("SELECT id, at FROM audit_log WHERE subject = 'brand:2'").get() as { id: number; at: number };
    db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE id = ?").run(row.id);
    db.close();
    const edited = await vedetta(['audit', 'verify', '--data', data]);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain(`#${row.id} (${new Date(row.at).toISOString()}, perimeters.brandCreate)`);

    const db2 = new Database(join(data, 'vedetta.db'));
    db2.prepare("UPDATE audit_log SET actor = 'sistema' WHERE id = ?").run(row.id);
    db2.prepare('DELETE FROM audit_log WHERE id = ?').run(row.id);
    const nextId = (db2.prepare('SELECT min(id) AS id FROM audit_log WHERE id > ?').get(row.id) as { id: number }).id;
    db2.close();
    const deleted = await vedetta(['audit', 'verify', '--data', data]);
    expect(deleted.code).toBe(1);
    expect(deleted.stdout).toContain(`#${nextId}`);
  });
});

// Issue #18 item 5: cutting the newest rows leaves a chain that still verifies; the anchor
// kept outside the database (written after each change and at shutdown) catches it.
describe('vedetta audit: the outside anchor', () => {
  let data: string;
  let copy: string;
  beforeAll(async () => {
    data = tempDir();
    copy = join(tempDir(), 'ancora-su-altro-disco.json');
    const t = openTestApp('cli', data);
    for (let i = 0; i < 5; i++) await t.app.dispatch('perimeters.brandCreate', { name: `Marca ${i}` });
    t.app.close();
  });
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it('confirms the anchor on an intact log, and exports a copy elsewhere', async () => {
    const ok = await vedetta(['audit', 'verify', '--data', data]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Registro integro: 5 voci verificate/);
    expect(ok.stdout).toMatch(/Ancora del .* \(5 voci\) confermata/);
    const exp = await vedetta(['audit', 'anchor', '--out', copy, '--data', data]);
    expect(exp.code).toBe(0);
    expect(exp.stderr).toMatch(/5 voci, fino alla #5/);
  });

  it('reports the newest rows deleted (the chain alone still verifies), against the folder anchor and the copy', async () => {
    const db = new Database(join(data, 'vedetta.db'));
    db.prepare('DELETE FROM audit_log WHERE id >= 4').run();
    db.close();
    for (const args of [[], ['--anchor', copy]]) {
      const cut = await vedetta(['audit', 'verify', '--data', data, ...args]);
      expect(cut.code, args.join(' ')).toBe(1);
      expect(cut.stdout).toMatch(/Registro ACCORCIATO: .*5 voci fino alla #5.*finisce alla #3, 3 voci/);
    }
  });

  it('refuses an anchor whose signature does not match', async () => {
    const path = join(data, 'audit-anchor.json');
    const forged = JSON.parse(readFileSync(path, 'utf8')) as { entries: number; lastId: number };
    forged.entries = 3;
    forged.lastId = 3;
    writeFileSync(path, JSON.stringify(forged));
    const bad = await vedetta(['audit', 'verify', '--data', data]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/Ancora del registro NON VALIDA/);
  });
});
