// Sends alerts out: desktop (an event the window shows), e-mail over SMTP (nodemailer,
// Italian HTML template), Slack and Microsoft Teams incoming webhooks, a Telegram bot.
// Every channel runs on its own with retries and backoff; each attempt is logged; a
// failing or slow channel never holds up the others.
import nodemailer from 'nodemailer';
import type { Alert, Delivery, NotifyChannel, NotifySecrets, NotifySettings, Severity } from '../../shared/alerts';
import type { Logger } from '../platform';
import { ApiError } from '../../shared/contract';
import { renderError, TERMS, type TermKey } from '../../shared/errors';

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = {
  desktop: { enabled: true },
  email: { enabled: false, host: '', port: 587, secure: false, user: '', from: 'vedetta@localhost', to: [] },
  slack: { enabled: false },
  teams: { enabled: false },
  telegram: { enabled: false, apiBase: 'https://api.telegram.org', chatId: '' },
  minSeverity: 'moderate',
};

export interface NotifyMessage {
  alertId: number | null;
  severity: Severity;
  /** "fired" for a new alert, "escalated" when its SLA ran out, "test" from Settings. */
  kind: 'fired' | 'escalated' | 'test';
  title: string;
  lines: string[];
  dueAt: string | null;
}

export interface NotifierDeps {
  settings: () => NotifySettings;
  secrets: () => NotifySecrets;
  log: (d: Omit<Delivery, 'id'>) => void;
  desktop: (m: NotifyMessage) => void;
  logger: Logger;
  now: () => number;
  /** Delays between attempts; the default backs off 1 s, 5 s. */
  backoffMs?: readonly number[];
  timeoutMs?: number;
}

