// Tier 2 stories through the real UI, the real `vedetta serve` and a real SMTP server on
// 127.0.0.1: import a CSV with a column mapping, watch a panel update live, push a drop
// through the metrics webhook, see the alert, acknowledge it, record an intervention,
// resolve it, and find the alert e-mail; strategists edit a rule.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { Tier2Page } from './support/tier2-pages';
import type { VedettaInstance } from '../support/vedetta-process';
import { postMetrics } from '../support/metrics';
import { startSignedIn, stopSignedIn } from './support/session';
import { LeaveDialog } from './support/permissions-pages';

interface Mail {
  to: string[];
  raw: string;
}

let v: VedettaInstance;
let b: BrowserSession;
let smtp: SMTPServer;
let smtpPort: number;
const mails: Mail[] = [];

/** A fast SLA clock check, so an overdue alert escalates within the test. */
const TICK = { VEDETTA_ALERT_TICK_MS: '500' };

async function open(env: Record<string, string>): Promise<void> {
  mails.length = 0;
  smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString()));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  ({ v, b } = await startSignedIn({ env, empty: true }));
}
afterEach(async () => {
  await stopSignedIn({ v, b });
  await new Promise<void>((r) => smtp.close(() => r()));
});

const CSV = [
  'Campagna;Data invio;Destinatari;Clic;CTR;Frequenza di rimbalzo',
  'nl-dicembre;01/12/2026 09:00;20.000;820;4,1%;11%',
  'nl-dicembre;02/12/2026 09:00;20.000;860;4,3%;12%',
  'nl-dicembre;03/12/2026 09:00;20.000;780;3,9%;10,5%',
  'nl-dicembre;ieri;20.000;800;4%;11%',
].join('\n');

