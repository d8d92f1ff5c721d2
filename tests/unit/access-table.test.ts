// The UI's "may I call op X" (shared/access.ts) is what the server enforces: equal to the
// dispatcher's declarations (core/api/op-table.ts) for every op, and where a service refines
// them (SERVICE_REFINED) the real dispatcher, called as each role on a real SQLite file,
// refuses exactly the roles the table leaves out.
import { describe, expect, it } from 'vitest';
import { OP_ACCESS as DECLARED } from '../../src/core/api/op-table';
import { mayCall, OP_ACCESS, rolesFor, SERVICE_REFINED } from '../../src/shared/access';
import { ROLES, type Role } from '../../src/shared/auth';
import { ApiError, opNames, type OpName } from '../../src/shared/contract';
import { testApp } from './support/core';

const sorted = (a: unknown): unknown => (Array.isArray(a) ? [...(a as string[])].sort() : a);

/** A refusal for who the caller is, not for what they sent: the dispatcher's or a service's "only X may". */
function refusedForRole(e: unknown): boolean {
  return e instanceof ApiError && (e.key === 'access.forbidden' || /Only$/.test(e.key));
}

describe('the access table the UI reads', () => {
  it('names every op, equal to its declaration unless its service refines it to fewer roles', () => {
    expect(Object.keys(OP_ACCESS).sort()).toEqual([...opNames].sort());
    for (const op of opNames) {
      const table = OP_ACCESS[op];
      const declared = DECLARED[op];
      if (!SERVICE_REFINED.includes(op)) {
        expect(sorted(table), op).toEqual(sorted(declared));
        continue;
      }
      expect(Array.isArray(table) && Array.isArray(declared), op).toBe(true);
      for (const r of table as readonly Role[]) expect(declared, op).toContain(r);
    }
  });

  it('an analyst may read everything and change nothing', () => {
    for (const op of opNames) {
      if (rolesFor(op) === null) continue;
      expect(mayCall(op, ['analyst']), op).toBe(false);
    }
  });
});

describe('the server refuses exactly what the table denies', { timeout: 60_000 }, () => {
  it('as each role, for one op of every role group and every op a service refines', async () => {
    const { app } = testApp();
    const setup = (await app.dispatch('auth.setup', { username: 'admin', displayName: 'Ada Admin', password: 'una-password-lunga' }, { session: null })) as { token: string };
    const admin = { session: setup.token };
    const callers = new Map<Role, { session: string }>();
    for (const role of ROLES) {
      await app.dispatch('users.create', { username: `u-${role}`, displayName: role, password: 'password-lunga-1', roles: [role] }, admin);
      const s = (await app.dispatch('auth.signIn', { username: `u-${role}`, password: 'password-lunga-1' }, { session: null })) as { token: string };
      callers.set(role, { session: s.token });
    }
    // A draft to act on: the refined ops look the response up before checking the role.
    const { ids } = app.ingestWebhook([{ source: 'Webhook test', external_id: 'm1', author: 'autore', text: 'Le capsule arrivano rotte', published_at: '2026-01-01T12:00:00Z' }]);
    const channel = (await app.dispatch('publishing.channelCreate', { kind: 'manual', name: 'A mano' }, admin)) as { id: number };
    const draft = (await app.dispatch('responses.create', { targetKind: 'mention', targetId: ids[0]!, channelId: channel.id, text: 'Ci scusiamo.' }, callers.get('manager')!)) as {
      response: { id: number };
      currentVersion: { id: number; contentHash: string };
    };
    const id = draft.response.id;
    const v = draft.currentVersion;
    const policy = await app.dispatch('policy.get', {}, admin);
    // Inputs the schema accepts; whether the call then succeeds does not matter, only whether it was refused for the role.
    const inputs: Partial<Record<OpName, unknown>> = {
      'policy.update': policy,
      'responses.create': { targetKind: 'mention', targetId: ids[0]!, channelId: channel.id, text: 'Ci scusiamo.' },
      'responses.edit': { id, baseVersionId: -1, text: 'Altro testo' },
      'responses.submit': { id },
      'responses.checklist': { id, versionId: -1, checklist: { timing: true, pertinence: true, brandImage: true, product: true } },
      'responses.publish': { id, versionId: -1, contentHash: v.contentHash },
      'responses.recordManual': { id, outboxId: -1, url: 'https://example.com/x' },
      'mentions.setStatus': { id: 987654, status: 'read' },
      'mentions.correctSentiment': { id: 987654, label: 'positive' },
      'moments.acknowledge': { id: 987654 },
      'users.update': { id: 987654, displayName: 'X' },
      'audiences.delete': { id: 987654 },
      'publishing.retry': { id: 987654 },
      'webhooks.remove': { id: 987654 },
    };
    for (const [op, input] of Object.entries(inputs) as [OpName, unknown][]) {
      for (const role of ROLES) {
        let refused = false;
        try {
          await app.dispatch(op, input, callers.get(role)!);
        } catch (e) {
          if (e instanceof ApiError && e.key === 'request.invalid') throw new Error(`${op}: ${e.detailLines().join('; ')}`);
          refused = refusedForRole(e);
        }
        expect(refused, `${op} as ${role}`).toBe(!mayCall(op, [role]));
      }
    }
  });
});
