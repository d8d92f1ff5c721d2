// Every op declares who may call it and what its audit row says; the dispatcher writes that
// row (success, refusal or failure) through the one hash-chained writer. Real SQLite files.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callAudited, noteAudit, skipAudit, type OpDeclaration } from '../../src/core/api/call-scope';
import { OP_DECLARATIONS } from '../../src/core/api/op-table';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { AuditService } from '../../src/core/audit/service';
import { AuditQuery } from '../../src/core/store/audit-query';
import { AuditRepo } from '../../src/core/store/audit-repo';
import { openDatabase } from '../../src/core/store/db';
import { ROLES } from '../../src/shared/auth';
import { ApiError, opNames, type OpName } from '../../src/shared/contract';
import { fails, onClose, tempDir, testApp } from './support/core';

/** The last part of an op's name that says it changes nothing stored: reads, previews, probes, exports, presence (memory only). */
const READ_VERB = /^(list|get|info|status|state|settings|facets|verify|exportCsv|contents|panel|rules|deliveries|channels|outbox|preview|suggestions|ownedSuggestions|testQuery|rematchState|moment|map|reports|test|channelTest|csvPreview|anchorCopy|here|context|templates|counts|snapshot)$/;

type Row = { actor: string; action: string; subject: string | null; detail: string; content_hash: string | null };

describe('op declarations', () => {
  it('every op has an access rule and an audit decision; every op that changes something is audited', () => {
    expect(Object.keys(OP_DECLARATIONS).sort()).toEqual([...opNames].sort());
    for (const op of opNames) {
      const d = OP_DECLARATIONS[op] as OpDeclaration<OpName>;
      const { access } = d;
      if (typeof access === 'string') expect(['public', 'signed-in'], op).toContain(access);
      else {
        expect(access.length, op).toBeGreaterThan(0);
        for (const r of access) expect(ROLES, op).toContain(r);
      }
      expect(d.audit === false || typeof d.audit === 'function', op).toBe(true);
      // By name: a new op that creates, updates, deletes, sends… must be declared as a change.
      const verb = op.slice(op.lastIndexOf('.') + 1);
      expect(d.mutates, `${op}: declared ${d.mutates ? 'a change' : 'a read'}, named as ${READ_VERB.test(verb) ? 'a read' : 'a change'}`).toBe(!READ_VERB.test(verb));
      if (d.mutates) expect(typeof d.audit, `${op} changes something and must be audited`).toBe('function');
    }
  });
});

describe('the dispatcher writes the audit rows', { timeout: 30_000 }, () => {
  async function setup() {
    const { app, dataDir } = testApp();
    const admin = (await app.dispatch('auth.setup', { username: 'admin', displayName: 'Ada Admin', password: 'una-password-lunga' }, { session: null })) as { token: string };
    await app.dispatch('users.create', { username: 'ale', displayName: 'Ale Analista', password: 'password-di-ale', roles: ['analyst'] }, { session: admin.token });
    const analyst = (await app.dispatch('auth.signIn', { username: 'ale', password: 'password-di-ale' }, { session: null })) as { token: string };
    const as = (token: string) => (op: string, input: unknown) => app.dispatch(op, input, { session: token });
    const rows = (action: string): Row[] =>
      app.auditService
        .page({ action }, undefined, 100)
        .items.filter((r) => r.action === action)
        .map((r) => ({ actor: r.actor, action: r.action, subject: r.subject, detail: r.detail ?? '', content_hash: r.contentHash }))
        .reverse();
    return { app, dataDir, admin: as(admin.token), analyst: as(analyst.token), rows };
  }

  it('a refused op writes a row: who tried what, and why', async () => {
    const { analyst, rows } = await setup();
    expect((await fails(analyst('sources.add', { kind: 'rss', config: { url: 'https://example.com/feed' } }))).key).toBe('access.forbidden');
    expect(rows('sources.add')).toEqual([{ actor: 'ale', action: 'sources.add', subject: null, detail: expect.stringContaining('"esito":"rifiutato"') as unknown, content_hash: null }]);
    expect(JSON.parse(rows('sources.add')[0]!.detail)).toMatchObject({ motivo: 'access.forbidden', ruoliRichiesti: ['admin', 'strategist', 'manager', 'legal', 'owner'] });
  });

  it('a successful change writes the row its declaration describes; a change that changed nothing writes none', async () => {
    const { admin, rows } = await setup();
    const src = (await admin('sources.add', { kind: 'rss', name: 'Feed', config: { url: 'https://example.com/feed' } })) as { id: number };
    await admin('sources.pause', { id: src.id });
    await admin('sources.pause', { id: src.id });
    expect(rows('sources.pause')).toEqual([{ actor: 'admin', action: 'sources.pause', subject: `source:${src.id}`, detail: JSON.stringify({ name: 'Feed' }), content_hash: null }]);
    // The service's own facts (whether the settings changed) join the declaration's.
    await admin('sources.update', { id: src.id, intervalSec: 900 });
    expect(JSON.parse(rows('sources.update')[0]!.detail)).toMatchObject({ intervalSec: 900, configChanged: false });
  });

  it('a change whose handler fails writes a failure row with the error code, naming what was tried', async () => {
    const { admin, rows, app } = await setup();
    expect((await fails(admin('sources.delete', { id: 4242 }))).code).toBe('not_found');
    const [row] = rows('sources.delete');
    expect(row).toMatchObject({ actor: 'admin', subject: 'source:4242' });
    expect(JSON.parse(row!.detail)).toMatchObject({ esito: 'fallito', motivo: expect.any(String) as unknown });
    // Reads are not audited, failed or not.
    await fails(admin('mentions.get', { id: 4242 }));
    expect(rows('mentions.get')).toEqual([]);
    expect(app.auditService.verify()).toMatchObject({ ok: true });
  });

  it('a failed sign-in is the call’s failure row, named after the person whose password was tried', async () => {
    const { app, rows } = await setup();
    await fails(app.dispatch('auth.signIn', { username: 'ale', password: 'sbagliata' }, { session: null }));
    const [row] = rows('auth.signIn.failed');
    expect(row).toMatchObject({ actor: 'ale', subject: 'user:ale' });
    expect(JSON.parse(row!.detail)).toEqual({ esito: 'fallito', motivo: 'auth.badCredentials', reason: 'password' });
    // Nothing else was written for it: one attempt, one row.
    expect(rows('auth.signIn').filter((r) => r.detail.includes('fallito'))).toEqual([]);
  });
});

