// Access and audit of notifications: everyone signed in reads and marks their own. Marking read
// changes a person's own state, not the brand's: declared a change, but worth no audit row
// (the describer says so with null), or every glance at the bell would fill the log.
import type { notificationsOperations } from '../../shared/ops/notifications';
import type { OpDeclarations } from '../api/call-scope';
import { READ } from '../auth/permissions';

export const notificationsOps: OpDeclarations<keyof typeof notificationsOperations> = {
  'notifications.list': { access: READ, mutates: false, audit: false },
  'notifications.status': { access: READ, mutates: false, audit: false },
  'notifications.markRead': { access: READ, mutates: true, audit: () => null },
  'notifications.markAllRead': { access: READ, mutates: true, audit: () => null },
};
