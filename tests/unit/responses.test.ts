// The response lifecycle on a real SQLite file built by the real migrations. The publisher
// is a small in-process outbox defined here (the real one is issue #5c's); the audit goes
// to the real hash-chained audit_log, written from each op's declaration as the dispatcher
// writes it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/api/events';
import type { Publisher, PublishRequest } from '../../src/core/publishing/types';
import { callAudited, type AuditWriter, type CallContext, type OpDeclaration } from '../../src/core/api/call-scope';
import { OP_DECLARATIONS } from '../../src/core/api/op-table';
import { responsesHandlers } from '../../src/core/responses/handlers';
import { contentHash, ResponsesService } from '../../src/core/responses/service';
import type { TargetFacts } from '../../src/core/responses/types';
import type { WarningsOf } from '../../src/core/responses/checks';
import { responseComposer } from '../../src/core/store/migrations/024_response_composer';
import { AuditRepo } from '../../src/core/store/audit-repo';
import { AuditService } from '../../src/core/audit/service';
import { AuditQuery } from '../../src/core/store/audit-query';
import { openDatabase } from '../../src/core/store/db';
import { PolicyRepo } from '../../src/core/store/policy-repo';
import { ResponsesRepo } from '../../src/core/store/responses-repo';
import Database from 'better-sqlite3';
import { migrate, migrations } from '../../src/core/store/migrations';
import { responses as responsesMigration } from '../../src/core/store/migrations/011_responses';
import { ApiError, type OpName, type OpOutput } from '../../src/shared/contract';
import type { Actor } from '../../src/shared/auth';
import type { OutboxEntry, PublishChannel } from '../../src/shared/publishing';
import { DEFAULT_POLICY } from '../../src/shared/policy';
import { onClose, tempDir } from './support/core';

const person = (userId: number, username: string, ...roles: Actor['roles']): Actor => ({ userId, username, displayName: username, roles });
const giulia = person(1, 'giulia', 'manager');
const marco = person(2, 'marco', 'manager');
const laura = person(3, 'laura', 'legal');
const oscar = person(4, 'oscar', 'owner');
const anna = person(5, 'anna', 'analyst');
const doppia = person(6, 'doppia', 'legal', 'owner');

