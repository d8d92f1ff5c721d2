// An assignment or a note for the person signed in on this desktop, announced by the system,
// on a team workspace: notify.ts's notifyPersonal reads core directly, which a team desktop does
// not have, so here the same rule is kept over the TeamClient: on notifications.changed naming
// this person, their newest notifications are read with their own session and each unread one
// not shown yet is shown once. What was there before they signed in here stays in the bell.
// Ids, not times, decide what is new: nothing depends on this computer's clock.
import type { Notification } from '../../shared/ops/notifications';
import { personalText, type NotificationCtor } from '../notify';
import type { TeamClient } from './team-client';

export interface TeamPersonalOptions {
  link: Pick<TeamClient, 'events' | 'actor' | 'session' | 'dispatch' | 'onActor'>;
  Notification: NotificationCtor;
  locale?: () => 'it' | 'en';
  onClick?: (n: Notification) => void;
  log?: { warn(msg: string, extra?: Record<string, unknown>): void };
}

type List = { items: Notification[]; unread: number };

export function notifyPersonalOverTeam(o: TeamPersonalOptions): () => void {
  /** Per person: the highest notification id already there or shown. */
  const seenUpTo = new Map<number, number>();
  let queue: Promise<void> = Promise.resolve();
  const read = async (session: string): Promise<List> => (await o.link.dispatch('notifications.list', { limit: 30 }, { session })) as List;

  const check = async (): Promise<void> => {
    const actor = o.link.actor();
    const session = o.link.session();
    if (!actor || !session) return;
    const me = actor.userId;
    const { items } = await read(session);
    const top = items.reduce((m, n) => Math.max(m, n.id), 0);
    const since = seenUpTo.get(me);
    seenUpTo.set(me, Math.max(since ?? 0, top));
    // The first read for this person on this desktop sets the mark: only later ones are news.
    if (since === undefined || !o.Notification.isSupported()) return;
    for (const n of items.filter((x) => x.id > since && !x.read).sort((a, b) => a.id - b.id)) {
      const shown = new o.Notification(personalText(n, o.locale?.() ?? 'it'));
      shown.on('click', () => o.onClick?.(n));
      shown.show();
    }
  };
  const later = (): void => {
    // One read at a time, in order: a burst of events is not a burst of duplicates.
    queue = queue.then(check).catch((err: unknown) => o.log?.warn('team workspace: notifications not read', { err: err instanceof Error ? err.message : String(err) }));
  };

  const offChanged = o.link.events.on('notifications.changed', ({ userIds }) => {
    const actor = o.link.actor();
    if (actor && userIds.includes(actor.userId)) later();
  });
  // The mark is set as soon as the person is known (their first event would be too late:
  // the notification it announces would count as already there).
  const offActor = o.link.onActor((actor) => {
    if (actor && !seenUpTo.has(actor.userId)) later();
  });
  return () => {
    offChanged();
    offActor();
  };
}
