// Alerts by e-mail over SMTP (nodemailer): a plain-text part and an HTML one.
import nodemailer from 'nodemailer';
import { renderText } from '../../../shared/errors';
import type { AlertSender, NotifyMessage } from '../../../core/metrics/ports';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function emailHtml(m: NotifyMessage): string {
  const color = m.severity === 'critical' ? '#c0262d' : '#9a5b00';
  const items = m.lines.map((l) => `<li style="margin:4px 0">${escapeHtml(l)}</li>`).join('');
  return `<!doctype html>
<html lang="${m.lang}"><head><meta charset="utf-8"><title>${escapeHtml(m.title)}</title></head>
<body style="font-family:system-ui,Segoe UI,Roboto,Arial,sans-serif;color:#16191d;background:#f4f5f7;margin:0;padding:24px">
  <div style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #dfe3e8;border-radius:8px;overflow:hidden">
    <div style="background:${color};color:#fff;padding:12px 16px;font-weight:600">${escapeHtml(m.title)}</div>
    <ul style="padding:12px 16px 12px 32px;margin:0">${items}</ul>
    <p style="padding:0 16px 16px;margin:0;color:#545d69;font-size:13px">${escapeHtml(renderText('notify.emailFooter', {}, m.lang))}</p>
  </div>
</body></html>`;
}

export function createEmailSender(): AlertSender {
  return {
    channel: 'email',
    async send(m, { settings, secrets, timeoutMs }) {
      const s = settings.email;
      if (!s.host) return { ok: false, error: { key: 'notify.smtpMissing' } };
      if (s.to.length === 0) return { ok: false, error: { key: 'notify.noRecipients' } };
      const transport = nodemailer.createTransport({
        host: s.host,
        port: s.port,
        secure: s.secure,
        auth: s.user ? { user: s.user, pass: secrets.smtpPassword ?? '' } : undefined,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      });
      try {
        const info = await transport.sendMail({
          from: s.from,
          to: s.to,
          subject: `[Vedetta] ${m.title}`,
          text: `${m.title}\n\n${m.lines.join('\n')}\n`,
          html: emailHtml(m),
        });
        return { ok: true, note: { key: 'notify.acceptedBy', params: { host: s.host, response: String(info.response ?? '').slice(0, 200) } } };
      } finally {
        transport.close();
      }
    },
  };
}
