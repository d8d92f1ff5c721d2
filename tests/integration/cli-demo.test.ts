// `vedetta demo`, spawned as a user runs it, on a real data folder read back with SQLite: the
// workspace it builds (audiences, a manual channel, one person per role, Tier 2 alerts, the
// stream with its crisis), a second run that is fresh (new mentions, no duplicates, nothing
// dated ahead of the clock), and the one-click sign-in a server then offers — only there.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/shared/auth';
import { startVedetta, type VedettaInstance } from '../support/vedetta-process';
import { tempDir } from './support/app';
import { vedetta } from './support/cli';

const STREAM_ITEMS = 5_469;

function readDb<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const count = (db: Database.Database, sql: string): number => (db.prepare(sql).get() as { n: number }).n;

/** A contract call with the page's token, as the sign-in screen makes it (no session). */
async function rpc(v: VedettaInstance, op: string, input: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${v.url}/api/v1/rpc/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${v.token}` },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: await res.json() };
}

describe('vedetta demo', () => {
  const dirs: string[] = [];
  const instances: VedettaInstance[] = [];
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('--help says what it builds; a wrong option exits 2 in Italian', async () => {
    const help = await vedetta(['demo', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Uso: vedetta demo/);
    expect(help.stdout).toMatch(/con un clic/);
    const main = await vedetta(['help']);
    expect(main.stdout).toMatch(/vedetta demo {4}\[--format text\|json\] \[--data CARTELLA\]/);
    const bad = await vedetta(['demo', '--veloce']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Opzione sconosciuta|--veloce/);
  });

  it('builds the whole workspace headless; run again, it is a fresh run: new mentions, no duplicates, never dated ahead', { timeout: 240_000 }, async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const first = await vedetta(['demo', '--data', dataDir], {}, 180_000);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Demo pronta \(corsa n\. 1\): 5469 menzioni salvate su 5469, 0 duplicati/);
    expect(first.stdout).toMatch(/elena\.legal {2}Elena Greco \(legal\)/);
    const afterFirst = Date.now();

    const one = readDb(dataDir, (db) => ({
      mentions: count(db, 'SELECT COUNT(*) AS n FROM mentions'),
      newest: count(db, 'SELECT MAX(published_at) AS n FROM mentions'),
      audiences: db.prepare('SELECT name, type FROM audiences ORDER BY id').all() as { name: string; type: string }[],
      members: count(db, 'SELECT COUNT(DISTINCT audience_id) AS n FROM mention_audiences'),
      channels: db.prepare('SELECT kind, name, enabled FROM publish_channels').all(),
      roles: (db.prepare('SELECT DISTINCT role FROM user_roles ORDER BY role').all() as { role: string }[]).map((r) => r.role),
      people: count(db, 'SELECT COUNT(*) AS n FROM users'),
      content: count(db, 'SELECT COUNT(*) AS n FROM owned_content'),
      alerts: count(db, "SELECT COUNT(*) AS n FROM alerts WHERE state = 'open'"),
      crises: count(db, "SELECT COUNT(*) AS n FROM moments WHERE kind = 'crisis'"),
      opportunities: count(db, "SELECT COUNT(*) AS n FROM moments WHERE kind = 'opportunity'"),
      brands: (db.prepare('SELECT name FROM brands').all() as { name: string }[]).map((b) => b.name),
      builds: db.prepare("SELECT actor, detail FROM audit_log WHERE action = 'demo.build'").all() as { actor: string; detail: string }[],
    }));
    expect(one.mentions).toBe(STREAM_ITEMS);
    expect(one.newest).toBeLessThanOrEqual(afterFirst);
    // Within a few minutes of now: the stream ends now, to the moments' window.
    expect(afterFirst - one.newest).toBeLessThan(10 * 60_000);
    expect(one.brands).toEqual(['Caffè Aurora']);
    expect(new Set(one.audiences.map((a) => a.type))).toEqual(new Set(['primary', 'secondary', 'generic']));
    expect(one.audiences.length).toBeGreaterThanOrEqual(3);
    // Every audience has members: memberships were kept as the stream came in.
    expect(one.members).toBe(one.audiences.length);
    expect(one.channels).toEqual([{ kind: 'manual', name: 'Instagram @caffeaurora (manuale)', enabled: 1 }]);
    expect(one.roles).toEqual([...ROLES].sort());
    expect(one.people).toBe(ROLES.length);
    expect(one.content).toBeGreaterThan(0);
    expect(one.alerts).toBeGreaterThan(0);
    expect(one.crises).toBeGreaterThan(0);
    expect(one.opportunities).toBeGreaterThan(0);
    // The build is in the audit log, with what it added, and the chain still verifies.
    expect(one.builds).toHaveLength(1);
    expect(JSON.parse(one.builds[0]!.detail)).toMatchObject({ run: 1, audiences: one.audiences.length, people: ROLES.length, channel: true, accepted: STREAM_ITEMS });
    const verify = await vedetta(['audit', 'verify', '--data', dataDir]);
    expect(verify.code, verify.stderr).toBe(0);

    const second = await vedetta(['demo', '--data', dataDir, '--format', 'json'], {}, 180_000);
    expect(second.code, second.stderr).toBe(0);
    const report = JSON.parse(second.stdout) as { prepared: { run: number; audiences: number; people: number; channel: boolean }; accepted: number; duplicates: number; total: number };
    expect(report).toMatchObject({ total: STREAM_ITEMS, accepted: STREAM_ITEMS, duplicates: 0 });
    // What the first run made stays as it is: nothing added twice.
    expect(report.prepared).toMatchObject({ run: 2, audiences: 0, people: 0, channel: false });
    const afterSecond = Date.now();

    const two = readDb(dataDir, (db) => ({
      mentions: count(db, 'SELECT COUNT(*) AS n FROM mentions'),
      identities: count(db, 'SELECT COUNT(DISTINCT dedup_key) AS n FROM mentions'),
      newest: count(db, 'SELECT MAX(published_at) AS n FROM mentions'),
      secondRun: count(db, "SELECT COUNT(*) AS n FROM mentions WHERE external_id LIKE '%-r2'"),
      secondRunCrises: count(
        db,
        `SELECT COUNT(DISTINCT m.id) AS n FROM moments m JOIN moment_mentions mm ON mm.moment_id = m.id JOIN mentions x ON x.id = mm.mention_id
         WHERE m.kind = 'crisis' AND x.external_id LIKE '%-r2'`,
      ),
      audiences: count(db, 'SELECT COUNT(*) AS n FROM audiences'),
      channels: count(db, 'SELECT COUNT(*) AS n FROM publish_channels'),
      people: count(db, 'SELECT COUNT(*) AS n FROM users'),
    }));
    expect(two.mentions).toBe(2 * STREAM_ITEMS);
    expect(two.identities).toBe(2 * STREAM_ITEMS);
    expect(two.secondRun).toBe(STREAM_ITEMS);
    expect(two.newest).toBeLessThanOrEqual(afterSecond);
    // The fresh run has its own crisis to see.
    expect(two.secondRunCrises).toBeGreaterThan(0);
    expect({ audiences: two.audiences, channels: two.channels, people: two.people }).toEqual({ audiences: one.audiences.length, channels: 1, people: ROLES.length });

    // A server on that folder offers its people for a one-click sign-in.
    const v = await startVedetta({ dataDir, users: [] });
    instances.push(v);
    const status = await rpc(v, 'auth.status', {});
    expect(status.status).toBe(200);
    const people = (status.body as { demoPeople: { username: string; roles: string[] }[] }).demoPeople;
    expect(people.map((p) => p.roles[0]).sort()).toEqual([...ROLES].sort());
    const signIn = await rpc(v, 'auth.demoSignIn', { username: 'elena.legal' });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({ actor: { username: 'elena.legal', displayName: 'Elena Greco', roles: ['legal'] } });
  });

  it('outside a demo workspace nobody is offered and a one-click sign-in is refused, naming why', async () => {
    const v = await startVedetta();
    instances.push(v);
    const status = await rpc(v, 'auth.status', {});
    expect(status).toEqual({ status: 200, body: { needsSetup: false, actor: null } });
    const refused = await rpc(v, 'auth.demoSignIn', { username: 'admin' });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toMatch(/solo per le persone dell'area di lavoro demo/);
  });
});
