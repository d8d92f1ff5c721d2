// The story of issue #5 through the real UI, with two people at two browsers: the manager
// drafts a reply to a Reddit post on a sensitive theme → legal (notified) rejects it with a
// comment → the manager edits (a new version, approvals voided, a diff) → legal approves →
// the owner approves → the manager confirms the checklist and publishes → the reply is posted
// once to the local Reddit-shaped server by the real snoowrap client, and its URL is shown →
// every step is in the hash-chained audit log, with the content hash, and the chain verifies.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRepo } from '../../src/core/store/audit-repo';
import { FakeReddit } from '../support/fake-reddit';
import { ADMIN, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, AuditPage, InboxPage, WelcomePage, signIn } from './support/pages';
import { ResponsesPage, sensitiveRedditPost } from './support/responses-pages';

const GIULIA: TestUser = { username: 'giulia', password: 'password-di-giulia', roles: ['manager'], name: 'Giulia Rossi' };
const LAURA: TestUser = { username: 'laura', password: 'password-di-laura', roles: ['legal'], name: 'Laura Bianchi' };
const OSCAR: TestUser = { username: 'oscar', password: 'password-di-oscar', roles: ['owner'], name: 'Oscar Verdi' };

const V1 = 'Ci dispiace molto: scrivici in privato il numero di lotto.';
const V2 = 'Grazie della segnalazione: scrivici in privato il numero di lotto, verifichiamo subito.';

const reddit = new FakeReddit();
let dir = '';
let v: VedettaInstance;
const browsers: BrowserSession[] = [];