describe('Tier 2', () => {
  beforeEach(() => open(TICK));

  it('imports a CSV with mapping, updates live, fires an alert on a drop, runs its lifecycle and e-mails it', async () => {
    const { page } = b;
    // Notifications: e-mail to the local SMTP server, set up through Settings.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('notify-settings').waitFor();
    await page.getByTestId('notify-email').check();
    await page.getByTestId('notify-smtp-host').fill('127.0.0.1');
    await page.getByTestId('notify-smtp-port').fill(String(smtpPort));
    await page.getByTestId('notify-smtp-to').fill('strategia@caffeaurora.example');
    await page.getByTestId('notify-save').click();
    await page.getByTestId('notify-saved').waitFor();

    // CSV import with the column-mapping step.
    const t2 = new Tier2Page(page);
    await t2.open();
    await t2.tab('import').click();
    await t2.csvInput.setInputFiles({ name: 'mailchimp-dicembre.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByTestId('tier2-mapping').waitFor();
    // Suggested from the header; the user maps the recipients column and keeps the rest.
    expect(await t2.mapColumn('Campagna').inputValue()).toBe('content');
    expect(await t2.mapColumn('CTR').inputValue()).toBe('m:ctr');
    expect(await t2.mapColumn('Data invio').inputValue()).toBe('time');
    await t2.mapColumn('Destinatari').selectOption('m:impressions');
    await page.getByTestId('tier2-create-missing').selectOption('newsletter');
    await page.getByTestId('tier2-csv-import').click();
    const report = page.getByTestId('tier2-csv-report');
    await report.waitFor();
    expect(await page.getByTestId('tier2-csv-accepted').textContent()).toBe('12');
    expect(await page.getByTestId('tier2-csv-rejected').textContent()).toBe('4');
    expect(await page.getByTestId('tier2-csv-rejected-row').first().textContent()).toMatch(/^5.*time/);
    // Idempotent: the same file again stores nothing new.
    await page.getByTestId('tier2-csv-import').click();
    await expect.poll(() => page.getByTestId('tier2-csv-duplicates').textContent()).toBe('12');

    // The newsletter panel shows the imported CTR.
    await t2.tab('panels').click();
    await t2.channel('newsletter').click();
    await expect.poll(() => t2.kpiValue('ctr').textContent()).toBe('3,9%');

    // Live: a new point through the webhook updates the panel without reloading.
    const loads = await t2.panelLoads();
    const ok = await postMetrics(v, [{ content: 'nl-dicembre', metric: 'ctr', value: 0.044, time: '2026-12-04T09:00:00+01:00' }]);
    expect(ok.status).toBe(202);
    await expect.poll(() => t2.kpiValue('ctr').textContent()).toBe('4,4%');
    expect(await t2.panelLoads()).toBeGreaterThan(loads);

    // A drop: CTR under 2% fires the moderate threshold alert.
    const drop = await postMetrics(v, [{ content: 'nl-dicembre', metric: 'ctr', value: 0.012, time: '2026-12-05T09:00:00+01:00' }]);
    expect(drop.status).toBe(202);
    await t2.toasts.filter({ hasText: 'CTR sotto il 2%' }).waitFor();
    await expect.poll(() => t2.kpiValue('ctr').textContent()).toBe('1,2%');
    await t2.tab('alerts').click();
    const alert = t2.alert('CTR sotto il 2%');
    await alert.waitFor();
    expect(await alert.getAttribute('data-state')).toBe('open');
    expect(await alert.getByTestId('tier2-sla').textContent()).toMatch(/SLA: (59|60):\d\d rimasti/);

    // Acknowledged as the signed-in person: there is no name to type, nobody acts as another.
    expect(await page.getByTestId('tier2-operator').count()).toBe(0);
    await alert.getByTestId('tier2-ack').click();
    await expect.poll(() => alert.getAttribute('data-state')).toBe('acknowledged');
    expect(await alert.getByTestId('tier2-alert-state').textContent()).toBe('Presa in carico');
    expect(await alert.textContent()).toContain('Amministratore');

    await alert.getByTestId('tier2-what').fill('Oggetto riscritto e invio ripetuto al segmento Sud');
    await alert.getByTestId('tier2-intervene').click();
    await expect.poll(() => alert.getAttribute('data-state')).toBe('intervened');
    expect(await alert.getByTestId('tier2-intervention').textContent()).toMatch(/Amministratore.*Oggetto riscritto/);

    // The effect appears once points arrive after the intervention.
    await postMetrics(v, [{ content: 'nl-dicembre', metric: 'ctr', value: 0.041, time: new Date(Date.now() + 60_000).toISOString() }]);
    await expect.poll(() => alert.getByTestId('tier2-effect').textContent(), { timeout: 10_000 }).toMatch(/Effetto/);

    await alert.getByTestId('tier2-resolve').click();
    await expect.poll(() => alert.count()).toBe(0);
    await page.getByText('Mostra anche le risolte').click();
    await expect.poll(() => t2.alert('CTR sotto il 2%').getAttribute('data-state')).toBe('resolved');

    // The alert e-mail reached the SMTP server.
    await expect.poll(() => mails.filter((m) => m.raw.includes('CTR sotto il 2%')).length, { timeout: 15_000 }).toBe(1);
    const mail = mails.find((m) => m.raw.includes('CTR sotto il 2%')) as Mail;
    expect(mail.to).toEqual(['strategia@caffeaurora.example']);
    expect(mail.raw).toMatch(/Allerta moderata/);

    // The delivery log in Settings shows it.
    await page.getByTestId('nav-settings').click();
    await page.locator('[data-testid="notify-log-row"][data-channel="email"][data-status="sent"]').first().waitFor();
    expect(b.errors).toEqual([]);
  });

  it('a strategist tightens a rule and the next point is judged by it', async () => {
    const { page } = b;
    const t2 = new Tier2Page(page);
    await t2.open();
    await t2.tab('rules').click();
    const row = page.getByTestId('tier2-rule-row').filter({ hasText: 'Bounce rate oltre il 30%' });
    await row.getByTestId('tier2-rule-edit').click();
    await page.getByTestId('tier2-rule-name').fill('Bounce rate oltre il 20%');
    await page.getByTestId('tier2-rule-threshold').fill('20');
    await page.getByTestId('tier2-rule-save').click();
    await page.getByTestId('tier2-rule-row').filter({ hasText: 'Bounce rate oltre il 20%' }).waitFor();

    // A bad threshold is refused with a clear message and nothing changes.
    await page.getByTestId('tier2-rule-row').filter({ hasText: 'Calo del CTR' }).getByTestId('tier2-rule-edit').click();
    await page.getByTestId('tier2-rule-threshold').fill('150');
    await page.getByTestId('tier2-rule-save').click();
    await expect.poll(() => page.getByTestId('tier2-rule-error').textContent()).toMatch(/fra 0 e 1/);

    const r = await postMetrics(v, {
      content: [{ key: 'web-moka', channel: 'web_article', title: 'Guida alla moka' }],
      points: [{ content: 'web-moka', metric: 'bounce_rate', value: 0.24, time: new Date().toISOString() }],
    });
    expect(r.status).toBe(202);
    // The refused edit is still on screen: leaving it asks first (issue #17 item 5).
    await t2.tab('alerts').click();
    const leave = new LeaveDialog(page);
    await leave.dialog.waitFor();
    await leave.leave.click();
    const alert = t2.alert('Bounce rate oltre il 20%');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Critica/i);
    expect(await alert.getByTestId('tier2-sla').textContent()).toMatch(/SLA: 1[45]:\d\d rimasti/);
  });

  it('registers content by hand, records its language fit, and sees it on the panel', async () => {
    const { page } = b;
    const t2 = new Tier2Page(page);
    await t2.open();
    await t2.tab('content').click();
    await page.getByTestId('tier2-content-add').click();
    await page.getByTestId('tier2-content-key').fill('loc-sardegna');
    await page.getByTestId('tier2-content-channel').selectOption('localized');
    await page.getByTestId('tier2-content-title').fill('Campagna in sardo');
    await page.getByTestId('tier2-content-region').selectOption('20');
    await page.getByTestId('tier2-content-variants').fill('A, B');
    await page.getByTestId('tier2-content-control').fill('C');
    await page.getByTestId('tier2-content-save').click();
    // The control group must be one of the variants: said, and nothing saved.
    await expect.poll(() => page.getByTestId('tier2-content-error').textContent()).toMatch(/control_variant/);
    await page.getByTestId('tier2-content-control').fill('A');
    await page.getByTestId('tier2-content-save').click();
    const row = page.locator('[data-testid="tier2-content-row"][data-key="loc-sardegna"]');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Sardegna.*A \(controllo\), B/);

    await row.getByTestId('tier2-fit-input').fill('1,4');
    await row.getByTestId('tier2-fit-save').click();
    await expect.poll(() => page.getByTestId('tier2-content-error').textContent()).toMatch(/da 0 .* a 1/);
    await row.getByTestId('tier2-fit-input').fill('0,82');
    await row.getByTestId('tier2-fit-save').click();
    await expect.poll(() => row.locator('td.num').textContent()).toBe('1');

    await t2.tab('panels').click();
    await t2.channel('localized').click();
    await expect.poll(() => t2.kpiValue('language_fit_score').textContent()).toBe('0,82');
  });
});

