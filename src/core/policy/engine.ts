// The policy engine: pure. Given the rules and the facts of one response it returns the
// ordered review steps (legal first, then the second approver, the owner last: the owner
// decides on a text that has already passed every other check), their SLA and the reasons.
import type { PlannedStep, Policy, PolicyDecision, PolicyFacts, StepKind } from '../../shared/policy';
import type { Role } from '../../shared/auth';
import { renderText, type ErrorLang } from '../../shared/errors';

const ROLE_OF: Record<Exclude<StepKind, 'second'>, Role> = { legal: 'legal', owner: 'owner' };

/** `lang`: the language the reasons are worded in (they are stored with the steps: the workspace's). */
export function evaluatePolicy(policy: Policy, facts: PolicyFacts, startAt: number, lang: ErrorLang = 'it'): PolicyDecision {
  const forbidden = facts.themes.filter((t) => t.stance === 'forbidden');
  const blockers = forbidden.map((t) => renderText('policy.forbiddenTheme', { theme: t.name }, lang));

  const legalReasons: string[] = [];
  if (policy.legalOnSensitiveTheme) {
    for (const t of facts.themes) if (t.stance === 'sensitive') legalReasons.push(renderText('policy.legalSensitiveTheme', { theme: t.name }, lang));
  }
  if (policy.legalOnStrongRisk && facts.riskArea === 'strong') legalReasons.push(renderText('policy.legalStrongRisk', {}, lang));
  // A mention from a strong audience is exposed whether or not it belongs to a moment.
  if (policy.legalOnStrongRisk) for (const name of facts.strongAudiences ?? []) legalReasons.push(renderText('policy.legalStrongAudience', { audience: name }, lang));
  if (policy.legalOnChannel && facts.channel?.requiresLegal) legalReasons.push(renderText('policy.legalChannel', { channel: facts.channel.name }, lang));

  const plan: { kind: StepKind; role: Role; reasons: string[] }[] = [];
  if (legalReasons.length > 0) plan.push({ kind: 'legal', role: ROLE_OF.legal, reasons: legalReasons });
  if (policy.secondApproverRole) {
    plan.push({ kind: 'second', role: policy.secondApproverRole, reasons: [renderText('policy.secondApprover', { role: policy.secondApproverRole }, lang)] });
  }
  plan.push({ kind: 'owner', role: ROLE_OF.owner, reasons: [renderText('policy.ownerAlways', {}, lang)] });

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