beforeAll(async () => {
  await reddit.start();
  reddit.posts = [{ id: 'aaa1', subreddit: 'italy', title: 'Muffa nelle capsule Aurora?', author: 'mario', created_utc: Math.floor(Date.now() / 1000) - 600 }];
  dir = mkdtempSync(join(tmpdir(), 'vedetta-story-'));
  v = await startVedetta({ users: [ADMIN, GIULIA, LAURA, OSCAR], env: reddit.publishEnv(dir) });
}, 120_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await v?.stop();
  await reddit.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function browserFor(user: TestUser): Promise<BrowserSession> {
  const b = await openBrowser(v.uiUrl);
  browsers.push(b);
  await signIn(b.page, user.username, user.password);
  return b;
}

describe('the response story of issue #5', () => {
  it('manager drafts → legal rejects with a comment → manager edits → legal approves → owner approves → published to Reddit once → audited', async () => {
    // Set-up by the admin: the sensitive theme, the Reddit channel, the post to answer.
    expect((await sensitiveRedditPost(v, reddit, 'aaa1')).status).toBe(202);

    // The manager, at her browser.
    const a = await browserFor(GIULIA);
    await new WelcomePage(a.page).startEmpty.click();
    await new AppShell(a.page).ready;
    // Legal, at another browser, signed in and waiting.
    const b = await browserFor(LAURA);
    await new AppShell(b.page).ready;

    // 1. The manager answers the mention from the inbox.
    await new InboxPage(a.page).rowWithText('muffa nelle capsule').first().click();
    await a.page.getByTestId('detail-reply').click();
    const ra = new ResponsesPage(a.page);
    await ra.composer.waitFor();
    await expect.poll(() => ra.composerChannel.locator('option').allTextContents()).toContain('Reddit Aurora');
    await ra.composerChannel.selectOption({ label: 'Reddit Aurora' });
    await ra.composerText.fill(V1);
    await ra.saveAndSubmit.click();
    await expect.poll(() => ra.state.getAttribute('data-state')).toBe('in_review');
    expect(await ra.step('legal').getAttribute('data-state')).toBe('active');
    expect(await ra.step('legal').textContent()).toContain('Revisione legale: tema sensibile «Muffa nelle capsule».');
    expect(await ra.step('owner').getAttribute('data-state')).toBe('waiting');

    // 2. Legal is told (the in-app notice in browser mode), opens it, rejects with a comment.
    const rb = new ResponsesPage(b.page);
    await rb.toast.first().waitFor();
    expect(await rb.toast.first().textContent()).toContain('Risposta da approvare: Revisione legale');
    await rb.toast.first().getByRole('button', { name: 'Apri' }).click();
    await expect.poll(async () => (await rb.text.textContent()) ?? '').toBe(V1);
    // The SLA clock of the legal step (critical? no: moderate, 60 min) is running, not overdue.
    await rb.queue('toApprove').click();
    await expect.poll(() => rb.sla.first().getAttribute('data-overdue')).toBe('false');
    await rb.rows.first().click();
    await rb.decisionComment.fill('Non ammettere colpe: togli «ci dispiace molto».');
    await rb.reject.click();
    await expect.poll(() => rb.state.getAttribute('data-state')).toBe('rejected');

    // 3. The manager sees it live, reads the comment, edits: a new version, back to legal.
    await expect.poll(() => ra.state.getAttribute('data-state')).toBe('rejected');
    await expect.poll(async () => (await ra.comments.textContent()) ?? '').toContain('Non ammettere colpe');
    await ra.edit.click();
    await ra.editText.fill(V2);
    await ra.saveVersion.click();
    await expect.poll(() => ra.state.getAttribute('data-state')).toBe('in_review');
    await expect.poll(async () => (await ra.diff.locator('del').allTextContents()).join(' ')).toContain('dispiace');
    expect((await ra.diff.locator('ins').allTextContents()).join(' ')).toContain('verifichiamo');

    // 4. Legal approves the new text (the button names the version it binds to).
    await expect.poll(async () => (await rb.text.textContent()) ?? '').toBe(V2);
    await expect.poll(async () => (await rb.approve.textContent()) ?? '').toContain('versione 2');
    await rb.approve.click();
    await expect.poll(() => rb.step('legal').getAttribute('data-state')).toBe('approved');

    // 5. The owner takes the same browser (legal's session ends), and approves.
    await b.page.evaluate(() => sessionStorage.removeItem('vedetta.session'));
    await b.page.reload();
    await signIn(b.page, OSCAR.username, OSCAR.password);
    await new AppShell(b.page).ready;
    await rb.open();
    await rb.queue('toApprove').click();
    await rb.rows.first().click();
    await expect.poll(async () => (await rb.text.textContent()) ?? '').toBe(V2);
    await rb.approve.click();
    await expect.poll(() => rb.state.getAttribute('data-state')).toBe('approved');

    // 6. The manager confirms the checklist and publishes.
    await expect.poll(() => ra.state.getAttribute('data-state')).toBe('approved');
    for (const item of ['timing', 'pertinence', 'brandImage', 'product'] as const) await ra.check(item).check();
    await ra.confirmChecklist.click();
    await ra.publish.click();
    await expect.poll(() => ra.state.getAttribute('data-state'), { timeout: 30_000 }).toBe('published');
    const url = (await ra.publishedUrl.textContent()) ?? '';
    expect(url).toMatch(/\/r\/italy\/comments\/aaa1\//);

    // Exactly one comment on the platform, under the post, with the approved text.
    expect(reddit.posted()).toEqual([expect.objectContaining({ parent_id: 't3_aaa1', body: V2 })]);

    // 7. Every step is in the audit log, with who, the content hash, and the chain verifies.
    const db = new Database(join(v.dataDir, 'vedetta.db'), { readonly: true });
    try {
      const rows = db.prepare(`SELECT actor, action, content_hash FROM audit_log WHERE subject LIKE 'response:%' ORDER BY id`).all() as { actor: string; action: string; content_hash: string | null }[];
      expect(rows.map((r) => `${r.actor} ${r.action}`)).toEqual([
        'giulia responses.create',
        'giulia responses.submit',
        'laura responses.reject',
        'giulia responses.edit',
        'laura responses.approve',
        'oscar responses.approve',
        'giulia responses.checklist',
        'giulia responses.publish',
        'sistema responses.published',
      ]);
      const detail = (await v.apiAs(GIULIA, 'responses.list', { queue: 'published' })) as { items: { id: number }[] };
      const d = (await v.apiAs(GIULIA, 'responses.get', { id: detail.items[0]!.id })) as { versions: { contentHash: string }[] };
      const [h1, h2] = d.versions.map((x) => x.contentHash);
      expect(rows.map((r) => r.content_hash)).toEqual([h1, h1, h1, h2, h2, h2, h2, h2, h2]);
      expect(new AuditRepo(db).verify()).toMatchObject({ ok: true });
    } finally {
      db.close();
    }

    // 8. The audit view shows every step of this response, newest first, and verifies the chain.
    await a.page.getByTestId('nav-audit').click();
    const audit = new AuditPage(a.page);
    await audit.subjectFilter.fill('response:');
    await audit.subjectFilter.press('Enter');
    await expect.poll(async () => (await audit.rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.action)))).toEqual([
      'responses.published',
      'responses.publish',
      'responses.checklist',
      'responses.approve',
      'responses.approve',
      'responses.edit',
      'responses.reject',
      'responses.submit',
      'responses.create',
    ]);
    expect(await audit.rows.filter({ hasText: 'responses.reject' }).textContent()).toContain('laura');
    await audit.verify.click();
    await expect.poll(() => audit.verifyOk.textContent()).toMatch(/Catena integra/);
    expect(a.errors.filter((e) => !/status of 40\d/.test(e))).toEqual([]);
    expect(b.errors.filter((e) => !/status of 40\d/.test(e))).toEqual([]);
  });
});