class TestPublisher implements Publisher {
  entries: OutboxEntry[] = [];
  listeners = new Set<(e: OutboxEntry) => void>();
  constructor(readonly list: PublishChannel[]) {}
  channels() {
    return this.list;
  }
  channel(id: number) {
    return this.list.find((c) => c.id === id) ?? null;
  }
  enqueue(req: PublishRequest): OutboxEntry {
    const key = `${req.responseId}:${req.contentHash}:${req.channelId}`;
    const existing = this.entries.find((e) => e.idempotencyKey === key);
    if (existing) return existing;
    const e: OutboxEntry = {
      id: this.entries.length + 1, responseId: req.responseId, versionId: req.versionId, contentHash: req.contentHash, channelId: req.channelId,
      channelKind: this.channel(req.channelId)!.kind, idempotencyKey: key, state: 'pending', attempts: 0, lastError: null, externalId: null, url: null,
      createdAt: new Date().toISOString(), publishedAt: null,
    };
    this.entries.push(e);
    return e;
  }
  recordManual(): OutboxEntry {
    throw new Error('not used');
  }
  forResponse(id: number) {
    return this.entries.filter((e) => e.responseId === id);
  }
  onSettled(l: (e: OutboxEntry) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  /** The connector posted: settle the entry as a real one would. */
  post(id: number, url: string) {
    const e = this.entries.find((x) => x.id === id)!;
    Object.assign(e, { state: 'published', url, externalId: 't1_abc', publishedAt: new Date().toISOString() });
    for (const l of this.listeners) l(e);
  }
}

type Svc = ResponsesService;

/**
 * The service as the dispatcher calls it: each step runs through its op's declared audit
 * (core/responses/ops.ts), so the rows are the ones the app writes; reads go straight.
 */
function throughDispatcher(core: ResponsesService, audit: AuditService) {
  const h = responsesHandlers(core);
  const writer: AuditWriter = (a, action, subject, detail, hash) => {
    audit.record(a, action, subject, detail, hash ?? null);
  };
  const call = <K extends keyof typeof h>(op: K, actor: Actor, input: unknown): OpOutput<K> => {
    const ctx = { actor, session: null };
    const handler = h[op] as (i: unknown, c: CallContext) => OpOutput<K>;
    return callAudited(op, OP_DECLARATIONS[op] as OpDeclaration<OpName>, input, ctx, () => handler(input, ctx), { audit: writer });
  };
  return {
    create: (a: Actor, input: Parameters<Svc['create']>[1]) => call('responses.create', a, input),
    edit: (a: Actor, id: number, baseVersionId: number, text: string) => call('responses.edit', a, { id, baseVersionId, text }),
    submit: (a: Actor, id: number) => call('responses.submit', a, { id }),
    decide: (a: Actor, input: Parameters<Svc['decide']>[1]) => call('responses.decide', a, input),
    comment: (a: Actor, id: number, text: string) => call('responses.comment', a, { id, text }),
    confirmChecklist: (a: Actor, id: number, versionId: number, checklist: Parameters<Svc['confirmChecklist']>[3]) => call('responses.checklist', a, { id, versionId, checklist }),
    publish: (a: Actor, id: number, versionId: number, contentHash: string) => call('responses.publish', a, { id, versionId, contentHash }),
    override: (a: Actor, id: number, warning: 'forbiddenTheme' | 'sensitiveTiming', reason: string) => call('responses.override', a, { id, warning, reason }),
    templateSave: (a: Actor, input: { id?: number; name: string; text: string }) => call('responses.templateSave', a, input),
    templateDelete: (a: Actor, id: number) => call('responses.templateDelete', a, { id }),
    list: (a: Actor, queue: Parameters<Svc['list']>[1], limit: number) => core.list(a, queue, limit),
    detail: (a: Actor, id: number) => core.detail(a, id),
  };
}

function setup(targets: Record<string, TargetFacts> = {}, warnings: WarningsOf = () => []) {
  const db = openDatabase(join(tempDir(), 'v.db'));
  onClose(() => db.close());
  let clock = Date.parse('2026-11-23T10:00:00Z');
  const audit = new AuditRepo(db);
  const events = new EventBus();
  const seen: { id: number; next: unknown }[] = [];
  events.subscribe((name, p) => {
    if (name === 'responses.changed') seen.push(p as { id: number; next: unknown });
  });
  const publisher = new TestPublisher([
    { id: 1, kind: 'reddit', name: 'Reddit r/italy', requiresLegal: false, enabled: true, charLimit: 10_000, platform: null },
    { id: 2, kind: 'webhook', name: 'Comunicati', requiresLegal: true, enabled: true, charLimit: 10_000, platform: null },
    { id: 3, kind: 'manual', name: 'Spento', requiresLegal: false, enabled: false, charLimit: 10_000, platform: null },
    { id: 4, kind: 'manual', name: 'X a mano', requiresLegal: false, enabled: true, charLimit: 280, platform: 'x' },
  ]);
  const policy = new PolicyRepo(db);
  const auditService = new AuditService(audit, new AuditQuery(db), () => clock);
  const core = new ResponsesService({
    repo: new ResponsesRepo(db),
    policy,
    audit: auditService,
    events,
    now: () => clock,
    publisher: () => publisher,
    warnings,
    targets: (kind, id) =>
      targets[`${kind}:${id}`] ?? (kind === 'mention' && id < 100 ? { title: `Menzione ${id}`, themes: [{ id: 1, name: 'Bar', stance: 'in_perimeter' }], mentionId: id, severity: 'moderate' } : null),
  });
  core.attachPublisher();
  const svc = throughDispatcher(core, auditService);
  const auditRows = () =>
    db.prepare<[], { actor: string; action: string; subject: string | null; detail: string; content_hash: string | null; roles: string | null }>(
      'SELECT actor, action, subject, detail, content_hash, roles FROM audit_log ORDER BY id').all();
  return { db, svc, publisher, policy, audit, auditRows, seen, tick: (min: number) => (clock += min * 60_000) };
}

function refused(f: () => unknown): ApiError {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const CHECK = { timing: true, pertinence: true, brandImage: true, product: true };

describe('responses lifecycle', () => {
  it('migration 008 runs on a database built by the earlier real migrations', () => {
    const db = new Database(join(tempDir(), 'old.db'));
    onClose(() => db.close());
    const idx = migrations.indexOf(responsesMigration);
    expect(idx).toBeGreaterThan(0);
    migrate(db, migrations.slice(0, idx));
    db.prepare(`INSERT INTO settings (key, value) VALUES ('locale', '"it"')`).run();
    const applied = migrate(db);
    expect(applied).toContain(responsesMigration.version);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('responses', 'response_versions', 'response_steps', 'response_comments')`).get()).toEqual({ n: 4 });
    expect(db.prepare(`SELECT value FROM settings WHERE key = 'locale'`).get()).toEqual({ value: '"it"' });
  });

  it('the story: draft → submit → legal rejects with a comment → edit → legal approves → owner approves → checklist → published', () => {
    const { svc, publisher, auditRows, seen } = setup({
      'mention:7': { title: 'Muffa nelle capsule?', themes: [{ id: 2, name: 'Muffa nelle capsule', stance: 'sensitive' }], mentionId: 7, severity: 'moderate' },
    });
    let d = svc.create(giulia, { targetKind: 'mention', targetId: 7, channelId: 1, severity: 'critical', text: 'Ci dispiace, scrivici in privato.' });
    expect(d.response.state).toBe('draft');
    expect(d.currentVersion.contentHash).toBe(contentHash('Ci dispiace, scrivici in privato.'));
    d = svc.submit(giulia, d.response.id);
    expect(d.response.state).toBe('in_review');
    expect(d.steps.map((s) => [s.kind, s.state])).toEqual([['legal', 'active'], ['owner', 'waiting']]);
    expect(d.steps[0]!.reasons).toEqual(['Revisione legale: tema sensibile «Muffa nelle capsule».']);
    expect(d.steps[0]!.dueAt).toBe('2026-11-23T10:15:00.000Z');
    expect(seen.at(-1)).toMatchObject({ next: { role: 'legal', kind: 'legal' } });
    expect(svc.list(laura, 'toApprove', 50).items.map((r) => r.id)).toEqual([d.response.id]);
    expect(svc.list(oscar, 'toApprove', 50).items).toEqual([]);

    const v1 = d.currentVersion;
    d = svc.decide(laura, { id: d.response.id, stepId: d.steps[0]!.id, decision: 'reject', versionId: v1.id, contentHash: v1.contentHash, comment: 'Non ammettere colpe: togli "ci dispiace".' });
    expect(d.response.state).toBe('rejected');
    expect(d.comments.at(-1)).toMatchObject({ kind: 'rejected', author: 'laura', versionN: 1 });

    d = svc.edit(giulia, d.response.id, v1.id, 'Grazie della segnalazione: scrivici in privato il lotto.');
    expect(d.response.state).toBe('in_review');
    expect(d.versions.map((v) => v.n)).toEqual([1, 2]);
    expect(d.steps.map((s) => [s.kind, s.state, s.round])).toEqual([['legal', 'active', 2], ['owner', 'waiting', 2]]);
    const v2 = d.currentVersion;
    d = svc.decide(laura, { id: d.response.id, stepId: d.steps[0]!.id, decision: 'approve', versionId: v2.id, contentHash: v2.contentHash, comment: '' });
    expect(seen.at(-1)).toMatchObject({ next: { role: 'owner' } });
    d = svc.decide(oscar, { id: d.response.id, stepId: d.steps[1]!.id, decision: 'approve', versionId: v2.id, contentHash: v2.contentHash, comment: 'Ok' });
    expect(d.response.state).toBe('approved');
    expect(d.can.publish).toBe(false);
    d = svc.confirmChecklist(giulia, d.response.id, v2.id, CHECK);
    expect(svc.detail(giulia, d.response.id).can.publish).toBe(true);
    d = svc.publish(giulia, d.response.id, v2.id, v2.contentHash);
    expect(d.response.state).toBe('publishing');
    // Publishing twice never makes a second outbox entry.
    expect(refused(() => svc.publish(giulia, d.response.id, v2.id, v2.contentHash)).message).toMatch(/già in pubblicazione/);
    expect(publisher.entries).toHaveLength(1);
    publisher.post(1, 'https://reddit.example/r/italy/comments/x/_/abc');
    d = svc.detail(giulia, d.response.id);
    expect(d.response.state).toBe('published');
    expect(d.publishedUrl).toBe('https://reddit.example/r/italy/comments/x/_/abc');
    expect(svc.list(giulia, 'published', 10).items).toHaveLength(1);

    const actions = auditRows().map((r) => `${r.actor} ${r.action}`);
    expect(actions).toEqual([
      'giulia responses.create', 'giulia responses.submit', 'laura responses.reject', 'giulia responses.edit',
      'laura responses.approve', 'oscar responses.approve', 'giulia responses.checklist', 'giulia responses.publish',
      'giulia responses.publish', 'sistema responses.published',
    ]);
    const rows = auditRows();
    expect(JSON.parse(rows[5]!.detail)).toMatchObject({ step: 'owner' });
    expect(rows[5]).toMatchObject({ content_hash: v2.contentHash, roles: JSON.stringify(['owner']) });
    expect(rows[2]!.content_hash).toBe(v1.contentHash);
    expect(JSON.parse(rows[8]!.detail).esito).toMatch(/^rifiutato: /);
  });

  it('any edit voids the approvals given so far and restarts the review; a stale version is refused and audited', () => {
    const { svc, auditRows } = setup();
    let d = svc.submit(giulia, svc.create(giulia, { targetKind: 'mention', targetId: 1, channelId: 2, text: 'Versione uno' }).response.id);
    expect(d.steps.map((s) => s.kind)).toEqual(['legal', 'owner']); // the channel requires legal
    const v1 = d.currentVersion;
    d = svc.decide(laura, { id: d.response.id, stepId: d.steps[0]!.id, decision: 'approve', versionId: v1.id, contentHash: v1.contentHash, comment: '' });
    expect(d.steps[0]!.state).toBe('approved');
    d = svc.edit(marco, d.response.id, v1.id, 'Versione due');
    expect(d.steps.every((s) => s.state !== 'approved')).toBe(true);
    expect(d.steps[0]).toMatchObject({ kind: 'legal', state: 'active' });
    // The owner approving what they read before the edit: refused.
    const ownerStep = d.steps[1]!;
    const e1 = refused(() => svc.decide(laura, { id: d.response.id, stepId: d.steps[0]!.id, decision: 'approve', versionId: v1.id, contentHash: v1.contentHash, comment: '' }));
    expect(e1.code).toBe('conflict');
    expect(e1.message).toMatch(/Versione superata: hai letto la versione 1, la risposta ora è alla versione 2/);
    // A hash that does not match the version is just as stale.
    const e2 = refused(() => svc.decide(laura, { id: d.response.id, stepId: d.steps[0]!.id, decision: 'approve', versionId: d.currentVersion.id, contentHash: v1.contentHash, comment: '' }));
    expect(e2.code).toBe('conflict');
    expect(refused(() => svc.decide(oscar, { id: d.response.id, stepId: ownerStep.id, decision: 'approve', versionId: d.currentVersion.id, contentHash: d.currentVersion.contentHash, comment: '' })).message).toMatch(/Non è il turno/);
    // An edit from a stale screen is refused, not merged.
    expect(refused(() => svc.edit(giulia, d.response.id, v1.id, 'Versione tre')).message).toMatch(/ricarica/);
    const refusals = auditRows().filter((r) => JSON.parse(r.detail).esito);
    expect(refusals.map((r) => r.action)).toEqual(['responses.approve', 'responses.approve', 'responses.approve', 'responses.edit']);
  });

  it('refuses the wrong role, self-approval (unless the policy allows it), one person on two steps, and analysts', () => {
    const { svc, policy } = setup();
    const lead = person(7, 'lead', 'manager', 'owner');
    let d = svc.submit(lead, svc.create(lead, { targetKind: 'mention', targetId: 1, channelId: 2, text: 'Testo' }).response.id);
    const v = d.currentVersion;
    const approveLegal = (a: Actor) => svc.decide(a, { id: d.response.id, stepId: d.steps[0]!.id, decision: 'approve', versionId: v.id, contentHash: v.contentHash, comment: '' });
    expect(refused(() => approveLegal(oscar))).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/spetta al ruolo legale/) });
    d = approveLegal(doppia);
    const approveOwner = (a: Actor) => svc.decide(a, { id: d.response.id, stepId: d.steps[1]!.id, decision: 'approve', versionId: v.id, contentHash: v.contentHash, comment: '' });
    expect(refused(() => approveOwner(lead)).message).toMatch(/non permette di approvare una risposta che hai scritto tu/);
    expect(refused(() => approveOwner(doppia)).message).toMatch(/ogni passaggio richiede una persona diversa/);
    expect(svc.list(lead, 'toApprove', 10).items).toEqual([]);
    policy.put({ ...DEFAULT_POLICY, authorMayApprove: true });
    expect(svc.list(lead, 'toApprove', 10).items).toHaveLength(1);
    expect(approveOwner(lead).response.state).toBe('approved');
    expect(refused(() => svc.create(anna, { targetKind: 'mention', targetId: 1, channelId: 1, text: 'x' })).code).toBe('forbidden');
    expect(refused(() => svc.comment(anna, d.response.id, 'x')).code).toBe('forbidden');
    expect(refused(() => svc.publish(laura, d.response.id, v.id, v.contentHash)).code).toBe('forbidden');
  });

  it('refuses to publish without approvals, without the checklist, and on a forbidden theme (even one made forbidden after the approvals)', () => {
    const targets: Record<string, TargetFacts> = {
      'mention:50': { title: 'Bar', themes: [{ id: 1, name: 'Bar', stance: 'in_perimeter' }], mentionId: 50, severity: 'moderate' },
      'moment:3': { title: 'Elezioni', themes: [{ id: 9, name: 'Politica', stance: 'forbidden' }], mentionId: null, severity: 'critical' },
    };
    const { svc, publisher, auditRows } = setup(targets);
    let d = svc.create(giulia, { targetKind: 'mention', targetId: 50, channelId: 1, text: 'Grazie!' });
    const v = d.currentVersion;
    expect(refused(() => svc.publish(giulia, d.response.id, v.id, v.contentHash)).message).toMatch(/non è approvata \(non è stata inviata in approvazione\)/);
    d = svc.submit(giulia, d.response.id);
    expect(refused(() => svc.publish(giulia, d.response.id, v.id, v.contentHash)).message).toMatch(/manca: approvazione dell'owner/);
    d = svc.decide(oscar, { id: d.response.id, stepId: d.steps[0]!.id, decision: 'approve', versionId: v.id, contentHash: v.contentHash, comment: '' });
    expect(refused(() => svc.publish(giulia, d.response.id, v.id, v.contentHash)).message).toMatch(/Conferma la checklist/);
    expect(refused(() => svc.confirmChecklist(giulia, d.response.id, v.id, { ...CHECK, product: false })).message).toBe('Checklist incompleta: manca la conferma di presenza del prodotto.');
    svc.confirmChecklist(giulia, d.response.id, v.id, CHECK);
    // The theme becomes forbidden after the approvals: publishing is still refused.
    targets['mention:50'] = { ...targets['mention:50']!, themes: [{ id: 1, name: 'Bar', stance: 'forbidden' }] };
    expect(refused(() => svc.publish(giulia, d.response.id, v.id, v.contentHash))).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Tema vietato «Bar»/) });
    expect(publisher.entries).toEqual([]);

    // A forbidden moment: the draft is an internal note, never submitted.
    const note = svc.create(giulia, { targetKind: 'moment', targetId: 3, channelId: 1, text: 'Nota: non rispondiamo.' });
    expect(note.response).toMatchObject({ publishable: false, severity: 'critical' });
    expect(note.blockers).toEqual(['Tema vietato «Politica»: solo note interne, nessuna risposta pubblicabile.']);
    expect(note.can.submit).toBe(false);
    expect(refused(() => svc.submit(giulia, note.response.id)).message).toMatch(/Tema vietato «Politica»/);
    const esiti = auditRows().map((r) => JSON.parse(r.detail).esito).filter(Boolean);
    expect(esiti).toHaveLength(6);
    expect(esiti.every((e: string) => e.startsWith('rifiutato: '))).toBe(true);
  });

  it('reject and request-changes need a comment; a disabled or unknown channel is refused; a mention that does not exist too', () => {
    const { svc } = setup();
    const d = svc.submit(giulia, svc.create(giulia, { targetKind: 'mention', targetId: 1, channelId: 1, text: 'Ciao' }).response.id);
    const v = d.currentVersion;
    expect(refused(() => svc.decide(oscar, { id: d.response.id, stepId: d.steps[0]!.id, decision: 'request_changes', versionId: v.id, contentHash: v.contentHash, comment: ' ' })).message).toMatch(/quali modifiche/);
    const after = svc.decide(oscar, { id: d.response.id, stepId: d.steps[0]!.id, decision: 'request_changes', versionId: v.id, contentHash: v.contentHash, comment: 'Più breve' });
    expect(after.response.state).toBe('changes_requested');
    expect(svc.list(giulia, 'mine', 10).items.map((r) => r.state)).toEqual(['changes_requested']);
    expect(refused(() => svc.create(giulia, { targetKind: 'mention', targetId: 1, channelId: 3, text: 'x' })).message).toMatch(/«Spento» è disattivato/);
    expect(refused(() => svc.create(giulia, { targetKind: 'mention', targetId: 1, channelId: 99, text: 'x' })).code).toBe('not_found');
    expect(refused(() => svc.create(giulia, { targetKind: 'mention', targetId: 500, channelId: 1, text: 'x' })).message).toMatch(/Menzione 500 non trovata/);
  });

  it('the audit chain still verifies after a whole lifecycle with refusals', () => {
    const { svc, audit } = setup();
    const d = svc.submit(giulia, svc.create(giulia, { targetKind: 'mention', targetId: 1, channelId: 1, text: 'Ciao' }).response.id);
    refused(() => svc.publish(giulia, d.response.id, d.currentVersion.id, d.currentVersion.contentHash));
    expect(audit.verify()).toMatchObject({ ok: true, entries: 3 });
  });
});

describe('the composer: channel limits, the checks that block publishing, templates', () => {
  it('migration 024 adds the templates and overrides to a database of the previous version', () => {
    const db = new Database(join(tempDir(), 'prev.db'));
    onClose(() => db.close());
    const idx = migrations.indexOf(responseComposer);
    migrate(db, migrations.slice(0, idx));
    db.prepare(`INSERT INTO settings (key, value) VALUES ('locale', '"it"')`).run();
    expect(migrate(db)).toContain(responseComposer.version);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('response_templates', 'response_overrides')`).get()).toEqual({ n: 2 });
    expect(() => db.prepare(`INSERT INTO response_overrides VALUES (1, 'other', '[]', 'r', 1, 'x', 1)`).run()).toThrow(/CHECK|FOREIGN/);
    expect(db.prepare(`SELECT value FROM settings WHERE key = 'locale'`).get()).toEqual({ value: '"it"' });
  });

  it("a reply over X's 280 characters cannot be submitted, approved or published; the count says by how much", () => {
    const { svc, publisher, auditRows } = setup();
    const long = `${'Grazie della segnalazione, verifichiamo subito il lotto. '.repeat(5)}☕`;
    let d = svc.create(giulia, { targetKind: 'mention', targetId: 1, channelId: 4, text: long });
    expect(d).toMatchObject({ charLimit: 280, charCount: 286 });
    const e = refused(() => svc.submit(giulia, d.response.id));
    expect(e.key).toBe('responses.overLimit');
    expect(e.message).toBe('Testo troppo lungo per «X a mano»: 286 caratteri su 280. Accorcialo di 6.');
    expect(JSON.parse(auditRows().at(-1)!.detail).esito).toMatch(/^rifiutato: Testo troppo lungo/);
    // Exactly 280 code points (the emoji counts one) goes through, and on to publishing.
    d = svc.edit(giulia, d.response.id, d.currentVersion.id, [...long].slice(0, 279).join('') + '☕');
    expect(d.charCount).toBe(280);
    d = svc.submit(giulia, d.response.id);
    const v = d.currentVersion;
    d = svc.decide(oscar, { id: d.response.id, stepId: d.steps[0]!.id, decision: 'approve', versionId: v.id, contentHash: v.contentHash, comment: '' });
    d = svc.confirmChecklist(giulia, d.response.id, v.id, CHECK);
    expect(d.can.publish).toBe(true);
    d = svc.publish(giulia, d.response.id, v.id, v.contentHash);
    expect(publisher.entries).toHaveLength(1);
  });

  it('a forbidden theme in the moment blocks publishing until a legal reviewer overrides it with a reason (audited)', () => {
    let themes = ['Concorrenza'];
    const { svc, auditRows } = setup({}, (t) => (t.kind === 'mention' && t.id === 9 ? [{ kind: 'forbiddenTheme', themes, quietMinutes: null }] : []));
    let d = svc.submit(giulia, svc.create(giulia, { targetKind: 'mention', targetId: 9, channelId: 1, text: 'Scrivici in privato.' }).response.id);
    expect(d.warnings).toEqual([{ kind: 'forbiddenTheme', themes: ['Concorrenza'], quietMinutes: null, overrideRoles: ['legal'], override: null }]);
    const v = d.currentVersion;
    d = svc.decide(oscar, { id: d.response.id, stepId: d.steps[0]!.id, decision: 'approve', versionId: v.id, contentHash: v.contentHash, comment: '' });
    d = svc.confirmChecklist(giulia, d.response.id, v.id, CHECK);
    expect(d.can).toMatchObject({ publish: false, override: [] });
    const blocked = refused(() => svc.publish(giulia, d.response.id, v.id, v.contentHash));
    expect(blocked.message).toBe('Pubblicazione bloccata dalle verifiche prima di intervenire: tema vietato nel momento. Serve lo sblocco motivato di: legale.');
    expect(refused(() => svc.override(giulia, d.response.id, 'forbiddenTheme', 'Va bene così')).message).toBe('Sblocca «tema vietato nel momento» solo chi ha il ruolo legale.');
    expect(refused(() => svc.override(laura, d.response.id, 'sensitiveTiming', 'x')).key).toBe('responses.warningGone');
    expect(svc.detail(laura, d.response.id).can.override).toEqual(['forbiddenTheme']);
    d = svc.override(laura, d.response.id, 'forbiddenTheme', 'La risposta non nomina il concorrente: solo assistenza.');
    expect(d.warnings[0]!.override).toMatchObject({ by: 'laura', reason: 'La risposta non nomina il concorrente: solo assistenza.' });
    const row = auditRows().at(-1)!;
    expect(row).toMatchObject({ actor: 'laura', action: 'responses.override', subject: `response:${d.response.id}`, content_hash: v.contentHash });
    expect(JSON.parse(row.detail)).toMatchObject({ warning: 'forbiddenTheme', themes: ['Concorrenza'], reason: 'La risposta non nomina il concorrente: solo assistenza.' });
    // A theme that appears after the override is not covered by it.
    themes = ['Concorrenza', 'Politica'];
    expect(svc.detail(giulia, d.response.id).can.publish).toBe(false);
    themes = ['Concorrenza'];
    expect(svc.detail(giulia, d.response.id).can.publish).toBe(true);
    expect(svc.publish(giulia, d.response.id, v.id, v.contentHash).response.state).toBe('publishing');
  });

  it('templates: managers and strategists keep them, names are unique, a legal reviewer may not change them', () => {
    const { svc, auditRows } = setup();
    let list = svc.templateSave(giulia, { name: 'Scuse e contatto', text: 'Ciao {autore}, {brand} ti ricontatta: {link}' });
    expect(list).toEqual([expect.objectContaining({ name: 'Scuse e contatto', updatedBy: 'giulia' })]);
    expect(refused(() => svc.templateSave(marco, { name: 'scuse e CONTATTO', text: 'altro' })).key).toBe('responses.templateNameTaken');
    expect(refused(() => svc.templateSave(laura, { name: 'Legale', text: 'no' })).key).toBe('responses.templateAuthorOnly');
    list = svc.templateSave(marco, { id: list[0]!.id, name: 'Scuse', text: 'Ciao {autore}!' });
    expect(list).toEqual([expect.objectContaining({ name: 'Scuse', text: 'Ciao {autore}!', updatedBy: 'marco' })]);
    expect(svc.templateDelete(giulia, list[0]!.id)).toEqual([]);
    expect(refused(() => svc.templateDelete(giulia, 999)).key).toBe('responses.templateNotFound');
    expect(auditRows().filter((r) => r.action.startsWith('responses.template')).map((r) => `${r.actor} ${r.action} ${r.subject}`)).toEqual([
      'giulia responses.templateSave template:1', 'marco responses.templateSave template', 'laura responses.templateSave template',
      'marco responses.templateSave template:1', 'giulia responses.templateDelete template:1', 'giulia responses.templateDelete template:999',
    ]);
  });
});
