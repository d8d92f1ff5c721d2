// Webhook keys (issue #16, item 4): administrators alone see and manage them; a token is
// shown once and stored only as its hash; rotating refuses the old token at once; app.info
// holds nothing secret; each key's use is one audit row a minute under "webhook <name>".
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoreApp } from '../../src/app/app';
import type { WebhookKeyGrant } from '../../src/shared/ops/webhooks';
import { expectApiError, testApp } from './support/core';

async function withAdmin(): Promise<{ app: CoreApp; dataDir: string; admin: { session: string } }> {
  const { app, dataDir } = testApp();
  app.setWebhookEndpoints({ mentionsUrl: 'http://127.0.0.1:4870/api/v1/webhook/mentions', metricsUrl: 'http://127.0.0.1:4870/api/v1/webhook/metrics' });
  const grant = (await app.dispatch('auth.setup', { username: 'admin', displayName: 'Anna', password: 'una-password-lunga' }, { session: null })) as { token: string };
  return { app, dataDir, admin: { session: grant.token } };
}

async function signedIn(app: CoreApp, admin: { session: string }, role: string): Promise<{ session: string }> {
  const username = `u-${role}`;
  await app.dispatch('users.create', { username, displayName: username, password: `password-${username}`, roles: [role] }, admin);
  const s = (await app.dispatch('auth.signIn', { username, password: `password-${username}` }, { session: null })) as { token: string };
  return { session: s.token };
}

