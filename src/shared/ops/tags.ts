// Tags and bulk actions in the inbox (issue #17, "a day at the console"). A tag is a
// workspace's shared word put on mentions by hand; a bulk action changes a selection of
// mentions at once. Every bulk op *sets* a value per mention and answers with the values it
// replaced, so the same op with those values is its exact undo (per mention, never a blanket
// reverse) and the same op again is its redo.
import { z } from 'zod';
import { MentionStatusSchema } from '../schemas';
import { SentimentLabelSchema } from '../sentiment';

const Empty = z.object({}).strict();

/** A tag's name: a short word or two, no control characters (they hide in a log). */
export const TAG_NAME_MAX = 40;
export const TagNameSchema = z
  .string()
  .trim()
  .min(1, 'schema.tagNameEmpty')
  .max(TAG_NAME_MAX, 'schema.tagNameTooLong')
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'schema.tagNameControl');

export const TagSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** Mentions carrying it. */
  count: z.number().int().nonnegative(),
});
export type Tag = z.infer<typeof TagSchema>;

/** The most mentions one bulk action changes: a few pages of the inbox. */
export const BULK_MAX = 1_000;
/** The most mentions whose tags are asked at once: a page of the inbox, with room. */
export const TAGS_OF_MAX = 500;

const MentionId = z.number().int().positive();
/** One value per mention, each mention once (a repeated id would make the undo ambiguous). */
function bulkItems<S extends z.ZodType<{ id: number }>>(item: S) {
  return z
    .array(item)
    .min(1)
    .max(BULK_MAX)
    .refine((items) => new Set(items.map((i) => i.id)).size === items.length, { message: 'schema.bulkRepeatedId' });
}

/** What a bulk action answers: how many mentions it changed and what it replaced on those. */
function bulkResult<T extends z.ZodRawShape>(value: T) {
  return z.object({ changed: z.number().int().nonnegative(), previous: z.array(z.object({ id: z.number().int(), ...value })) });
}

const Tagged = { tagged: z.boolean() };
const Assignee = { userId: z.number().int().positive().nullable() };
const Read = { read: z.boolean() };
const Status = { status: MentionStatusSchema };
const Label = { label: SentimentLabelSchema };

export const tagsOperations = {
  /** Every tag with its count, by name. */
  'tags.list': { input: Empty, output: z.object({ tags: z.array(TagSchema) }) },
  /** A new tag (a name already used, whatever its case, is refused: pick that one). */
  'tags.create': { input: z.object({ name: TagNameSchema }).strict(), output: TagSchema },
  'tags.rename': { input: z.object({ id: z.number().int().positive(), name: TagNameSchema }).strict(), output: TagSchema },
  /** Deletes a tag and takes it off every mention. */
  'tags.delete': { input: z.object({ id: z.number().int().positive() }).strict(), output: z.object({ removedFrom: z.number().int().nonnegative() }) },
  /** The tags of these mentions (a page's chips). */
  'tags.state': {
    input: z.object({ ids: z.array(MentionId).max(TAGS_OF_MAX) }).strict(),
    output: z.object({ items: z.array(z.object({ id: z.number().int(), tagIds: z.array(z.number().int()) })) }),
  },
  /** Puts a tag on (tagged) or takes it off each mention. */
  'mentions.bulkTag': { input: z.object({ tagId: z.number().int().positive(), items: bulkItems(z.object({ id: MentionId, ...Tagged }).strict()) }).strict(), output: bulkResult(Tagged) },
  /** Puts each mention in someone's charge (null: nobody). */
  'mentions.bulkAssign': { input: z.object({ items: bulkItems(z.object({ id: MentionId, ...Assignee }).strict()) }).strict(), output: bulkResult(Assignee) },
  /** Marks each mention read or unread for the caller. */
  'mentions.bulkRead': { input: z.object({ items: bulkItems(z.object({ id: MentionId, ...Read }).strict()) }).strict(), output: bulkResult(Read) },
  /** Sets each mention's shared status ('archived': hidden as spam or bot). */
  'mentions.bulkStatus': { input: z.object({ items: bulkItems(z.object({ id: MentionId, ...Status }).strict()) }).strict(), output: bulkResult(Status) },
  /** Sets each mention's sentiment, as a person's correction (the engine's label undoes one). */
  'mentions.bulkSentiment': { input: z.object({ items: bulkItems(z.object({ id: MentionId, ...Label }).strict()) }).strict(), output: bulkResult(Label) },
} as const;

export const tagsEvents = {
  /**
   * Tags changed: `tagIds` the tags whose name or count moved (created, renamed, deleted, put
   * on or taken off), `mentionIds` the mentions whose chips did. Open inboxes re-read both.
   */
  'tags.changed': z.object({ tagIds: z.array(z.number().int()), mentionIds: z.array(z.number().int()) }).strict(),
} as const;
