// Pure words of a notification (no Svelte): which message says it, and who did it.
import type { Notification } from '../../../shared/ops/notifications';
import type { MessageKey } from '../../i18n/i18n.svelte';

const LINE: Record<Notification['kind'], Record<Notification['subject']['kind'], MessageKey>> = {
  assigned: { mention: 'bell.assigned.mention', moment: 'bell.assigned.moment', response: 'bell.assigned.response' },
  noted: { mention: 'bell.noted.mention', moment: 'bell.noted.moment', response: 'bell.noted.response' },
};

/** The message key of a notification's line ("Giulia ti ha assegnato una menzione"). */
export function lineKey(n: Pick<Notification, 'kind' | 'subject'>): MessageKey {
  return LINE[n.kind][n.subject.kind];
}

/** The unread count as the bell shows it: past 99 it reads "99+". */
export function badge(unread: number): string {
  return unread > 99 ? '99+' : String(unread);
}
