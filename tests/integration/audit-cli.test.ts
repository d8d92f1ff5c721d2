// `vedetta audit verify|export` as a user runs them, on a log tampered with sqlite directly.
import { readFileSync, rmSync } from 'node:fs';
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