describe('Tier 2 SLA', () => {
  // One SLA minute lasts 15 s here: the rule still says "1 min" and the countdown still
  // starts under a minute, but the test does not wait a real minute for it to run out.
  beforeEach(() => open({ ...TICK, VEDETTA_TEST_SLA_MINUTE_MS: '15000' }));

  it('an alert left past its SLA turns red and escalates', async () => {
    const { page } = b;
    const t2 = new Tier2Page(page);
    await t2.open();
    await t2.tab('rules').click();
    const row = page.getByTestId('tier2-rule-row').filter({ hasText: 'CTR sotto il 2%' });
    await row.getByTestId('tier2-rule-edit').click();
    await page.locator('[data-testid="tier2-rule-form"] input[type="number"]').last().fill('1');
    await page.getByTestId('tier2-rule-save').click();
    await expect.poll(() => page.getByTestId('tier2-rule-row').filter({ hasText: 'CTR sotto il 2%' }).textContent()).toMatch(/1 min/);

    const r = await postMetrics(v, {
      content: [{ key: 'nl-flash', channel: 'newsletter', title: 'Newsletter flash' }],
      points: [{ content: 'nl-flash', metric: 'ctr', value: 0.011, time: new Date().toISOString() }],
    });
    expect(r.status).toBe(202);
    await t2.tab('alerts').click();
    const alert = t2.alert('CTR sotto il 2%');
    await alert.waitFor();
    expect(await alert.getByTestId('tier2-sla').textContent()).toMatch(/SLA: 0:[0-5]\d rimasti/);
    await alert.getByTestId('tier2-alert-escalated').waitFor({ timeout: 75_000 });
    expect(await alert.getByTestId('tier2-sla').textContent()).toMatch(/SLA scaduto da/);
    expect(await alert.getByTestId('tier2-sla').evaluate((el) => el.classList.contains('over'))).toBe(true);
    expect(await alert.evaluate((el) => el.classList.contains('late'))).toBe(true);
    // The Alerts tab counter turns red too.
    expect(await page.getByTestId('tier2-open-count').evaluate((el) => el.classList.contains('over'))).toBe(true);
  }, 120_000);
});
