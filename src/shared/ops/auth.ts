// Sign-in and sessions. auth.status / auth.setup / auth.signIn run without a session (they are
// how one gets a session); everything else in the contract needs one (see core/*/ops.ts).
import { z } from 'zod';
import { ActorSchema, DisplayNameSchema, PasswordSchema, RolesSchema, SessionGrantSchema, UserSchema, UsernameSchema } from '../auth';

const Empty = z.object({}).strict();
const DemoPersonSchema = z.object({ username: z.string(), displayName: z.string(), roles: RolesSchema });
export type DemoPerson = z.infer<typeof DemoPersonSchema>;

export const authOperations = {
  'auth.status': {
    input: Empty,
    output: z.object({
      /** No person exists yet: the UI shows "crea l'amministratore". */
      needsSetup: z.boolean(),
      /** The caller's person when its session is valid, else null. */
      actor: ActorSchema.nullable(),
      /**
       * A demo workspace's people (`vedetta demo`, the welcome's demo), listed on the sign-in
       * screen for a one-click sign-in; absent on any workspace the demo did not fill.
       */
      demoPeople: z.array(DemoPersonSchema).optional(),
    }),
  },
  'auth.setup': {
    input: z.object({ username: UsernameSchema, displayName: DisplayNameSchema, password: PasswordSchema }).strict(),
    output: SessionGrantSchema,
  },
  'auth.signIn': {
    // No password rules here: a wrong password is a wrong password, whatever its length.
    input: z.object({ username: z.string().trim().toLowerCase().min(1).max(40), password: z.string().min(1).max(256) }).strict(),
    output: SessionGrantSchema,
  },
  /** One click on a demo person: refused for anyone the demo did not create, or disabled since. */
  'auth.demoSignIn': {
    input: z.object({ username: z.string().trim().toLowerCase().min(1).max(40) }).strict(),
    output: SessionGrantSchema,
  },
  'auth.signOut': { input: Empty, output: z.object({ ok: z.literal(true) }) },
  /** After the inactivity lock: the same person proves it is them; the session goes on. */
  'auth.unlock': { input: z.object({ password: z.string().min(1).max(256) }).strict(), output: z.object({ ok: z.literal(true) }) },

  // People (administrators only).
  'users.list': { input: Empty, output: z.array(UserSchema) },
  'users.create': {
    input: z.object({ username: UsernameSchema, displayName: DisplayNameSchema, password: PasswordSchema, roles: RolesSchema }).strict(),
    output: UserSchema,
  },
  'users.update': {
    input: z.object({
      id: z.number().int().positive(),
      displayName: DisplayNameSchema.optional(),
      roles: RolesSchema.optional(),
      disabled: z.boolean().optional(),
    }).strict(),
    output: UserSchema,
  },
  'users.resetPassword': {
    input: z.object({ id: z.number().int().positive(), password: PasswordSchema }).strict(),
    output: UserSchema,
  },
  /**
   * "Esci ovunque": every session of the person ends (a lost laptop, a shared browser). On
   * oneself, every session but the one asking.
   */
  'users.signOutEverywhere': { input: z.object({ id: z.number().int().positive() }).strict(), output: z.object({ ended: z.number().int() }) },
  /** Only for someone who never acted: who appears in the audit is disabled instead. */
  'users.delete': { input: z.object({ id: z.number().int().positive() }).strict(), output: z.object({ ok: z.literal(true) }) },
} as const;
