// Who may do what in publishing, whatever a client sends: calls carry a real session (as the
// HTTP and IPC adapters pass it) and the dispatcher checks the role; refusals are Italian and
// leave nothing behind, and what is allowed is audited under the person who did it.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import type { Role } from '../../src/shared/auth';
import { openTestApp } from './support/app';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

async function withPeople() {
  const t = openTestApp('browser');
  cleanups.push(() => t.dispose());
  const sessions: Record<string, string> = {};
  const people: [string, Role[]][] = [['sara', ['strategist']], ['marco', ['manager']], ['anna', ['analyst']], ['luca', ['legal']]];
  for (const [username, roles] of people) {
    await t.app.auth.createUser({ username, displayName: username, password: `password-di-${username}-1`, roles });
    const grant = (await t.app.dispatch('auth.signIn', { username, password: `password-di-${username}-1` }, { session: null })) as { token: string };
    sessions[username] = grant.token;
  }
  const as = (who: string, op: string, input: unknown) => t.app.dispatch(op, input, { session: sessions[who] ?? null });
  return { app: t.app, as, dataDir: t.dataDir };
}

describe('publishing permissions', () => {
  it('only admin and strategist configure channels; everyone signed in reads them; nobody without a session', async () => {
    const { as } = await withPeople();
    const manual = { kind: 'manual', name: 'A mano' };
    for (const who of ['marco', 'anna', 'luca']) {
      await expect(as(who, 'publishing.channelCreate', manual)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('Il tuo ruolo non consente') });
    }
    await expect(as('nessuno', 'publishing.channels', {})).rejects.toMatchObject({ code: 'unauthorized' });
    const ch = (await as('sara', 'publishing.channelCreate', manual)) as { id: number };
    expect(await as('anna', 'publishing.channels', {})).toEqual([expect.objectContaining({ name: 'A mano' })]);
    await expect(as('marco', 'publishing.channelDisable', { id: ch.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(as('anna', 'publishing.channelTest', { id: ch.id })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('the manager records a manual post; an analyst or legal may not; the audit names the manager and the refused', async () => {
    const { app, as, dataDir } = await withPeople();
    const ch = (await as('sara', 'publishing.channelCreate', { kind: 'manual', name: 'A mano' })) as { id: number };
    const entry = app.publishing.enqueue({ responseId: 9, versionId: 1, contentHash: 'abc', channelId: ch.id, targetMentionId: null, text: 'Testo', actor: SYSTEM_ACTOR });
    for (const who of ['anna', 'luca', 'sara']) {
      await expect(as(who, 'publishing.recordManual', { id: entry.id, url: 'https://esempio.it/p/1' })).rejects.toMatchObject({ code: 'forbidden' });
    }
    expect(app.publishing.forResponse(9)[0]?.state).toBe('awaiting_manual');
    await expect(as('marco', 'publishing.recordManual', { id: entry.id, url: 'ftp://esempio.it' })).rejects.toMatchObject({ code: 'invalid' });
    const done = (await as('marco', 'publishing.recordManual', { id: entry.id, url: 'https://esempio.it/p/1' })) as { state: string };
    expect(done.state).toBe('published');
    expect(app.auditService.verify()).toMatchObject({ ok: true });
    const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
    try {
      const rows = db.prepare(`SELECT actor, action, content_hash AS hash FROM audit_log WHERE action LIKE 'publishing.%' ORDER BY id`).all();
      expect(rows).toEqual([
        { actor: 'sara', action: 'publishing.channelCreate', hash: null },
        { actor: 'sistema', action: 'publishing.enqueue', hash: 'abc' },
        // The three refused attempts are in the log too, by who tried.
        { actor: 'anna', action: 'publishing.recordManual', hash: null },
        { actor: 'luca', action: 'publishing.recordManual', hash: null },
        { actor: 'sara', action: 'publishing.recordManual', hash: null },
        // So is the attempt that failed (an ftp:// address), and then the one that went through.
        { actor: 'marco', action: 'publishing.recordManual', hash: null },
        { actor: 'marco', action: 'publishing.recordManual', hash: 'abc' },
      ]);
    } finally {
      db.close();
    }
    const rows = (await app.dispatch('publishing.outbox', {})) as { state: string }[];
    expect(rows.map((r) => r.state)).toEqual(['published']);
  });
});
