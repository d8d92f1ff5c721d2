// People and roles. Shared by every area of issue #5 (sign-in, responses, policy, audit,
// publishing): who acts is always an Actor, resolved by core from the caller's session.
import { z } from 'zod';

/** One person may hold several roles; analysts change nothing. */
export const RoleSchema = z.enum(['admin', 'strategist', 'manager', 'legal', 'owner', 'analyst']);
export type Role = z.infer<typeof RoleSchema>;
export const ROLES = RoleSchema.options;

/**
 * Who may correct a mention's sentiment: the people who read the stream for the brand
 * (PRODUCT.md: managers triage, strategists keep perimeters). Legal and owners judge
 * responses, not labels; analysts change nothing.
 */
export const SENTIMENT_CORRECTORS: readonly Role[] = ['admin', 'strategist', 'manager'];

/**
 * Who may rename or delete a tag (issue #17): it changes every colleague's filters, so the
 * people who keep the workspace's words and triage all day; everyone who acts may create one.
 */
export const TAG_KEEPERS: readonly Role[] = ['admin', 'strategist', 'manager'];

/**
 * Who may acknowledge a crisis (take it in charge): everyone who acts for the brand. Analysts
 * read dashboards and change nothing: they see the crisis banner, never its button.
 */
export const MOMENT_ACKNOWLEDGERS: readonly Role[] = ['admin', 'strategist', 'manager', 'owner', 'legal'];

export const ActorSchema = z.object({
  /** 0 only for the in-process system actor (CLI one-shot commands, scheduler, tests). */
  userId: z.number().int().nonnegative(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(RoleSchema),
}).strict();
export type Actor = z.infer<typeof ActorSchema>;

// --- sign-in, sessions, users (issue #5a) ---

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,39}$/;
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(USERNAME_RE, 'schema.username');
export const PASSWORD_MIN = 10;
export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN, 'schema.passwordMin')
  .max(256, 'schema.passwordMax');
export const DisplayNameSchema = z.string().trim().min(1, 'schema.displayNameRequired').max(80, 'schema.displayNameMax');
export const RolesSchema = z
  .array(RoleSchema)
  .min(1, 'schema.rolesRequired')
  .max(ROLES.length)
  .transform((r) => [...new Set(r)]);

/** A signed-in session as the client holds it: the token is shown once, core keeps only its hash. */
export const SessionGrantSchema = z.object({
  token: z.string(),
  actor: ActorSchema,
  expiresAt: z.number().int(),
});
export type SessionGrant = z.infer<typeof SessionGrantSchema>;

export const UserSchema = z.object({
  id: z.number().int().positive(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(RoleSchema),
  disabled: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  /** Whether the person appears in the audit log (then they can be disabled, never deleted). */
  audited: z.boolean(),
});
export type User = z.infer<typeof UserSchema>;
