// The policy engine is pure: rules + facts → ordered steps, SLA, reasons in Italian.
import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../src/core/policy/engine';
import { DEFAULT_POLICY, PolicySchema, type Policy, type PolicyFacts } from '../../src/shared/policy';
import { describeZodError } from '../../src/shared/contract';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const facts = (over: Partial<PolicyFacts> = {}): PolicyFacts => ({
  themes: [{ id: 1, name: 'Esperienza al bar', stance: 'in_perimeter' }],
  severity: 'moderate',
  channel: { id: 1, name: 'Reddit r/italy', kind: 'reddit', requiresLegal: false },
  riskArea: null,
  ...over,
});
const policy = (over: Partial<Policy> = {}): Policy => ({ ...structuredClone(DEFAULT_POLICY), ...over });

describe('policy engine', () => {
  it('asks the owner only for an ordinary in-perimeter response, with the severity SLA', () => {
    const d = evaluatePolicy(policy(), facts(), T0);
    expect(d.publishable).toBe(true);
    expect(d.steps.map((s) => [s.kind, s.role, s.slaMinutes])).toEqual([['owner', 'owner', 60]]);
    expect(d.steps[0]!.dueAt).toBe(new Date(T0 + 60 * 60_000).toISOString());
    expect(d.steps[0]!.reasons[0]).toMatch(/owner: sempre richiesta/);
  });

  it('words the reasons in the language asked (the workspace\'s), Italian by default', () => {
    const f = facts({ riskArea: 'strong', themes: [{ id: 2, name: 'Muffa', stance: 'sensitive' }, { id: 9, name: 'Politica', stance: 'forbidden' }] });
    const it = evaluatePolicy(policy({ secondApproverRole: 'strategist' }), f, T0);
    const en = evaluatePolicy(policy({ secondApproverRole: 'strategist' }), f, T0, 'en');
    expect(en.steps.map((s) => [s.kind, s.slaMinutes, s.dueAt])).toEqual(it.steps.map((s) => [s.kind, s.slaMinutes, s.dueAt]));
    expect(en.blockers).toEqual(['Forbidden theme «Politica»: internal notes only, no publishable response.']);
    expect(en.steps.flatMap((s) => s.reasons)).toEqual([
      'Legal review: sensitive theme «Muffa».',
      'Legal review: strong risk area.',
      'Second approver required by the policy (role strategist).',
      'Owner approval: always required.',
    ]);
    expect(it.steps.flatMap((s) => s.reasons)).toEqual([
      'Revisione legale: tema sensibile «Muffa».',
      'Revisione legale: area di rischio forte.',
      'Secondo approvatore richiesto dalla policy (ruolo strategist).',
      "Approvazione dell'owner: sempre richiesta.",
    ]);
  });

  it('puts legal first when a theme is sensitive, and says which theme', () => {
    const d = evaluatePolicy(policy(), facts({ severity: 'critical', themes: [{ id: 2, name: 'Muffa nelle capsule', stance: 'sensitive' }] }), T0);
    expect(d.steps.map((s) => s.kind)).toEqual(['legal', 'owner']);
    expect(d.steps[0]!.reasons).toEqual(['Revisione legale: tema sensibile «Muffa nelle capsule».']);
    // Critical: 15 minutes each, owner due after legal's time.
    expect(d.steps.map((s) => s.dueAt)).toEqual([new Date(T0 + 15 * 60_000).toISOString(), new Date(T0 + 30 * 60_000).toISOString()]);
  });

  it('adds legal for a strong risk area and for a channel that requires it, one step with every reason', () => {
    const d = evaluatePolicy(policy(), facts({ riskArea: 'strong', channel: { id: 3, name: 'Webhook stampa', kind: 'webhook', requiresLegal: true } }), T0);
    expect(d.steps.map((s) => s.kind)).toEqual(['legal', 'owner']);
    expect(d.steps[0]!.reasons).toEqual(['Revisione legale: area di rischio forte.', 'Revisione legale: il canale «Webhook stampa» la richiede.']);
    expect(evaluatePolicy(policy(), facts({ riskArea: 'weak' }), T0).steps.map((s) => s.kind)).toEqual(['owner']);
  });

  it('adds legal for a mention from a strong audience even with no moment (no risk area), naming the audience', () => {
    const d = evaluatePolicy(policy(), facts({ riskArea: null, strongAudiences: ['Clienti Aurora'] }), T0);
    expect(d.steps.map((s) => s.kind)).toEqual(['legal', 'owner']);
    expect(d.steps[0]!.reasons).toEqual(['Revisione legale: pubblico forte «Clienti Aurora».']);
    // Every strong audience is named, beside the other reasons.
    const both = evaluatePolicy(policy(), facts({ riskArea: 'strong', strongAudiences: ['Clienti Aurora', 'Baristi'] }), T0);
    expect(both.steps[0]!.reasons).toEqual(['Revisione legale: area di rischio forte.', 'Revisione legale: pubblico forte «Clienti Aurora».', 'Revisione legale: pubblico forte «Baristi».']);
    // No strong audience, or the switch off: no legal step.
    expect(evaluatePolicy(policy(), facts({ strongAudiences: [] }), T0).steps.map((s) => s.kind)).toEqual(['owner']);
    expect(evaluatePolicy(policy({ legalOnStrongRisk: false }), facts({ strongAudiences: ['Clienti Aurora'] }), T0).steps.map((s) => s.kind)).toEqual(['owner']);
  });

  it('honours the switches: legal conditions can be turned off, a second approver added before the owner', () => {
    const p = policy({ legalOnSensitiveTheme: false, legalOnStrongRisk: false, legalOnChannel: false, secondApproverRole: 'strategist' });
    const d = evaluatePolicy(p, facts({ riskArea: 'strong', themes: [{ id: 2, name: 'Muffa', stance: 'sensitive' }], channel: { id: 3, name: 'W', kind: 'webhook', requiresLegal: true } }), T0);
    expect(d.steps.map((s) => [s.kind, s.role])).toEqual([['second', 'strategist'], ['owner', 'owner']]);
  });

  it('a forbidden theme is never publishable: internal notes only, with the theme named', () => {
    const d = evaluatePolicy(policy(), facts({ themes: [{ id: 1, name: 'Bar', stance: 'in_perimeter' }, { id: 9, name: 'Politica', stance: 'forbidden' }] }), T0);
    expect(d.publishable).toBe(false);
    expect(d.blockers).toEqual(['Tema vietato «Politica»: solo note interne, nessuna risposta pubblicabile.']);
  });

  it('the SLA table follows severity and step; the schema refuses nonsense minutes in Italian', () => {
    const p = policy({ sla: { ...DEFAULT_POLICY.sla, low: { legal: 600, second: 300, owner: 120 } } });
    const d = evaluatePolicy(p, facts({ severity: 'low', themes: [{ id: 2, name: 'M', stance: 'sensitive' }] }), T0);
    expect(d.steps.map((s) => s.slaMinutes)).toEqual([600, 120]);
    const bad = PolicySchema.safeParse({ ...DEFAULT_POLICY, sla: { ...DEFAULT_POLICY.sla, critical: { legal: 0, second: 15, owner: 15 } } });
    expect(bad.success).toBe(false);
    expect(describeZodError(bad.error!, 'it')[0]).toBe('sla.critical.legal: almeno 1 minuto');
  });
});
