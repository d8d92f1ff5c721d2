// Sends alerts out: desktop (an event the window shows) here, e-mail and the chat webhooks
// through the AlertSender port (ports.ts; the senders are connectors/outbound/notify).
// Every channel runs on its own with retries and backoff; each attempt is logged in the
// workspace's language; a failing or slow channel never holds up the others.
import type { Alert, Delivery, NotifyChannel, NotifySecrets, NotifySettings } from '../../shared/alerts';
import type { Logger } from '../platform';
import { renderText, term, type ErrorLang } from '../../shared/errors';
import type { AlertSenders, DeliveryNote, NotifyMessage } from './ports';

export type { NotifyMessage } from './ports';

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = {
  desktop: { enabled: true },
  email: { enabled: false, host: '', port: 587, secure: false, user: '', from: 'vedetta@localhost', to: [] },
  slack: { enabled: false },
  teams: { enabled: false },
  telegram: { enabled: false, apiBase: 'https://api.telegram.org', chatId: '' },
  minSeverity: 'moderate',
};

export interface NotifierDeps {
  settings: () => NotifySettings;
  secrets: () => NotifySecrets;
  log: (d: Omit<Delivery, 'id'>) => void;
  desktop: (m: NotifyMessage) => void;
  /** E-mail, Slack, Teams, Telegram: a channel without one fails its deliveries. */
  senders: AlertSenders;
  /** The workspace's language: delivery notes and alert texts are written in it. */
  lang: () => ErrorLang;
  logger: Logger;
  now: () => number;
  /** Delays between attempts; the default backs off 1 s, 5 s. */
  backoffMs?: readonly number[];
  timeoutMs?: number;
}

export function messageForAlert(a: Alert, kind: 'fired' | 'escalated', lang: ErrorLang): NotifyMessage {
  const head = { severity: term(a.severity === 'critical' ? 'severity.critical' : 'severity.moderate'), rule: a.ruleName };
  return {
    alertId: a.id,
    severity: a.severity,
    kind,
    title: renderText(kind === 'escalated' ? 'notify.alertEscalated' : 'notify.alertFired', head, lang),
    lines: [
      renderText('notify.lineContent', { title: a.contentTitle, key: a.contentKey }, lang),
      a.message,
      renderText('notify.lineFired', { at: formatRome(a.firedAt, lang) }, lang),
      renderText('notify.lineDue', { at: formatRome(a.dueAt, lang) }, lang),
    ],
    dueAt: a.dueAt,
    lang,
  };
}

/** The test message of Settings → Notifications. */
export function testMessage(lang: ErrorLang): NotifyMessage {
  return { alertId: null, severity: 'moderate', kind: 'test', title: renderText('notify.testTitle', {}, lang), lines: [renderText('notify.testLine', {}, lang)], dueAt: null, lang };
}

function formatRome(isoTime: string, lang: ErrorLang): string {
  return new Intl.DateTimeFormat(lang === 'it' ? 'it-IT' : 'en-GB', { timeZone: 'Europe/Rome', dateStyle: 'short', timeStyle: 'short' }).format(new Date(isoTime));
}

/** A delivery that failed for a reason we can name. */
class SendError extends Error {
  constructor(readonly note: DeliveryNote) {
    super(note.key);
  }
}

export class Notifier {
  private readonly backoff: readonly number[];
  private readonly timeoutMs: number;
  private closed = false;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly d: NotifierDeps) {
    this.backoff = d.backoffMs ?? [1000, 5000];
    this.timeoutMs = d.timeoutMs ?? 10_000;
  }

  /** Which channels a message would go to now. */
  channelsFor(m: NotifyMessage, only?: NotifyChannel): NotifyChannel[] {
    const s = this.d.settings();
    const all: NotifyChannel[] = ['desktop', 'email', 'slack', 'teams', 'telegram'];
    if (only) return [only];
    const outbound = m.severity === 'critical' || s.minSeverity === 'moderate';
    return all.filter((c) => s[c].enabled && (c === 'desktop' || outbound));
  }

  /** Fire and forget: resolves when every channel has succeeded or given up. */
  send(m: NotifyMessage, only?: NotifyChannel): Promise<Omit<Delivery, 'id'>[]> {
    const channels = this.channelsFor(m, only);
    const p = Promise.all(channels.map((c) => this.deliver(c, m)));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  /** Waits for deliveries in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.closed = true;
  }

  private async deliver(channel: NotifyChannel, m: NotifyMessage): Promise<Omit<Delivery, 'id'>> {
    const attempts = this.backoff.length + 1;
    let last: Omit<Delivery, 'id'> = { alertId: m.alertId, channel, attempt: 0, status: 'failed', detail: '', at: new Date(this.d.now()).toISOString() };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.closed) break;
      try {
        const note = await this.sendOnce(channel, m);
        const detail = renderText(note.key, note.params, this.d.lang());
        last = { alertId: m.alertId, channel, attempt, status: 'sent', detail, at: new Date(this.d.now()).toISOString() };
        this.record(last);
        return last;
      } catch (err) {
        const note: DeliveryNote = err instanceof SendError ? err.note : { key: 'notify.failed', params: { reason: err instanceof Error ? err.message : String(err) } };
        const detail = renderText(note.key, note.params, this.d.lang());
        const final = attempt === attempts;
        last = { alertId: m.alertId, channel, attempt, status: final ? 'failed' : 'retrying', detail: detail.slice(0, 500), at: new Date(this.d.now()).toISOString() };
        this.record(last);
        if (!final) await new Promise((r) => setTimeout(r, this.backoff[attempt - 1]).unref?.());
      }
    }
    return last;
  }

  private record(d: Omit<Delivery, 'id'>): void {
    if (this.closed) return;
    try {
      this.d.log(d);
    } catch (err) {
      this.d.logger.warn('notify: log non scritto', { err: String(err) });
    }
  }

  private async sendOnce(channel: NotifyChannel, m: NotifyMessage): Promise<DeliveryNote> {
    if (channel === 'desktop') {
      this.d.desktop(m);
      return { key: 'notify.shownInWindow' };
    }
    const sender = this.d.senders[channel];
    if (!sender) throw new SendError({ key: 'notify.noSender', params: { channel } });
    const out = await sender.send(m, { settings: this.d.settings(), secrets: this.d.secrets(), timeoutMs: this.timeoutMs });
    if (!out.ok) throw new SendError(out.error);
    return out.note;
  }
}
