// The policy engine: pure. Given the rules and the facts of one response it returns the
// ordered review steps (legal first, then the second approver, the owner last: the owner
// decides on a text that has already passed every other check), their SLA and the reasons.
import type { PlannedStep, Policy, PolicyDecision, PolicyFacts, StepKind } from '../../shared/policy';
import type { Role } from '../../shared/auth';

const ROLE_OF: Record<Exclude<StepKind, 'second'>, Role> = { legal: 'legal', owner: 'owner' };

export function evaluatePolicy(policy: Policy, facts: PolicyFacts, startAt: number): PolicyDecision {
  const forbidden = facts.themes.filter((t) => t.stance === 'forbidden');
  const blockers = forbidden.map((t) => `Tema vietato «${t.name}»: solo note interne, nessuna risposta pubblicabile.`);

  const legalReasons: string[] = [];
  if (policy.legalOnSensitiveTheme) {
    for (const t of facts.themes) if (t.stance === 'sensitive') legalReasons.push(`Revisione legale: tema sensibile «${t.name}».`);
  }
  if (policy.legalOnStrongRisk && facts.riskArea === 'strong') legalReasons.push('Revisione legale: area di rischio forte.');
  // A mention from a strong audience is exposed whether or not it belongs to a moment.
  if (policy.legalOnStrongRisk) for (const name of facts.strongAudiences ?? []) legalReasons.push(`Revisione legale: pubblico forte «${name}».`);
  if (policy.legalOnChannel && facts.channel?.requiresLegal) legalReasons.push(`Revisione legale: il canale «${facts.channel.name}» la richiede.`);

  const plan: { kind: StepKind; role: Role; reasons: string[] }[] = [];
  if (legalReasons.length > 0) plan.push({ kind: 'legal', role: ROLE_OF.legal, reasons: legalReasons });
  if (policy.secondApproverRole) {
    plan.push({ kind: 'second', role: policy.secondApproverRole, reasons: [`Secondo approvatore richiesto dalla policy (ruolo ${policy.secondApproverRole}).`] });
  }
  plan.push({ kind: 'owner', role: ROLE_OF.owner, reasons: ["Approvazione dell'owner: sempre richiesta."] });

  let due = startAt;
  const steps: PlannedStep[] = plan.map((p) => {
    const slaMinutes = policy.sla[facts.severity][p.kind];
    due += slaMinutes * 60_000;
    return { ...p, slaMinutes, dueAt: new Date(due).toISOString() };
  });
  return { publishable: blockers.length === 0, blockers, steps };
}

/** The strong audiences a target mention belongs to, by name (none for a moment). */
export type StrongAudiencesOf = (target: { kind: 'mention' | 'moment'; id: number }) => string[];
export const noStrongAudiences: StrongAudiencesOf = () => [];

/** A source of the audience risk area of a target; the risk map (issue #7) plugs in here. */
export type RiskAreaOf = (target: { kind: 'mention' | 'moment'; id: number }) => 'weak' | 'strong' | null;
export const noRiskArea: RiskAreaOf = () => null;
