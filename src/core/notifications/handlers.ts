import type { notificationsOperations } from '../../shared/ops/notifications';
import type { Handlers } from '../api/dispatch';
import type { NotificationsService } from './service';

type NotificationsHandlers = Pick<Handlers, keyof typeof notificationsOperations>;

/** Every op acts on the caller's own notifications: the person comes from the session, never the input. */
export function notificationsHandlers(svc: NotificationsService): NotificationsHandlers {
  return {
    'notifications.list': ({ limit }, ctx) => svc.list(ctx.actor.userId, limit),
    'notifications.status': (_in, ctx) => svc.unread(ctx.actor.userId),
    'notifications.markRead': ({ id }, ctx) => svc.markRead(ctx.actor.userId, id),
    'notifications.markAllRead': (_in, ctx) => svc.markAllRead(ctx.actor.userId),
  };
}
