// Notifications against real local receivers: an SMTP server (smtp-server) on 127.0.0.1,
// and HTTP receivers speaking the Slack, Microsoft Teams and Telegram Bot formats. A
// failing channel retries with backoff, is logged, and never holds up the others.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoreApp } from '../../src/app/app';
import type { Delivery, NotifyConfig } from '../../src/shared/alerts';
import { openTestApp } from './support/app';

interface Mail {
  from: string;
  to: string[];
  raw: string;
  user: string | undefined;
}

async function startSmtp(): Promise<{ port: number; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    onAuth(auth, _session, cb) {
      if (auth.username === 'vedetta' && auth.password === 'segreta-smtp') cb(null, { user: auth.username });
      else cb(new Error('credenziali errate'));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString()));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

interface Hit {
  path: string;
  body: unknown;
}

async function startReceiver(failFirst = 0): Promise<{ url: string; hits: Hit[]; server: Server }> {
  const hits: Hit[] = [];
  let fails = failFirst;
  const server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      if (fails > 0) {
        fails--;
        res.writeHead(503).end('riprova');
        return;
      }
      hits.push({ path: req.url ?? '', body: JSON.parse(raw) as unknown });
      if ((req.url ?? '').includes('/sendMessage')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result: { message_id: hits.length } }));
      } else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

let app: CoreApp;
let dispose: () => void;
let dataDir: string;
const closers: (() => Promise<void> | void)[] = [];

beforeEach(() => {
  ({ app, dispose, dataDir } = openTestApp('browser', undefined, { notifyBackoffMs: 30 }));
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  dispose();
});

const call = <T>(op: string, input: unknown): Promise<T> => app.dispatch(op, input) as Promise<T>;
const baseSettings = {
  desktop: { enabled: true },
  email: { enabled: false, host: '127.0.0.1', port: 25, secure: false, user: '', from: 'vedetta@example.com', to: [] as string[] },
  slack: { enabled: false },
  teams: { enabled: false },
  telegram: { enabled: false, apiBase: 'https://api.telegram.org', chatId: '' },
  minSeverity: 'moderate' as const,
};

async function fireCriticalAlert(): Promise<void> {
  app.ingestMetricsWebhook({
    content: [{ key: 'reel-script', channel: 'instagram_reel', title: 'Reel <script>alert(1)</script>' }],
    points: [{ content: 'reel-script', metric: 'drop_off_rate_30s', value: 0.5, time: new Date().toISOString() }],
  });
}

