// Contract of the response policy: read, edit, and preview what it decides for given facts.
import { z } from 'zod';
import { PolicyDecisionSchema, PolicyFactsSchema, PolicySchema } from '../policy';

export const policyOperations = {
  'policy.get': { input: z.object({}).strict(), output: PolicySchema },
  'policy.update': { input: PolicySchema, output: PolicySchema },
  /** What the policy asks for these facts (the editor's preview). */
  'policy.preview': { input: z.object({ facts: PolicyFactsSchema }).strict(), output: PolicyDecisionSchema },
} as const;
