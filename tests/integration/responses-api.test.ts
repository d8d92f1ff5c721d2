// The rules of the response workflow hold whatever a client sends: the real `vedetta serve`,
// people created with the real CLI, real sessions over HTTP. Each attempt to skip a rule is
// refused with a clear Italian error AND an audit entry ("rifiutato: …"), read back from the
// hash-chained log in the data folder.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../src/shared/contract';
import { AuditRepo } from '../../src/core/store/audit-repo';
import { ADMIN, postMentions, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

const GIULIA: TestUser = { username: 'giulia', password: 'password-di-giulia', roles: ['manager'], name: 'Giulia' };
const LAURA: TestUser = { username: 'laura', password: 'password-di-laura', roles: ['legal'], name: 'Laura' };
const OSCAR: TestUser = { username: 'oscar', password: 'password-di-oscar', roles: ['owner'], name: 'Oscar' };
const LEAD: TestUser = { username: 'lead', password: 'password-di-lead', roles: ['manager', 'owner'], name: 'Capo' };
const ANNA: TestUser = { username: 'anna', password: 'password-di-anna', roles: ['analyst'], name: 'Anna' };

// Channels come from the publishing service (issue #5c): the tests that submit need one.
const hasChannels = 'publishing.channelCreate' in operations;

let v: VedettaInstance;
const sessions = new Map<string, string>();
let sensitiveMention = 0;
let plainMention = 0;
let forbiddenMention = 0;
let channelId: number | null = null;

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

async function as(user: TestUser, op: string, input: unknown): Promise<Answer> {
  let session = sessions.get(user.username);
  if (!session) {
    const r = await fetch(`${v.url}/api/v1/rpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${v.token}` },
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    session = ((await r.json()) as { token: string }).token;
    sessions.set(user.username, session);
  }
  const res = await fetch(`${v.url}/api/v1/rpc/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${v.token}`, 'x-vedetta-session': session },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

async function ok<T>(user: TestUser, op: string, input: unknown): Promise<T> {
  const a = await as(user, op, input);
  if (a.status !== 200) throw new Error(`${op} as ${user.username} → ${a.status}: ${JSON.stringify(a.body)}`);
  return a.body as T;
}

interface Detail {
  response: { id: number; state: string };
  currentVersion: { id: number; n: number; contentHash: string };
  steps: { id: number; kind: string; state: string }[];
}

function auditRows(): { actor: string; action: string; subject: string | null; detail: string; content_hash: string | null }[] {
  const db = new Database(join(v.dataDir, 'vedetta.db'), { readonly: true });
  try {
    return db.prepare('SELECT actor, action, subject, detail, content_hash FROM audit_log ORDER BY id').all() as ReturnType<typeof auditRows>;
  } finally {
    db.close();
  }
}

/** The last audit entry about this response: it must name the refusal and who tried. */
function lastRefusal(responseId: number): { actor: string; action: string; esito: string; content_hash: string | null } {
  const row = auditRows().filter((r) => r.subject === `response:${responseId}`).at(-1);
  if (!row) throw new Error(`no audit entry for response ${responseId}`);
  return { actor: row.actor, action: row.action, esito: (JSON.parse(row.detail) as { esito?: string }).esito ?? '', content_hash: row.content_hash };
}

beforeAll(async () => {
  v = await startVedetta({ users: [ADMIN, GIULIA, LAURA, OSCAR, LEAD, ANNA] });
  const brand = await ok<{ id: number }>(ADMIN, 'perimeters.brandCreate', { name: 'Caffè Aurora' });
  await ok(ADMIN, 'perimeters.themeCreate', { brandId: brand.id, name: 'Muffa nelle capsule', query: 'muffa', swot: 'threat', stance: 'sensitive' });
  await ok(ADMIN, 'perimeters.themeCreate', { brandId: brand.id, name: 'Politica', query: 'elezioni', swot: 'threat', stance: 'forbidden' });
  const now = Date.now();
  const posted = await postMentions(v, [
    { source: 'Reddit r/italy', external_id: 's1', text: 'Ho trovato la muffa nelle capsule Aurora', lang: 'it', published_at: new Date(now - 3000).toISOString() },
    { source: 'Reddit r/italy', external_id: 'p1', text: 'Il cappuccino Aurora è buono', lang: 'it', published_at: new Date(now - 2000).toISOString() },
    { source: 'Reddit r/italy', external_id: 'f1', text: 'Aurora cosa pensa delle elezioni?', lang: 'it', published_at: new Date(now - 1000).toISOString() },
  ]);
  expect(posted.status).toBe(202);
  const list = await ok<{ items: { id: number; text: string }[] }>(ADMIN, 'mentions.list', {});
  sensitiveMention = list.items.find((m) => m.text.includes('muffa'))!.id;
  plainMention = list.items.find((m) => m.text.includes('cappuccino'))!.id;
  forbiddenMention = list.items.find((m) => m.text.includes('elezioni'))!.id;
  if (hasChannels) channelId = (await ok<{ id: number }>(ADMIN, 'publishing.channelCreate', { kind: 'manual', name: 'A mano' })).id;
}, 120_000);
afterAll(async () => {
  await v?.stop();
});

describe('responses API enforcement', () => {
  it('publishing without approvals is refused, in Italian, and audited', async () => {
    const d = await ok<Detail>(GIULIA, 'responses.create', { targetKind: 'mention', targetId: sensitiveMention, channelId, text: 'Scrivici in privato il lotto.' });
    const a = await as(GIULIA, 'responses.publish', { id: d.response.id, versionId: d.currentVersion.id, contentHash: d.currentVersion.contentHash });
    expect(a.status).toBe(403);
    expect(a.body.error?.message).toMatch(/^Non si può pubblicare: la risposta non è approvata/);
    expect(lastRefusal(d.response.id)).toEqual({
      actor: 'giulia', action: 'responses.publish', esito: `rifiutato: ${a.body.error?.message}`, content_hash: d.currentVersion.contentHash,
    });
  });

  it('publishing on a forbidden theme is refused, and so is submitting: internal notes only', async () => {
    const d = await ok<Detail>(GIULIA, 'responses.create', { targetKind: 'mention', targetId: forbiddenMention, channelId, text: 'Nota: non rispondiamo.' });
    const a = await as(GIULIA, 'responses.publish', { id: d.response.id, versionId: d.currentVersion.id, contentHash: d.currentVersion.contentHash });
    expect(a.status).toBe(403);
    expect(a.body.error?.message).toBe('Tema vietato «Politica»: solo note interne, nessuna risposta pubblicabile.');
    expect(lastRefusal(d.response.id)).toMatchObject({ actor: 'giulia', action: 'responses.publish', esito: 'rifiutato: Tema vietato «Politica»: solo note interne, nessuna risposta pubblicabile.' });
    if (hasChannels) {
      const s = await as(GIULIA, 'responses.submit', { id: d.response.id });
      expect(s.body.error?.message).toMatch(/Tema vietato «Politica»/);
      expect(lastRefusal(d.response.id)).toMatchObject({ action: 'responses.submit' });
    }
  });

  it('an analyst changes nothing: refused before anything runs', async () => {
    const a = await as(ANNA, 'responses.create', { targetKind: 'mention', targetId: plainMention, channelId, text: 'x' });
    expect(a.status).toBe(403);
    expect(a.body.error?.message).toMatch(/Il tuo ruolo non consente/);
  });

  it.skipIf(!hasChannels)('approving a stale version is refused: the reviewer read v1, the text is now v2', async () => {
    let d = await ok<Detail>(GIULIA, 'responses.create', { targetKind: 'mention', targetId: sensitiveMention, channelId, text: 'Versione uno.' });
    d = await ok<Detail>(GIULIA, 'responses.submit', { id: d.response.id });
    expect(d.steps.map((s) => [s.kind, s.state])).toEqual([['legal', 'active'], ['owner', 'waiting']]);
    const read = d.currentVersion;
    d = await ok<Detail>(GIULIA, 'responses.edit', { id: d.response.id, baseVersionId: read.id, text: 'Versione due, diversa.' });
    const legal = d.steps.find((s) => s.kind === 'legal')!;
    const a = await as(LAURA, 'responses.decide', { id: d.response.id, stepId: legal.id, decision: 'approve', versionId: read.id, contentHash: read.contentHash });
    expect(a.status).toBe(409);
    expect(a.body.error?.message).toBe('Versione superata: hai letto la versione 1, la risposta ora è alla versione 2. Rileggi il testo attuale e decidi su quello.');
    expect(lastRefusal(d.response.id)).toMatchObject({ actor: 'laura', action: 'responses.approve', content_hash: d.currentVersion.contentHash });
    // Forging the hash of the current version with the old id does not help either.
    const b = await as(LAURA, 'responses.decide', { id: d.response.id, stepId: legal.id, decision: 'approve', versionId: read.id, contentHash: d.currentVersion.contentHash });
    expect(b.status).toBe(409);
    const ok2 = await ok<Detail>(LAURA, 'responses.decide', { id: d.response.id, stepId: legal.id, decision: 'approve', versionId: d.currentVersion.id, contentHash: d.currentVersion.contentHash });
    expect(ok2.steps.map((s) => s.state)).toEqual(['approved', 'active']);
  });

  it.skipIf(!hasChannels)('approving with the wrong role is refused: the owner cannot give the legal review', async () => {
    let d = await ok<Detail>(GIULIA, 'responses.create', { targetKind: 'mention', targetId: sensitiveMention, channelId, text: 'Controlliamo il lotto.' });
    d = await ok<Detail>(GIULIA, 'responses.submit', { id: d.response.id });
    const legal = d.steps.find((s) => s.kind === 'legal')!;
    const a = await as(OSCAR, 'responses.decide', { id: d.response.id, stepId: legal.id, decision: 'approve', versionId: d.currentVersion.id, contentHash: d.currentVersion.contentHash });
    expect(a.status).toBe(403);
    expect(a.body.error?.message).toBe('La revisione legale spetta al ruolo legale: tu non hai questo ruolo.');
    expect(lastRefusal(d.response.id)).toMatchObject({ actor: 'oscar', action: 'responses.approve', esito: `rifiutato: ${a.body.error?.message}` });
    // Nor can the author publish what only legal has seen.
    const p = await as(GIULIA, 'responses.publish', { id: d.response.id, versionId: d.currentVersion.id, contentHash: d.currentVersion.contentHash });
    expect(p.body.error?.message).toMatch(/manca: revisione legale, approvazione dell'owner/);
  });

  it.skipIf(!hasChannels)("approving one's own draft is refused while the policy forbids it, allowed once it permits it", async () => {
    let d = await ok<Detail>(LEAD, 'responses.create', { targetKind: 'mention', targetId: plainMention, channelId, text: 'Grazie!' });
    d = await ok<Detail>(LEAD, 'responses.submit', { id: d.response.id });
    expect(d.steps.map((s) => s.kind)).toEqual(['owner']);
    const approve = { id: d.response.id, stepId: d.steps[0]!.id, decision: 'approve', versionId: d.currentVersion.id, contentHash: d.currentVersion.contentHash };
    const a = await as(LEAD, 'responses.decide', approve);
    expect(a.status).toBe(403);
    expect(a.body.error?.message).toBe('La policy non permette di approvare una risposta che hai scritto tu: deve approvarla un’altra persona.');
    expect(lastRefusal(d.response.id)).toMatchObject({ actor: 'lead', action: 'responses.approve' });
    // The policy is edited by a strategist or admin (a manager is refused, and audited).
    const policy = await ok<Record<string, unknown>>(ADMIN, 'policy.get', {});
    expect((await as(LEAD, 'policy.update', { ...policy, authorMayApprove: true })).status).toBe(403);
    await ok(ADMIN, 'policy.update', { ...policy, authorMayApprove: true });
    expect((await ok<Detail>(LEAD, 'responses.decide', approve)).response.state).toBe('approved');
    await ok(ADMIN, 'policy.update', policy);
  });

  it('the audit chain of all this still verifies', () => {
    const rows = auditRows();
    const refusals = rows.filter((r) => (JSON.parse(r.detail) as { esito?: string }).esito?.startsWith('rifiutato: '));
    expect(refusals.length).toBeGreaterThanOrEqual(hasChannels ? 7 : 2);
    if (hasChannels) expect(refusals.some((r) => r.action === 'policy.update' && r.actor === 'lead')).toBe(true);
    const db = new Database(join(v.dataDir, 'vedetta.db'), { readonly: true });
    try {
      expect(new AuditRepo(db).verify()).toMatchObject({ ok: true });
    } finally {
      db.close();
    }
  });
});
