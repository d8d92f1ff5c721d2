// Assignment (issue #16, "working together"): a mention, a moment or a response has at most one
// person in charge of it. Everyone signed in sees who; those who may work the item (every role
// but analyst) assign it, to themselves or to a colleague, or take the assignment away.
import { z } from 'zod';
import { PersonRefSchema, SubjectKindSchema, SubjectSchema } from './notifications';

export const AssignmentSchema = z.object({
  subject: SubjectSchema,
  /** The person in charge. */
  assignee: PersonRefSchema,
  /** Who assigned it, and when. */
  by: PersonRefSchema,
  at: z.number().int(),
});
export type Assignment = z.infer<typeof AssignmentSchema>;

/** How many of one's assignments a list returns at most (a person in charge of more is a team problem). */
export const ASSIGNMENTS_MINE_MAX = 500;

export const assignmentsOperations = {
  /** Assigns the subject to a person, or with userId null takes the assignment away. */
  'assignments.set': {
    input: z.object({ subject: SubjectKindSchema, id: z.number().int().positive(), userId: z.number().int().positive().nullable() }).strict(),
    output: z.object({ assignment: AssignmentSchema.nullable() }),
  },
  'assignments.get': {
    input: z.object({ subject: SubjectKindSchema, id: z.number().int().positive() }).strict(),
    output: z.object({ assignment: AssignmentSchema.nullable() }),
  },
  /** What is assigned to the caller ("assegnati a me"), newest assignment first, optionally of one kind. */
  'assignments.list': {
    input: z.object({ subject: SubjectKindSchema.optional() }).strict(),
    output: z.object({ items: z.array(AssignmentSchema) }),
  },
  /**
   * The people one may assign to: active, and allowed to work an item (analysts are not).
   * Only id and display name, so every signed-in person may read it (users.list is the
   * administrators').
   */
  'people.list': { input: z.object({}).strict(), output: z.array(PersonRefSchema) },
} as const;

export const assignmentsEvents = {
  /** A subject's assignee changed (null: nobody now). Open details and lists re-read it. */
  'assignments.changed': z.object({ subject: SubjectSchema, userId: z.number().int().nullable() }).strict(),
} as const;
