// The response policy engine's face (issue #15): pure rules (who must approve, how fast),
// applied by core/responses, which owns the policy.* ops.
export { evaluatePolicy, noRiskArea, noStrongAudiences, type RiskAreaOf, type StrongAudiencesOf } from './engine';
