// The one interface every alert sender implements (e-mail over SMTP, the Slack, Teams and
// Telegram webhooks). A sender sends once and says what happened, as a code of the
// catalogue; the notifier in core owns channel choice, retries, backoff and the delivery log.
import type { NotifyChannel, NotifySecrets, NotifySettings, Severity } from '../../shared/alerts';
import type { ErrorLang, TextRef } from '../../shared/errors';

export interface NotifyMessage {
  alertId: number | null;
  severity: Severity;
  /** "fired" for a new alert, "escalated" when its SLA ran out, "test" from Settings. */
  kind: 'fired' | 'escalated' | 'test';
  title: string;
  lines: string[];
  dueAt: string | null;
  /** The language title and lines are in: a sender words its own frame (subject, footer) in it. */
  lang: ErrorLang;
}

/** The channels that leave the machine; desktop is an event, shown by the window. */
export type OutboundNotifyChannel = Exclude<NotifyChannel, 'desktop'>;

/** A text of the delivery log: a code and its params, worded by the notifier. */
export type DeliveryNote = TextRef;

/** Sent (with what the receiver answered), or refused for a reason we can name. */
export type AlertSendOutcome = { ok: true; note: DeliveryNote } | { ok: false; error: DeliveryNote };

export interface AlertSendContext {
  settings: NotifySettings;
  secrets: NotifySecrets;
  /** Per attempt: connection, greeting and answer. */
  timeoutMs: number;
}

export interface AlertSender {
  readonly channel: OutboundNotifyChannel;
  /** One attempt. A throw is an unexpected failure: the notifier logs its message and retries. */
  send(m: NotifyMessage, ctx: AlertSendContext): Promise<AlertSendOutcome>;
}

/** The alert senders by channel. */
export type AlertSenders = Partial<Record<OutboundNotifyChannel, AlertSender>>;