describe('notifications', () => {
  it('sends the alert e-mail through a real SMTP server with auth, Italian HTML, password kept encrypted', async () => {
    const smtp = await startSmtp();
    closers.push(() => smtp.close());
    const cfg = await call<NotifyConfig>('notify.update', {
      settings: { ...baseSettings, email: { ...baseSettings.email, enabled: true, port: smtp.port, user: 'vedetta', to: ['strategia@example.com'] } },
      secrets: { smtpPassword: 'segreta-smtp' },
    });
    expect(cfg.secretsSet).toEqual(['smtpPassword']);
    expect(JSON.stringify(cfg)).not.toContain('segreta-smtp');
    // Not in the database in plain text.
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`${dataDir}/vedetta.db`).includes('segreta-smtp')).toBe(false);

    app.ingestMetricsWebhook({
      content: [{ key: 'reel-crema', channel: 'instagram_reel', title: 'Reel <crema> & latte' }],
      points: [{ content: 'reel-crema', metric: 'drop_off_rate_30s', value: 0.5, time: new Date().toISOString() }],
    });
    await expect.poll(() => smtp.mails.length, { timeout: 10_000 }).toBe(1);
    const mail = smtp.mails[0] as Mail;
    expect(mail.user).toBe('vedetta');
    expect(mail.to).toEqual(['strategia@example.com']);
    expect(mail.raw).toMatch(/Subject: =\?UTF-8\?|Subject: \[Vedetta\]/);
    expect(mail.raw).toContain('lang=3D"it"');
    expect(mail.raw).toContain('Reel &lt;crema&gt; &amp; latte');
    // The HTML part escapes it; only the text/plain part carries it as written.
    expect(mail.raw).not.toMatch(/<li[^>]*>Contenuto: Reel <crema>/);
    await expect.poll(async () => (await call<Delivery[]>('notify.deliveries', {})).filter((d) => d.channel === 'email' && d.status === 'sent').length).toBe(1);
  });

  it('posts Slack, Teams and Telegram formats; a failing channel retries and never blocks the others', async () => {
    const slack = await startReceiver(1);
    const teams = await startReceiver();
    const telegram = await startReceiver();
    for (const r of [slack, teams, telegram]) closers.push(() => new Promise<void>((res) => r.server.close(() => res())));
    const desktop: unknown[] = [];
    app.events.subscribe((e, p) => {
      if (e === 'notify.desktop') desktop.push(p);
    });
    await call('notify.update', {
      settings: {
        ...baseSettings,
        // SMTP on a closed port: fails on every attempt.
        email: { ...baseSettings.email, enabled: true, port: 1, to: ['a@example.com'] },
        slack: { enabled: true },
        teams: { enabled: true },
        telegram: { enabled: true, apiBase: telegram.url, chatId: '-100123' },
      },
      secrets: { slackWebhookUrl: `${slack.url}/services/T000/B000/XXX`, teamsWebhookUrl: `${teams.url}/workflows/abc`, telegramBotToken: '123456:ABC-def' },
    });
    await fireCriticalAlert();
    await expect.poll(() => [slack.hits.length, teams.hits.length, telegram.hits.length], { timeout: 10_000 }).toEqual([1, 1, 1]);
    expect(desktop).toHaveLength(1);
    expect(slack.hits[0]?.path).toBe('/services/T000/B000/XXX');
    expect(slack.hits[0]?.body).toMatchObject({ text: expect.stringContaining('Allerta critica'), blocks: expect.any(Array) });
    expect(teams.hits[0]?.body).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }] });
    expect(telegram.hits[0]?.path).toBe('/bot123456:ABC-def/sendMessage');
    expect(telegram.hits[0]?.body).toMatchObject({ chat_id: '-100123', parse_mode: 'HTML' });
    expect(String((telegram.hits[0]?.body as { text: string }).text)).toContain('&lt;script&gt;');

    await expect
      .poll(async () => (await call<Delivery[]>('notify.deliveries', {})).filter((d) => d.channel === 'email').map((d) => d.status).sort(), { timeout: 20_000 })
      .toEqual(['failed', 'retrying', 'retrying']);
    const log = await call<Delivery[]>('notify.deliveries', {});
    expect(log.filter((d) => d.channel === 'slack').map((d) => `${d.attempt}:${d.status}`).sort()).toEqual(['1:retrying', '2:sent']);
    expect(log.find((d) => d.channel === 'email' && d.status === 'failed')?.detail).toMatch(/errore|connessione|ECONNREFUSED/i);
  });

  it('a test message goes to one channel only and says when it is not configured', async () => {
    const [d] = await call<Delivery[]>('notify.test', { channel: 'slack' });
    expect(d).toMatchObject({ channel: 'slack', status: 'failed', detail: expect.stringMatching(/non configurato/) });
  });

  it('in an English workspace the message, the e-mail frame and the delivery log are in English', async () => {
    const slack = await startReceiver();
    closers.push(() => new Promise<void>((res) => slack.server.close(() => res())));
    await call('settings.update', { locale: 'en' });
    await call('notify.update', { settings: { ...baseSettings, slack: { enabled: true } }, secrets: { slackWebhookUrl: `${slack.url}/hook` } });
    const [sent] = await call<Delivery[]>('notify.test', { channel: 'slack' });
    expect(sent).toMatchObject({ channel: 'slack', status: 'sent', detail: 'Slack webhook: HTTP 200' });
    expect(slack.hits[0]?.body).toMatchObject({ text: expect.stringContaining('Test notification from Vedetta') });
    const [missing] = await call<Delivery[]>('notify.test', { channel: 'teams' });
    expect(missing).toMatchObject({ channel: 'teams', status: 'failed', detail: 'Teams webhook: address not configured' });
    await fireCriticalAlert();
    await expect.poll(() => slack.hits.length, { timeout: 10_000 }).toBe(2);
    expect(slack.hits[1]?.body).toMatchObject({ text: expect.stringContaining('Alert (critical)') });
  });
});
