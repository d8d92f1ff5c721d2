// The audit through core: who did what (person, roles), filters and pages, CSV, and the
// chain's verdict when rows are edited or deleted directly in SQLite.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DB_FILE } from '../../src/app/app';
import type { AuditRow } from '../../src/shared/ops/audit';
import { onClose, testApp } from './support/core';

const ADMIN = { username: 'admin', displayName: 'Anna Admin', password: 'una-password-lunga' };

async function setup() {
  const { app, dataDir } = testApp();
  const grant = (await app.dispatch('auth.setup', ADMIN, { session: null })) as { token: string };
  const as = (op: string, input: unknown) => app.dispatch(op, input, { session: grant.token });
  return { app, dataDir, as };
}

describe('audit records', { timeout: 30_000 }, () => {
  it('changes to users, roles, sources, perimeters and settings are attributed to the person and their roles', async () => {
    const { as } = await setup();
    const legal = (await as('users.create', { username: 'giulia', displayName: 'Giulia', password: 'password-giulia', roles: ['legal'] })) as { id: number };
    await as('users.update', { id: legal.id, roles: ['legal', 'manager'] });
    await as('users.resetPassword', { id: legal.id, password: 'nuova-password-giulia' });
    const src = (await as('sources.add', { kind: 'rss', name: 'Feed', config: { url: 'https://example.com/feed' } })) as { id: number };
    await as('sources.pause', { id: src.id });
    const brand = (await as('perimeters.brandCreate', { name: 'Aurora' })) as { id: number };
    await as('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa', query: 'muffa', swot: 'threat', stance: 'sensitive' });
    await as('settings.update', { lockMinutes: 5 });
    const page = (await as('audit.list', { limit: 100 })) as { items: AuditRow[]; total: number };
    const byAction = new Map(page.items.map((r) => [r.action, r]));
    for (const a of ['auth.setup', 'users.create', 'users.roles', 'users.resetPassword', 'sources.add', 'sources.pause', 'perimeters.brandCreate', 'perimeters.themeCreate', 'settings.update']) {
      const r = byAction.get(a);
      expect(r, a).toBeDefined();
      expect(r!.actor, a).toBe('admin');
      expect(r!.roles, a).toEqual(['admin']);
      expect(r!.userId, a).toBeGreaterThan(0);
    }
    expect(byAction.get('users.roles')!.subject).toBe('user:giulia');
    expect(JSON.parse(byAction.get('users.roles')!.detail)).toEqual({ roles: { from: ['legal'], to: ['legal', 'manager'] } });
    // No password anywhere in the log.
    expect(JSON.stringify(page.items)).not.toMatch(/password-giulia|una-password-lunga/);
    expect(await as('audit.verify', {})).toMatchObject({ ok: true, entries: page.total, broken: null });
  });

  it('filters by person, action prefix, subject and period, and pages newest first', async () => {
    const { app, as } = await setup();
    for (let i = 0; i < 7; i++) await as('perimeters.brandCreate', { name: `Brand ${i}` });
    await app.dispatch('settings.update', { theme: 'dark' });
    const f = async (filter: object, extra: object = {}) => (await as('audit.list', { filter, ...extra })) as { items: AuditRow[]; total: number; next: number | null };
    expect((await f({ actor: 'sistema' })).items.map((r) => r.action)).toEqual(['settings.update']);
    expect((await f({ action: 'perimeters' })).total).toBe(7);
    expect((await f({ action: 'perimeters.brand' })).total).toBe(0);
    expect((await f({ subject: 'brand:3' })).items.map((r) => r.subject)).toEqual(['brand:3']);
    expect((await f({ from: Date.now() + 60_000 })).total).toBe(0);
    const p1 = await f({ action: 'perimeters' }, { limit: 3 });
    expect(p1.items).toHaveLength(3);
    expect(p1.items[0]!.id).toBeGreaterThan(p1.items[2]!.id);
    const p2 = await f({ action: 'perimeters' }, { limit: 3, before: p1.next });
    const p3 = await f({ action: 'perimeters' }, { limit: 3, before: p2.next });
    expect([...p1.items, ...p2.items, ...p3.items].map((r) => r.subject)).toEqual(['brand:7', 'brand:6', 'brand:5', 'brand:4', 'brand:3', 'brand:2', 'brand:1']);
    expect(p3.next).toBeNull();
  });

  it('exports CSV with a header, formula-safe cells, and the export itself is recorded', async () => {
    const { as } = await setup();
    await as('perimeters.brandCreate', { name: '=HYPERLINK("x")' });
    const res = (await as('audit.exportCsv', {})) as { csv: string; rows: number; fileName: string };
    const lines = res.csv.trim().split('\r\n');
    expect(lines[0]).toBe('id,at,actor,user_id,roles,action,subject,detail,content_hash,hash');
    expect(lines).toHaveLength(res.rows + 1);
    expect(res.csv).not.toMatch(/,=HYPERLINK/);
    expect(res.fileName).toMatch(/^vedetta-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const last = (await as('audit.list', { limit: 1 })) as { items: AuditRow[] };
    expect(last.items[0]!.action).toBe('audit.export');
  });

  it('names the first broken row when one is edited or deleted in SQLite', async () => {
    const { dataDir, as } = await setup();
    for (let i = 0; i < 4; i++) await as('perimeters.brandCreate', { name: `B${i}` });
    const db = new Database(join(dataDir, DB_FILE));
    onClose(() => db.close());
    db.prepare("UPDATE audit_log SET detail = '{\"name\":\"altro\"}' WHERE subject = 'brand:2'").run();
    const edited = (await as('audit.verify', {})) as { ok: boolean; broken: { id: number; action: string } };
    const id2 = (db.prepare("SELECT id FROM audit_log WHERE subject = 'brand:2'").get() as { id: number }).id;
    expect(edited).toMatchObject({ ok: false, broken: { id: id2, action: 'perimeters.brandCreate' } });

    db.prepare("UPDATE audit_log SET detail = '{\"name\":\"B1\"}' WHERE subject = 'brand:2'").run();
    expect(((await as('audit.verify', {})) as { ok: boolean }).ok).toBe(true);
    db.prepare("DELETE FROM audit_log WHERE subject = 'brand:3'").run();
    const id4 = (db.prepare("SELECT id FROM audit_log WHERE subject = 'brand:4'").get() as { id: number }).id;
    expect(await as('audit.verify', {})).toMatchObject({ ok: false, broken: { id: id4 } });
  });

  it('people who acted can be disabled, not deleted; the last admin stays admin', async () => {
    const { as } = await setup();
    const me = ((await as('auth.status', {})) as { actor: { userId: number } }).actor.userId;
    const idle = (await as('users.create', { username: 'nessuno', displayName: 'Mai entrato', password: 'password-nessuno', roles: ['analyst'] })) as { id: number; audited: boolean };
    expect(idle.audited).toBe(false);
    await expect(as('users.update', { id: me, roles: ['manager'] })).rejects.toMatchObject({ code: 'conflict' });
    await expect(as('users.delete', { id: me })).rejects.toMatchObject({ code: 'conflict' });
    expect(await as('users.delete', { id: idle.id })).toEqual({ ok: true });
  });
});
