// Presence (issue #16, "working together"): who has a mention, a moment or a response open
// right now, and whether they are writing — "Giulia sta scrivendo una risposta". Nothing of it
// is stored: it lives in the server's memory for PRESENCE_TTL_MS after each client's last word.
import { z } from 'zod';
import { PersonRefSchema, SubjectSchema } from './notifications';

/** viewing: has it open; replying: writes a response to it; editing: edits this response's text. */
export const PresenceActivitySchema = z.enum(['viewing', 'replying', 'editing']);
export type PresenceActivity = z.infer<typeof PresenceActivitySchema>;

export const PresentPersonSchema = z.object({ person: PersonRefSchema, activity: PresenceActivitySchema });
export type PresentPerson = z.infer<typeof PresentPersonSchema>;

/** A client says it again within this time, or it is taken to have left. */
export const PRESENCE_TTL_MS = 45_000;
/** How often an open screen says it is still there. */
export const PRESENCE_HEARTBEAT_MS = 15_000;

export const presenceOperations = {
  /** What this person is doing on a subject now; null: they left it. Answers who else is there. */
  'presence.here': {
    input: z.object({ subject: SubjectSchema, activity: PresenceActivitySchema.nullable() }).strict(),
    output: z.object({ others: z.array(PresentPersonSchema) }),
  },
} as const;

export const presenceEvents = {
  /** Who is on a subject changed (arrived, left, started or stopped writing). */
  'presence.changed': z.object({ subject: SubjectSchema, people: z.array(PresentPersonSchema) }).strict(),
} as const;
