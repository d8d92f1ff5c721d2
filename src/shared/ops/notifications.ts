// In-app notifications for one person (issue #16, "working together"): someone assigned them a
// mention, a moment or a response, or named them in a note. Each person reads only their own;
// the event names the recipients, so a client re-reads only when it concerns its person.
import { z } from 'zod';

const Empty = z.object({}).strict();

/** What a notification (or an assignment) is about: a mention, a moment or a response. */
export const SubjectKindSchema = z.enum(['mention', 'moment', 'response']);
export type SubjectKind = z.infer<typeof SubjectKindSchema>;
export const SubjectSchema = z.object({ kind: SubjectKindSchema, id: z.number().int().positive() }).strict();
export type Subject = z.infer<typeof SubjectSchema>;

/** assigned: someone assigned the subject to the recipient; noted: someone named them in a note. */
export const NotificationKindSchema = z.enum(['assigned', 'noted']);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;

/** A person as others see them: id and display name, nothing else. */
export const PersonRefSchema = z.object({ id: z.number().int().nonnegative(), displayName: z.string() });
export type PersonRef = z.infer<typeof PersonRefSchema>;

export const NotificationSchema = z.object({
  id: z.number().int(),
  kind: NotificationKindSchema,
  subject: SubjectSchema,
  /** The subject's title when it was notified (a moment's title, a mention's first words): a hint, not a link. */
  title: z.string().nullable(),
  /** Who caused it. */
  by: PersonRefSchema,
  at: z.number().int(),
  read: z.boolean(),
});
export type Notification = z.infer<typeof NotificationSchema>;

/** The most a list returns: the panel shows the newest; older ones are not worth paging. */
export const NOTIFICATIONS_LIST_MAX = 100;

const Unread = z.object({ unread: z.number().int().nonnegative() });

export const notificationsOperations = {
  /** The caller's own notifications, newest first, with their unread count. */
  'notifications.list': {
    input: z.object({ limit: z.number().int().min(1).max(NOTIFICATIONS_LIST_MAX).default(30) }).strict(),
    output: z.object({ items: z.array(NotificationSchema), unread: z.number().int().nonnegative() }),
  },
  /** The caller's unread count (the bell's badge). */
  'notifications.status': { input: Empty, output: Unread },
  /** One of the caller's notifications read (someone else's is not found). */
  'notifications.markRead': { input: z.object({ id: z.number().int().positive() }).strict(), output: Unread },
  'notifications.markAllRead': { input: Empty, output: Unread },
} as const;

/**
 * Someone's notifications changed (a new one, or read in another window). Carries only who:
 * every signed-in client hears it, and reloads only when its own person is among them.
 */
export const notificationsEvents = {
  'notifications.changed': z.object({ userIds: z.array(z.number().int()) }).strict(),
  /**
   * Local to the desktop app, never sent by core: the main process asks its window to open a
   * notification's subject (a click on its system notification) and mark it read.
   */
  'notifications.open': z.object({ id: z.number().int(), subject: SubjectSchema }).strict(),
} as const;
