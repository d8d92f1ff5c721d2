// People and roles. Shared by every area of issue #5 (sign-in, responses, policy, audit,
// publishing): who acts is always an Actor, resolved by core from the caller's session.
import { z } from 'zod';

/** One person may hold several roles; analysts change nothing. */
export const RoleSchema = z.enum(['admin', 'strategist', 'manager', 'legal', 'owner', 'analyst']);
export type Role = z.infer<typeof RoleSchema>;
export const ROLES = RoleSchema.options;

export const ActorSchema = z.object({
  /** 0 only for the in-process system actor (CLI one-shot commands, scheduler, tests). */
  userId: z.number().int().nonnegative(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(RoleSchema),
}).strict();
export type Actor = z.infer<typeof ActorSchema>;