function auditRows(dataDir: string, action: string): { actor: string; subject: string | null; detail: Record<string, unknown> }[] {
  const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT actor, subject, detail FROM audit_log WHERE action = ? ORDER BY id').all(action) as { actor: string; subject: string | null; detail: string }[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

describe('webhook keys', () => {
  it('a token is shown once, at creation: the list and the store keep only its last four characters and its hash', async () => {
    const { app, dataDir, admin } = await withAdmin();
    const grant = (await app.dispatch('webhooks.create', { name: 'Zapier' }, admin)) as WebhookKeyGrant;
    expect(grant.token).toMatch(/^vdtwh_[\w-]{43}$/);
    expect(grant.key).toMatchObject({ name: 'Zapier', hint: grant.token.slice(-4), createdBy: 'admin', uses: 0, lastUsedAt: null, fromEnvironment: false });
    const list = await app.dispatch('webhooks.list', {}, admin);
    expect(list).toMatchObject({ keys: [grant.key], mentionsUrl: expect.stringContaining('/webhook/mentions'), metricsUrl: expect.stringContaining('/webhook/metrics') });
    expect(JSON.stringify(list)).not.toContain(grant.token);
    app.close();
    // Nowhere in the database file, the audit log included.
    const bytes = readFileSync(join(dataDir, 'vedetta.db')).toString('latin1') + readFileSync(join(dataDir, 'vedetta.db-wal'), { flag: 'a+' }).toString('latin1');
    expect(bytes).not.toContain(grant.token.slice(6));
    expect(auditRows(dataDir, 'webhooks.create')).toEqual([{ actor: 'admin', subject: 'webhook:Zapier', detail: { chiave: grant.key.hint } }]);
  });

  it('only administrators list and manage them; a refusal is on record', async () => {
    const { app, dataDir, admin } = await withAdmin();
    const key = (await app.dispatch('webhooks.create', { name: 'Zapier' }, admin)) as WebhookKeyGrant;
    for (const role of ['analyst', 'manager', 'legal', 'owner', 'strategist']) {
      const who = await signedIn(app, admin, role);
      await expectApiError(app.dispatch('webhooks.list', {}, who), 'forbidden');
      await expectApiError(app.dispatch('webhooks.create', { name: `di ${role}` }, who), 'forbidden');
      await expectApiError(app.dispatch('webhooks.rotate', { id: key.key.id }, who), 'forbidden');
      await expectApiError(app.dispatch('webhooks.remove', { id: key.key.id }, who), 'forbidden');
    }
    await expectApiError(app.dispatch('webhooks.list', {}, { session: null }), 'unauthorized');
    expect(auditRows(dataDir, 'webhooks.rotate').map((r) => [r.actor, r.detail.esito, r.detail.motivo])).toContainEqual(['u-analyst', 'rifiutato', 'access.forbidden']);
  });

  it('app.info holds nothing secret, for anyone', async () => {
    const { app, admin } = await withAdmin();
    const { token } = (await app.dispatch('webhooks.create', { name: 'Zapier' }, admin)) as WebhookKeyGrant;
    app.webhooks.fixFromEnvironment('segreto-da-ambiente-123');
    for (const caller of [admin, { session: null }, await signedIn(app, admin, 'analyst')]) {
      const info = JSON.stringify(await app.dispatch('app.info', {}, caller));
      expect(info).not.toContain(token);
      expect(info).not.toContain('segreto-da-ambiente-123');
      expect(info).not.toMatch(/token/i);
    }
  });

  it('rotating refuses the old token at once; removing refuses the key', async () => {
    const { app, admin } = await withAdmin();
    const first = (await app.dispatch('webhooks.create', { name: 'Zapier' }, admin)) as WebhookKeyGrant;
    expect(app.webhooks.resolve(first.token)?.name).toBe('Zapier');
    const second = (await app.dispatch('webhooks.rotate', { id: first.key.id }, admin)) as WebhookKeyGrant;
    expect(second.token).not.toBe(first.token);
    expect(second.key).toMatchObject({ id: first.key.id, name: 'Zapier', hint: second.token.slice(-4), rotatedAt: expect.any(Number) });
    expect(app.webhooks.resolve(first.token)).toBeNull();
    expect(app.webhooks.resolve(second.token)?.id).toBe(first.key.id);
    await app.dispatch('webhooks.remove', { id: first.key.id }, admin);
    expect(app.webhooks.resolve(second.token)).toBeNull();
    await expectApiError(app.dispatch('webhooks.rotate', { id: first.key.id }, admin), 'not_found');
    expect(app.webhooks.resolve(null)).toBeNull();
    expect(app.webhooks.resolve('')).toBeNull();
  });

  it('names are unique without regard to case, and a bad name is refused', async () => {
    const { app, admin } = await withAdmin();
    await app.dispatch('webhooks.create', { name: 'Zapier' }, admin);
    await expectApiError(app.dispatch('webhooks.create', { name: 'zapier' }, admin), 'conflict');
    await expectApiError(app.dispatch('webhooks.create', { name: '   ' }, admin), 'invalid');
    await expectApiError(app.dispatch('webhooks.create', { name: 'a\nb' }, admin), 'invalid');
    await expectApiError(app.dispatch('webhooks.create', { name: 'x'.repeat(61) }, admin), 'invalid');
  });

  it('VEDETTA_WEBHOOK_TOKEN fixes the key of that name at each start', async () => {
    const { app, admin } = await withAdmin();
    app.webhooks.fixFromEnvironment('primo-token-di-ambiente');
    app.webhooks.fixFromEnvironment('primo-token-di-ambiente');
    const keys = () => (app.webhooks.list().keys);
    expect(keys()).toEqual([expect.objectContaining({ name: 'VEDETTA_WEBHOOK_TOKEN', hint: 'ente', fromEnvironment: true })]);
    expect(app.webhooks.resolve('primo-token-di-ambiente')?.name).toBe('VEDETTA_WEBHOOK_TOKEN');
    // Changed between two starts: the old one is refused.
    app.webhooks.fixFromEnvironment('secondo-token-di-ambiente');
    expect(keys()).toHaveLength(1);
    expect(app.webhooks.resolve('primo-token-di-ambiente')).toBeNull();
    expect(app.webhooks.resolve('secondo-token-di-ambiente')?.name).toBe('VEDETTA_WEBHOOK_TOKEN');
    // An administrator may still rotate or remove it: until the next start.
    await app.dispatch('webhooks.remove', { id: keys()[0]!.id }, admin);
    expect(app.webhooks.resolve('secondo-token-di-ambiente')).toBeNull();
  });

  it("each key's use is summed over a minute into one row under 'webhook <name>'; refused tokens likewise", async () => {
    const { app, dataDir, admin } = await withAdmin();
    const { key } = (await app.dispatch('webhooks.create', { name: 'Zapier' }, admin)) as WebhookKeyGrant;
    for (let i = 0; i < 40; i++) app.webhooks.noteUse(key, 'mentions', { accepted: 2, duplicates: 1, rejected: i % 10 === 0 ? 1 : 0 });
    app.webhooks.noteUse(key, 'metrics', { accepted: 5, duplicates: 0, rejected: 0 });
    for (let i = 0; i < 500; i++) app.webhooks.noteRefused('mentions');
    app.webhooks.flush();
    const uses = auditRows(dataDir, 'webhook.mentions');
    expect(uses).toEqual([
      { actor: 'webhook Zapier', subject: 'webhook:Zapier', detail: expect.objectContaining({ richieste: 40, accettati: 80, duplicati: 40, rifiutati: 4 }) },
      { actor: 'webhook ?', subject: null, detail: expect.objectContaining({ esito: 'rifiutato', motivo: 'webhook.badToken', richieste: 500 }) },
    ]);
    expect(auditRows(dataDir, 'webhook.metrics')).toEqual([{ actor: 'webhook Zapier', subject: 'webhook:Zapier', detail: expect.objectContaining({ richieste: 1, accettati: 5 }) }]);
    expect(app.webhooks.list().keys[0]).toMatchObject({ uses: 41, lastUsedAt: expect.any(Number) });
    // Nothing more to write: the next flush adds no row.
    app.webhooks.flush();
    expect(auditRows(dataDir, 'webhook.mentions')).toHaveLength(2);
  });

  it('tells open screens when the keys change: made, rotated, removed, or their uses written', async () => {
    const { app, admin } = await withAdmin();
    let heard = 0;
    app.events.subscribe((event) => {
      if (event === 'webhooks.changed') heard++;
    });
    const { key } = (await app.dispatch('webhooks.create', { name: 'Zapier' }, admin)) as WebhookKeyGrant;
    await app.dispatch('webhooks.rotate', { id: key.id }, admin);
    expect(heard).toBe(2);
    app.webhooks.noteRefused('mentions');
    app.webhooks.flush();
    // A refused token moves no key's figures.
    expect(heard).toBe(2);
    app.webhooks.noteUse(key, 'mentions', { accepted: 1, duplicates: 0, rejected: 0 });
    app.webhooks.flush();
    expect(heard).toBe(3);
    await app.dispatch('webhooks.remove', { id: key.id }, admin);
    expect(heard).toBe(4);
  });

  it('the open minute is written when the app closes', async () => {
    const { app, dataDir, admin } = await withAdmin();
    const { key } = (await app.dispatch('webhooks.create', { name: 'Make' }, admin)) as WebhookKeyGrant;
    app.webhooks.noteUse(key, 'mentions', { accepted: 1, duplicates: 0, rejected: 0 });
    app.close();
    expect(auditRows(dataDir, 'webhook.mentions')).toEqual([expect.objectContaining({ actor: 'webhook Make', detail: expect.objectContaining({ richieste: 1 }) })]);
  });
});
