// Sign-in and sessions. auth.status / auth.setup / auth.signIn run without a session (they are
// how one gets a session); everything else in the contract needs one (see core/auth/permissions).
import { z } from 'zod';
import { ActorSchema, DisplayNameSchema, PasswordSchema, SessionGrantSchema, UsernameSchema } from '../auth';

const Empty = z.object({}).strict();

export const authOperations = {
  'auth.status': {
    input: Empty,
    output: z.object({
      /** No person exists yet: the UI shows "crea l'amministratore". */
      needsSetup: z.boolean(),
      /** The caller's person when its session is valid, else null. */
      actor: ActorSchema.nullable(),
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
  'auth.signOut': { input: Empty, output: z.object({ ok: z.literal(true) }) },
} as const;