const SEVERITY_IT: Record<Severity, string> = { critical: 'critica', moderate: 'moderata' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function messageForAlert(a: Alert, kind: 'fired' | 'escalated'): NotifyMessage {
  const head = kind === 'escalated' ? `SLA scaduto — allerta ${SEVERITY_IT[a.severity]}` : `Allerta ${SEVERITY_IT[a.severity]}`;
  return {
    alertId: a.id,
    severity: a.severity,
    kind,
    title: `${head}: ${a.ruleName}`,
    lines: [
      `Contenuto: ${a.contentTitle} (${a.contentKey})`,
      a.message,
      `Scattata: ${formatRome(a.firedAt)}`,
      `Intervento entro: ${formatRome(a.dueAt)}`,
    ],
    dueAt: a.dueAt,
  };
}

function formatRome(isoTime: string): string {
  return new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', dateStyle: 'short', timeStyle: 'short' }).format(new Date(isoTime));
}

export function emailHtml(m: NotifyMessage): string {
  const color = m.severity === 'critical' ? '#c0262d' : '#9a5b00';
  const items = m.lines.map((l) => `<li style="margin:4px 0">${escapeHtml(l)}</li>`).join('');
  return `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>${escapeHtml(m.title)}</title></head>
<body style="font-family:system-ui,Segoe UI,Roboto,Arial,sans-serif;color:#16191d;background:#f4f5f7;margin:0;padding:24px">
  <div style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #dfe3e8;border-radius:8px;overflow:hidden">
    <div style="background:${color};color:#fff;padding:12px 16px;font-weight:600">${escapeHtml(m.title)}</div>
    <ul style="padding:12px 16px 12px 32px;margin:0">${items}</ul>
    <p style="padding:0 16px 16px;margin:0;color:#545d69;font-size:13px">Apri Vedetta, vista Tier 2 → Allerte, per prendere in carico l’allerta e registrare l’intervento.</p>
  </div>
</body></html>`;
}

export function slackPayload(m: NotifyMessage): unknown {
  const icon = m.severity === 'critical' ? ':red_circle:' : ':large_orange_circle:';
  return {
    text: `${icon} ${m.title}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: m.title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: m.lines.map((l) => `• ${l.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string)}`).join('\n') } },
    ],
  };
}

/** Teams Workflows ("Post to a channel when a webhook request is received"): an Adaptive Card. */
export function teamsPayload(m: NotifyMessage): unknown {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', size: 'Medium', weight: 'Bolder', text: m.title, wrap: true, color: m.severity === 'critical' ? 'Attention' : 'Warning' },
            ...m.lines.map((l) => ({ type: 'TextBlock', text: l, wrap: true, spacing: 'Small' })),
          ],
        },
      },
    ],
  };
}

export function telegramPayload(m: NotifyMessage, chatId: string): unknown {
  return {
    chat_id: chatId,
    parse_mode: 'HTML',
    text: `<b>${escapeHtml(m.title)}</b>\n${m.lines.map(escapeHtml).join('\n')}`,
    disable_web_page_preview: true,
  };
}

/** A delivery that failed for a reason we can name; its Italian text goes in the delivery log. */
class SendError extends ApiError {}

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
        const detail = await this.sendOnce(channel, m);
        last = { alertId: m.alertId, channel, attempt, status: 'sent', detail, at: new Date(this.d.now()).toISOString() };
        this.record(last);
        return last;
      } catch (err) {
        const detail = renderError(err instanceof SendError ? err.key : 'notify.failed', err instanceof SendError ? err.params : { reason: err instanceof Error ? err.message : String(err) }, 'it');
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

  private async sendOnce(channel: NotifyChannel, m: NotifyMessage): Promise<string> {
    const s = this.d.settings();
    const secrets = this.d.secrets();
    switch (channel) {
      case 'desktop':
        this.d.desktop(m);
        return 'mostrata nella finestra';
      case 'email': {
        if (!s.email.host) throw new SendError('notify.smtpMissing');
        if (s.email.to.length === 0) throw new SendError('notify.noRecipients');
        const transport = nodemailer.createTransport({
          host: s.email.host,
          port: s.email.port,
          secure: s.email.secure,
          auth: s.email.user ? { user: s.email.user, pass: secrets.smtpPassword ?? '' } : undefined,
          connectionTimeout: this.timeoutMs,
          greetingTimeout: this.timeoutMs,
          socketTimeout: this.timeoutMs,
        });
        try {
          const info = await transport.sendMail({
            from: s.email.from,
            to: s.email.to,
            subject: `[Vedetta] ${m.title}`,
            text: `${m.title}\n\n${m.lines.join('\n')}\n`,
            html: emailHtml(m),
          });
          return `accettata da ${s.email.host}: ${String(info.response ?? '').slice(0, 200)}`;
        } finally {
          transport.close();
        }
      }
      case 'slack':
        return this.postJson(secrets.slackWebhookUrl, slackPayload(m), 'notifyChannel.slack');
      case 'teams':
        return this.postJson(secrets.teamsWebhookUrl, teamsPayload(m), 'notifyChannel.teams');
      case 'telegram': {
        if (!secrets.telegramBotToken || !s.telegram.chatId) throw new SendError('notify.telegramMissing');
        const url = `${s.telegram.apiBase.replace(/\/+$/, '')}/bot${secrets.telegramBotToken}/sendMessage`;
        return this.postJson(url, telegramPayload(m, s.telegram.chatId), 'notifyChannel.telegram', true);
      }
    }
  }

  private async postJson(url: string | undefined, body: unknown, channel: TermKey, telegram = false): Promise<string> {
    if (!url) throw new SendError('notify.noAddress', { channel });
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new SendError('notify.connectFailed', { channel, reason: err instanceof Error ? err.message : String(err) });
    }
    const text = (await res.text().catch(() => '')).slice(0, 300);
    if (!res.ok) throw new SendError('notify.httpStatus', { channel, status: res.status, body: text });
    if (telegram) {
      try {
        const j = JSON.parse(text) as { ok?: boolean; description?: string };
        if (j.ok !== true) throw new SendError('notify.refused', { channel, reason: j.description ?? 'ok: false' });
      } catch (e) {
        if (e instanceof SendError) throw e;
      }
    }
    return `${TERMS.it[channel]}: HTTP ${res.status}`;
  }
}