describe('callAudited', () => {
  function store() {
    const db = openDatabase(join(tempDir(), 'v.db'));
    onClose(() => db.close());
    const audit = new AuditService(new AuditRepo(db), new AuditQuery(db), () => Date.now());
    const rows = () => db.prepare<[], Row>('SELECT actor, action, subject, detail, content_hash FROM audit_log ORDER BY id').all();
    const writer = (a: typeof SYSTEM_ACTOR, action: string, subject: string | null, detail: Record<string, unknown>, hash?: string | null) => {
      audit.record(a, action, subject, detail, hash ?? null);
    };
    return { db, rows, writer };
  }
  const ctx = { actor: SYSTEM_ACTOR, session: null };
  const decl = (over: Partial<OpDeclaration<'settings.update'>> = {}) =>
    ({ access: 'signed-in', mutates: true, audit: () => ({ subject: 'settings' }), ...over }) as OpDeclaration<OpName>;

  it('an async handler’s notes, even after an await, join its row; skipAudit writes none', async () => {
    const { rows, writer } = store();
    await callAudited('settings.update', decl(), {}, ctx, async () => {
      await new Promise((r) => setTimeout(r, 5));
      noteAudit({ detail: { before: 1 }, contentHash: 'h1' });
      noteAudit({ detail: { after: 2 } });
      return {};
    }, { audit: writer });
    await callAudited('settings.update', decl(), {}, ctx, () => {
      skipAudit();
      return {};
    }, { audit: writer });
    expect(rows()).toEqual([{ actor: 'sistema', action: 'settings.update', subject: 'settings', detail: JSON.stringify({ before: 1, after: 2 }), content_hash: 'h1' }]);
  });

  it('an atomic op’s row commits with its change: if the row cannot be written, the change is undone', () => {
    const { db, rows, writer } = store();
    db.exec('CREATE TABLE probe (n INTEGER)');
    const tx = <T,>(fn: () => T): T => db.transaction(fn)();
    const change = () => {
      db.prepare('INSERT INTO probe (n) VALUES (1)').run();
      return {};
    };
    callAudited('settings.update', decl({ atomic: true }), {}, ctx, change, { audit: writer, transaction: tx });
    expect(db.prepare('SELECT COUNT(*) AS n FROM probe').get()).toEqual({ n: 1 });
    let calls = 0;
    const broken = (...args: Parameters<typeof writer>) => {
      // The success row fails; the failure row that follows goes through.
      if (calls++ === 0) throw new Error('disco pieno');
      writer(...args);
    };
    expect(() => callAudited('settings.update', decl({ atomic: true }), {}, ctx, change, { audit: broken, transaction: tx })).toThrow('disco pieno');
    expect(db.prepare('SELECT COUNT(*) AS n FROM probe').get()).toEqual({ n: 1 });
    expect(rows().map((r) => [r.action, JSON.parse(r.detail) as unknown])).toEqual([
      ['settings.update', {}],
      ['settings.update', { esito: 'fallito', motivo: 'internal' }],
    ]);
  });

  it('a refusal noted by the service is the failure row: its action, subject and words', () => {
    const { rows, writer } = store();
    expect(() =>
      callAudited('settings.update', decl(), {}, ctx, () => {
        noteAudit({ action: 'responses.approve', subject: 'response:7', detail: { esito: 'rifiutato: non è il tuo turno' }, contentHash: 'h7' });
        throw new ApiError('access.forbidden');
      }, { audit: writer }),
    ).toThrow(ApiError);
    expect(rows()).toEqual([
      { actor: 'sistema', action: 'responses.approve', subject: 'response:7', detail: JSON.stringify({ esito: 'rifiutato: non è il tuo turno', motivo: 'access.forbidden' }), content_hash: 'h7' },
    ]);
  });
});
