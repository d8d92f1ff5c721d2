// Contract of audiences and risk: the audience maps strategists keep, the risk of each moment,
// the risk map, and the "prima di intervenire" checklist of a moment.
import { z } from 'zod';
import {
  AudienceInputSchema,
  AudienceRematchSchema,
  AudienceSchema,
  ChecklistHintsSchema,
  ChecklistItemSchema,
  ChecklistSchema,
  MomentRiskSchema,
  RiskAreaSchema,
  RiskExplainSchema,
} from '../audiences';
import { MomentKindSchema, MomentStateSchema, MomentSummarySchema } from '../moments';

const Id = z.object({ id: z.number().int() }).strict();

export const audiencesOperations = {
  'audiences.list': {
    input: z.object({}).strict(),
    output: z.object({ items: z.array(AudienceSchema), rematch: AudienceRematchSchema }),
  },
  'audiences.create': { input: AudienceInputSchema, output: AudienceSchema },
  'audiences.update': { input: z.object({ id: z.number().int(), audience: AudienceInputSchema }).strict(), output: AudienceSchema },
  'audiences.delete': { input: Id, output: z.object({ ok: z.literal(true) }) },
  /** What the stored mentions offer to build rules from: sources, communities, hashtags, most frequent first. */
  'audiences.suggestions': {
    input: z.object({}).strict(),
    output: z.object({
      sources: z.array(z.object({ value: z.string(), count: z.number().int() })),
      communities: z.array(z.object({ value: z.string(), count: z.number().int() })),
      hashtags: z.array(z.object({ value: z.string(), count: z.number().int() })),
    }),
  },
  /** A moment's audiences, risk area with its explanation, checklist and the checklist's hints. */
  'risk.moment': {
    input: z.object({ momentId: z.number().int() }).strict(),
    output: z.object({ risk: MomentRiskSchema, checklist: ChecklistSchema, hints: ChecklistHintsSchema }),
  },
  /** Moments placed in the audience space. */
  'risk.map': {
    input: z.object({
      kind: MomentKindSchema.optional(),
      state: MomentStateSchema.optional(),
      limit: z.number().int().min(1).max(500).default(200),
    }).strict(),
    output: z.object({ items: z.array(z.object({ moment: MomentSummarySchema, risk: MomentRiskSchema })) }),
  },
  'risk.checklistSet': {
    input: z.object({
      momentId: z.number().int(),
      item: ChecklistItemSchema,
      done: z.boolean(),
      note: z.string().max(1_000, 'schema.noteTooLong').default(''),
    }).strict(),
    output: ChecklistSchema,
  },
} as const;

export const audiencesEvents = {
  /** Audiences or their memberships changed (an edit's re-match progressed or finished). */
  'audiences.changed': z.object({ rematch: AudienceRematchSchema }),
  /** Risk of moments recomputed; `changes` lists live changes of risk area (never those of a rebuild). */
  'risk.changed': z.object({
    changes: z.array(z.object({
      momentId: z.number().int(),
      title: z.string(),
      kind: MomentKindSchema,
      from: RiskAreaSchema.nullable(),
      to: RiskAreaSchema,
      /** What the risk line says, as facts: each client words it in its language. */
      explain: RiskExplainSchema,
    })),
  }),
} as const;
