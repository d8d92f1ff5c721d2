// Response policy: who must approve a response before it goes out, and how fast. The rules
// are data (edited by admin/strategist); the engine in core turns them and the facts of one
// response into ordered review steps. Facts are an open object so later issues (the audience
// risk map) only add fields.
import { z } from 'zod';
import { RoleSchema } from './auth';
import { StanceSchema } from './perimeters';
import { PublishChannelKindSchema } from './publishing';

export const SeveritySchema = z.enum(['critical', 'high', 'moderate', 'low']);
export type Severity = z.infer<typeof SeveritySchema>;
export const SEVERITIES = SeveritySchema.options;

/** legal: legal review; second: the optional second approver; owner: the final approval. */
export const StepKindSchema = z.enum(['legal', 'second', 'owner']);
export type StepKind = z.infer<typeof StepKindSchema>;
export const STEP_KINDS = StepKindSchema.options;

const minutes = z.number({ message: 'schema.minutesNumber' }).int('schema.minutesInt').min(1, 'schema.atLeastOneMinute').max(10_080, 'schema.atMost7Days');

export const SlaTableSchema = z.object({
  critical: z.object({ legal: minutes, second: minutes, owner: minutes }).strict(),
  high: z.object({ legal: minutes, second: minutes, owner: minutes }).strict(),
  moderate: z.object({ legal: minutes, second: minutes, owner: minutes }).strict(),
  low: z.object({ legal: minutes, second: minutes, owner: minutes }).strict(),
}).strict();
export type SlaTable = z.infer<typeof SlaTableSchema>;

export const PolicySchema = z.object({
  /** Owner approval is always required: not a setting, shown as fixed. */
  legalOnSensitiveTheme: z.boolean(),
  legalOnStrongRisk: z.boolean(),
  /** Honour PublishChannel.requiresLegal. */
  legalOnChannel: z.boolean(),
  /** A second approval by someone holding this role, before the owner's; null: none. */
  secondApproverRole: RoleSchema.nullable(),
  /** Whether the author of a draft may approve a step of it. */
  authorMayApprove: z.boolean(),
  sla: SlaTableSchema,
}).strict();
export type Policy = z.infer<typeof PolicySchema>;

export const DEFAULT_POLICY: Policy = {
  legalOnSensitiveTheme: true,
  legalOnStrongRisk: true,
  legalOnChannel: true,
  secondApproverRole: null,
  authorMayApprove: false,
  sla: {
    critical: { legal: 15, second: 15, owner: 15 },
    high: { legal: 30, second: 30, owner: 30 },
    moderate: { legal: 60, second: 60, owner: 60 },
    low: { legal: 240, second: 240, owner: 240 },
  },
};

export const RiskAreaSchema = z.enum(['weak', 'strong']);
export type RiskArea = z.infer<typeof RiskAreaSchema>;

/** What the engine knows about one response. Open to new facts: add fields, never rename. */
export const PolicyFactsSchema = z.object({
  themes: z.array(z.object({ id: z.number().int(), name: z.string(), stance: StanceSchema })),
  severity: SeveritySchema,
  channel: z.object({ id: z.number().int(), name: z.string(), kind: PublishChannelKindSchema, requiresLegal: z.boolean() }).nullable(),
  /** The audience risk area of the target (issue #7); null while unknown. */
  riskArea: RiskAreaSchema.nullable(),
  /** The strong audiences (by name) the target mention itself belongs to; none for a moment. */
  strongAudiences: z.array(z.string().max(200)).max(500).optional(),
});
export type PolicyFacts = z.infer<typeof PolicyFactsSchema>;

export const PlannedStepSchema = z.object({
  kind: StepKindSchema,
  role: RoleSchema,
  slaMinutes: z.number().int(),
  /** Due time if every earlier step takes its whole SLA (ISO 8601). */
  dueAt: z.string(),
  /** Why the step is there, in Italian. */
  reasons: z.array(z.string()),
});
export type PlannedStep = z.infer<typeof PlannedStepSchema>;

export const PolicyDecisionSchema = z.object({
  /** False on a forbidden theme: internal notes only. */
  publishable: z.boolean(),
  /** Why not publishable (Italian), empty when publishable. */
  blockers: z.array(z.string()),
  steps: z.array(PlannedStepSchema),
});
export type PolicyDecision = z.infer<typeof PolicyDecisionSchema>;
