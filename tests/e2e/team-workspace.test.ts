// Issue #16 through the real UI on a team server: `vedetta serve --tls-self-signed` (HTTPS,
// no per-run token), four people at four browsers, each signed in with their own account
// (an HttpOnly cookie the page cannot read). The manager drafts a reply, legal approves from
// her browser, the owner from his, the manager publishes; each screen follows live over the
// secure event socket. An analyst is offered no act and sees no webhook key; what he tries
// anyway is refused and written in the audit log under his name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeReddit } from '../support/fake-reddit';
import { ADMIN, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, AuditPage, InboxPage, WelcomePage, signIn } from './support/pages';
import { ResponsesPage, sensitiveRedditPost } from './support/responses-pages';
import { WebhookKeysPage } from './support/webhook-pages';

const GIULIA: TestUser = { username: 'giulia', password: 'password-di-giulia', roles: ['manager'], name: 'Giulia Rossi' };
const LAURA: TestUser = { username: 'laura', password: 'password-di-laura', roles: ['legal'], name: 'Laura Bianchi' };
const OSCAR: TestUser = { username: 'oscar', password: 'password-di-oscar', roles: ['owner'], name: 'Oscar Verdi' };
const ALDO: TestUser = { username: 'aldo', password: 'password-di-aldo', roles: ['analyst'], name: 'Aldo Conti' };

const REPLY = 'Grazie della segnalazione: scrivici in privato il numero di lotto, verifichiamo subito.';

const reddit = new FakeReddit();
let dir = '';
let v: VedettaInstance;
const browsers: BrowserSession[] = [];

beforeAll(async () => {
  await reddit.start();
  reddit.posts = [{ id: 'bbb2', subreddit: 'italy', title: 'Muffa nelle capsule Aurora?', author: 'mario', created_utc: Math.floor(Date.now() / 1000) - 600 }];
  dir = mkdtempSync(join(tmpdir(), 'vedetta-team-'));
  v = await startVedetta({ team: true, users: [ADMIN, GIULIA, LAURA, OSCAR, ALDO], env: reddit.publishEnv(dir) });
}, 120_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await v?.stop();
  await reddit.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function browserFor(user: TestUser): Promise<BrowserSession> {
  const b = await openBrowser(v.uiUrl, undefined, { trustSelfSigned: true });
  browsers.push(b);
  await signIn(b.page, user.username, user.password);
  return b;
}

describe('a team workspace over HTTPS', () => {
  it('four people at four browsers: drafted, approved by legal and by the owner, published; the analyst may not act', async () => {
    expect(v.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await sensitiveRedditPost(v, reddit, 'bbb2')).status).toBe(202);

    // Each person signs in at their own browser; the session is a cookie no script can read.
    const a = await browserFor(GIULIA);
    await new WelcomePage(a.page).startEmpty.click();
    await new AppShell(a.page).ready;
    const cookies = await a.context.cookies();
    expect(cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, secure: c.secure, sameSite: c.sameSite }))).toEqual([
      { name: '__Host-vedetta_session', httpOnly: true, secure: true, sameSite: 'Strict' },
    ]);
    expect(await a.page.evaluate(() => document.cookie)).toBe('');
    expect(await a.page.evaluate(() => sessionStorage.getItem('vedetta.session'))).toBe('cookie');
    const b = await browserFor(LAURA);
    await new AppShell(b.page).ready;
    const c = await browserFor(OSCAR);
    await new AppShell(c.page).ready;

    // 1. The manager answers the mention from the inbox and sends it for approval.
    await new InboxPage(a.page).rowWithText('muffa nelle capsule').first().click();
    await a.page.getByTestId('detail-reply').click();
    const ra = new ResponsesPage(a.page);
    await ra.composer.waitFor();
    await expect.poll(() => ra.composerChannel.locator('option').allTextContents()).toContain('Reddit Aurora');
    await ra.composerChannel.selectOption({ label: 'Reddit Aurora' });
    await ra.composerText.fill(REPLY);
    await ra.saveAndSubmit.click();
    await expect.poll(() => ra.state.getAttribute('data-state')).toBe('in_review');

    // 2. Legal, at her browser, is told live and approves.
    const rb = new ResponsesPage(b.page);
    await rb.toast.first().waitFor();
    expect(await rb.toast.first().textContent()).toContain('Risposta da approvare: Revisione legale');
    await rb.toast.first().getByRole('button', { name: 'Apri' }).click();
    await expect.poll(async () => (await rb.text.textContent()) ?? '').toBe(REPLY);
    await rb.approve.click();
    await expect.poll(() => rb.step('legal').getAttribute('data-state')).toBe('approved');
    // The manager's screen follows without a reload.
    await expect.poll(() => ra.step('legal').getAttribute('data-state')).toBe('approved');

    // 3. The owner, at a third browser, is told in turn and approves.
    const rc = new ResponsesPage(c.page);
    await rc.toast.first().waitFor();
    await rc.toast.first().getByRole('button', { name: 'Apri' }).click();
    await expect.poll(async () => (await rc.text.textContent()) ?? '').toBe(REPLY);
    await rc.approve.click();
    await expect.poll(() => rc.state.getAttribute('data-state')).toBe('approved');

    // 4. The manager sees it approved live, confirms the checklist and publishes.
    await expect.poll(() => ra.state.getAttribute('data-state')).toBe('approved');
    for (const item of ['timing', 'pertinence', 'brandImage', 'product'] as const) await ra.check(item).check();
    await ra.confirmChecklist.click();
    await ra.publish.click();
    await expect.poll(() => ra.state.getAttribute('data-state'), { timeout: 30_000 }).toBe('published');
    expect(reddit.posted()).toEqual([expect.objectContaining({ parent_id: 't3_bbb2', body: REPLY })]);
    // Legal's and the owner's screens follow too.
    await expect.poll(() => rb.state.getAttribute('data-state')).toBe('published');
    await expect.poll(() => rc.state.getAttribute('data-state')).toBe('published');

    // 5. The analyst: no decision offered, no webhook key shown.
    const d = await browserFor(ALDO);
    await new AppShell(d.page).ready;
    const rd = new ResponsesPage(d.page);
    await rd.open();
    await rd.queue('published').click();
    await rd.rows.first().click();
    await expect.poll(async () => (await rd.text.textContent()) ?? '').toBe(REPLY);
    expect(await rd.approve.count()).toBe(0);
    expect(await rd.publish.count()).toBe(0);
    const keys = new WebhookKeysPage(d.page);
    await keys.open();
    expect(await keys.adminsOnly.textContent()).toBe('Le chiavi webhook sono gestite dagli amministratori.');
    expect(await keys.panel.count()).toBe(0);
    // The Settings say which team server this is, and the fingerprint to compare.
    expect(await d.page.getByTestId('team-url').textContent()).toBe(v.url);
    expect(await d.page.getByTestId('team-fingerprint').textContent()).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    // What he tries anyway, outside the UI, is refused and written under his name.
    await expect(v.apiAs(ALDO, 'webhooks.list', {})).rejects.toThrow(/403/);
    await a.page.getByTestId('nav-audit').click();
    const audit = new AuditPage(a.page);
    await audit.filterActor.selectOption(ALDO.username);
    await expect.poll(async () => (await audit.rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.action)))).toContain('webhooks.list');
    expect(await audit.rows.filter({ hasText: 'webhooks.list' }).first().textContent()).toMatch(/rifiutato/);

    for (const s of [a, b, c, d]) expect(s.errors.filter((e) => !/status of 40\d/.test(e))).toEqual([]);
  });
});
