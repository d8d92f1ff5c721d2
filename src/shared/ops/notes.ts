// Working together (issue #16): internal notes on mentions and moments, with @name that names
// colleagues, and each person's read state of the inbox ("Visto da", the unread count).
// Notes are internal: never published, never sent through a connector. Their author is the
// signed-in person, taken from the session by core; a client never says who wrote one.
import { z } from 'zod';

const Empty = z.object({}).strict();

/** The most a note holds: a coordination message, not a document. */
export const NOTE_MAX = 2_000;

/** What a note is about: a mention or a moment. */
export const NoteSubjectSchema = z.object({ kind: z.enum(['mention', 'moment']), id: z.number().int().positive() }).strict();
export type NoteSubject = z.infer<typeof NoteSubjectSchema>;

/** Plain text; control characters but tab and newline are refused (they hide in a log). */
export const NoteTextSchema = z
  .string()
  .trim()
  .min(1, 'schema.noteTextEmpty')
  .max(NOTE_MAX, 'schema.noteTextTooLong')
  .regex(/^[^\u0000-\u0008\u000b-\u001f\u007f]*$/, 'schema.noteTextControl');

/** A person named in a note (resolved by core from @username or @display name). */
export const NotePersonSchema = z.object({ id: z.number().int().positive(), username: z.string(), displayName: z.string() });
export type NotePerson = z.infer<typeof NotePersonSchema>;

export const NoteSchema = z.object({
  id: z.number().int(),
  subject: NoteSubjectSchema,
  /** The author's user id (0: the system), username and display name as they were. */
  authorId: z.number().int().nonnegative(),
  authorUsername: z.string(),
  authorName: z.string(),
  text: z.string(),
  /** The colleagues the note's @names resolved to, in order of first appearance. */
  mentioned: z.array(NotePersonSchema),
  createdAt: z.number().int(),
});
export type Note = z.infer<typeof NoteSchema>;

/** Who has opened a mention, and when first (the "Visto da" line). */
export const SeenBySchema = z.object({ userId: z.number().int(), displayName: z.string(), at: z.number().int() });
export type SeenBy = z.infer<typeof SeenBySchema>;

/** Mentions asked about at once: a page of the inbox, with room. */
export const READS_IDS_MAX = 500;

const Unread = z.object({ unread: z.number().int().nonnegative() });

export const notesOperations = {
  /** A subject's notes, oldest first. */
  'notes.list': { input: z.object({ subject: NoteSubjectSchema }).strict(), output: z.object({ notes: z.array(NoteSchema) }) },
  'notes.add': { input: z.object({ subject: NoteSubjectSchema, text: NoteTextSchema }).strict(), output: NoteSchema },
  /** Its author removes a note (nobody else: a note is a person's word). */
  'notes.remove': { input: z.object({ id: z.number().int().positive() }).strict(), output: z.object({ ok: z.literal(true) }) },
  /** The active people a note may name: the compose box's @ suggestions. */
  'notes.suggestions': { input: Empty, output: z.object({ people: z.array(NotePersonSchema) }) },
  /**
   * The caller's read state: which of these mentions they have opened, and how many mentions
   * they have not.
   */
  'reads.state': {
    input: z.object({ ids: z.array(z.number().int().positive()).max(READS_IDS_MAX) }).strict(),
    output: z.object({ read: z.array(z.number().int()), unread: z.number().int().nonnegative() }),
  },
  /** Marks mentions read (opened) or unread again, for the caller only. */
  'reads.mark': {
    input: z.object({ ids: z.array(z.number().int().positive()).min(1).max(READS_IDS_MAX), read: z.boolean() }).strict(),
    output: Unread,
  },
  /** Who has seen a mention ("Visto da"), first reader first. */
  'reads.list': { input: z.object({ id: z.number().int().positive() }).strict(), output: z.object({ people: z.array(SeenBySchema) }) },
} as const;

export const notesEvents = {
  /** A subject's notes changed: screens showing it re-read them. */
  'notes.changed': z.object({ subject: NoteSubjectSchema }).strict(),
  /**
   * Read state changed (coalesced: one event for a burst of openings). `ids`: the mentions
   * whose "Visto da" moved; `userIds`: the people whose own read state did (their other
   * windows re-read their marks and count).
   */
  'reads.changed': z.object({ ids: z.array(z.number().int()), userIds: z.array(z.number().int()) }).strict(),
} as const;
