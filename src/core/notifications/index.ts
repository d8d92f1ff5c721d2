// The notifications feature's one face (issue #16): each person's in-app notifications, and
// the service other features call to notify someone (see service.ts for how).
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { notificationsHandlers } from './handlers';
import { notificationsOps } from './ops';
import type { NotificationsService } from './service';

export { NotificationsService, type NotifyRequest } from './service';
export { notificationsOps };

export const notificationsEvents = { emits: ['notifications.changed'], consumes: [] } as const satisfies FeatureEvents;

export function notificationsModule(deps: { notifications: NotificationsService }): FeatureModule {
  return featureModule({ name: 'notifications', ops: notificationsOps, handlers: notificationsHandlers(deps.notifications), events: notificationsEvents });
}
