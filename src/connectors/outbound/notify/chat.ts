// Alerts to chat: Slack and Microsoft Teams incoming webhooks, a Telegram bot. One JSON POST
// each, with a timeout; the answer's status (and Telegram's `ok`) says whether it was taken.
import type { TermKey } from '../../../shared/errors';
import type { AlertSendOutcome, AlertSender, NotifyMessage } from '../../../core/metrics/ports';
import { escapeHtml } from './email';

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

async function postJson(url: string | undefined, body: unknown, channel: TermKey, timeoutMs: number, telegram = false): Promise<AlertSendOutcome> {
  if (!url) return { ok: false, error: { key: 'notify.noAddress', params: { channel } } };
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { ok: false, error: { key: 'notify.connectFailed', params: { channel, reason: err instanceof Error ? err.message : String(err) } } };
  }
  const text = (await res.text().catch(() => '')).slice(0, 300);
  if (!res.ok) return { ok: false, error: { key: 'notify.httpStatus', params: { channel, status: res.status, body: text } } };
  if (telegram) {
    let answer: { ok?: boolean; description?: string } | null = null;
    try {
      answer = JSON.parse(text) as { ok?: boolean; description?: string };
    } catch {
      // An answer that is not JSON but came with a 2xx status: taken as sent, as before.
    }
    if (answer && answer.ok !== true) return { ok: false, error: { key: 'notify.refused', params: { channel, reason: answer.description ?? 'ok: false' } } };
  }
  return { ok: true, note: { key: 'notify.httpOk', params: { channel, status: res.status } } };
}

export function createSlackSender(): AlertSender {
  return { channel: 'slack', send: (m, { secrets, timeoutMs }) => postJson(secrets.slackWebhookUrl, slackPayload(m), 'notifyChannel.slack', timeoutMs) };
}

export function createTeamsSender(): AlertSender {
  return { channel: 'teams', send: (m, { secrets, timeoutMs }) => postJson(secrets.teamsWebhookUrl, teamsPayload(m), 'notifyChannel.teams', timeoutMs) };
}

export function createTelegramSender(): AlertSender {
  return {
    channel: 'telegram',
    send(m, { settings, secrets, timeoutMs }) {
      if (!secrets.telegramBotToken || !settings.telegram.chatId) return Promise.resolve({ ok: false, error: { key: 'notify.telegramMissing' } });
      const url = `${settings.telegram.apiBase.replace(/\/+$/, '')}/bot${secrets.telegramBotToken}/sendMessage`;
      return postJson(url, telegramPayload(m, settings.telegram.chatId), 'notifyChannel.telegram', timeoutMs, true);
    },
  };
}
