// Issue #16, "working together", through the real UI with two and three people at their own
// browsers: who else has a mention open and who is writing a reply to it, and two people editing
// one draft — the second to save sees the colleague's version beside their own draft and
// chooses (keep mine on top, use theirs, merge by hand) instead of an error that loses the text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, postMentions, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, InboxPage, WelcomePage, signIn } from './support/pages';
import { ResponsesPage } from './support/responses-pages';

const GIULIA: TestUser = { username: 'giulia', password: 'password-di-giulia', roles: ['manager'], name: 'Giulia Rossi' };
const STEFANO: TestUser = { username: 'stefano', password: 'password-di-stefano', roles: ['strategist'], name: 'Stefano Neri' };
const LAURA: TestUser = { username: 'laura', password: 'password-di-laura', roles: ['legal'], name: 'Laura Bianchi' };

let v: VedettaInstance;
const browsers: BrowserSession[] = [];

beforeAll(async () => {
  v = await startVedetta({ users: [ADMIN, GIULIA, STEFANO, LAURA] });
  expect((await postMentions(v, [{ source: 'Forum', external_id: 'p-1', text: 'Le capsule Aurora arrivano schiacciate, che delusione', lang: 'it', published_at: new Date().toISOString() }])).status).toBe(202);
}, 120_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await v?.stop();
});

async function browserFor(user: TestUser, first = false): Promise<BrowserSession> {
  const b = await openBrowser(v.uiUrl);
  browsers.push(b);
  await signIn(b.page, user.username, user.password);
  if (first) await new WelcomePage(b.page).startEmpty.click();
  await new AppShell(b.page).ready;
  return b;
}

/** The presence line in a pane, '' when there is none (read at once: no waiting for it to appear). */
const presenceText = async (b: BrowserSession, within: string): Promise<string> => {
  const texts = await b.page.getByTestId(within).getByTestId('presence').allTextContents();
  return texts.join(' ').replace(/\s+/g, ' ').trim();
};

describe('working together on one screen', () => {
  it('who else has the mention open, and who is writing a reply to it', async () => {
    const a = await browserFor(GIULIA, true);
    const b = await browserFor(LAURA);
    await new InboxPage(a.page).rowWithText('schiacciate').first().click();
    await new InboxPage(b.page).rowWithText('schiacciate').first().click();
    await expect.poll(() => presenceText(a, 'detail-pane')).toBe('Anche Laura Bianchi è qui');
    await expect.poll(() => presenceText(b, 'detail-pane')).toBe('Anche Giulia Rossi è qui');

    // Giulia starts a reply: Laura is told before a second answer gets written.
    await a.page.getByTestId('detail-reply').click();
    await new ResponsesPage(a.page).composer.waitFor();
    await expect.poll(() => presenceText(b, 'detail-pane')).toBe('Giulia Rossi sta scrivendo una risposta');
    // And Giulia, in her composer, sees Laura still on the mention.
    await expect.poll(() => presenceText(a, 'response-composer')).toBe('Anche Laura Bianchi è qui');

    // Giulia gives up the reply (she is on Risposte now): she has left the mention.
    await a.page.getByTestId('response-composer').getByRole('button', { name: 'Annulla' }).click();
    await expect.poll(() => presenceText(b, 'detail-pane')).toBe('');
    // Back in the inbox on the same mention, she is there again; Laura closes it: Giulia is alone.
    await a.page.getByTestId('nav-inbox').click();
    await new InboxPage(a.page).rowWithText('schiacciate').first().click();
    await expect.poll(() => presenceText(b, 'detail-pane')).toBe('Anche Giulia Rossi è qui');
    await expect.poll(() => presenceText(a, 'detail-pane')).toBe('Anche Laura Bianchi è qui');
    await b.page.keyboard.press('Escape');
    await expect.poll(() => presenceText(a, 'detail-pane')).toBe('');
    for (const s of [a, b]) expect(s.errors.filter((e) => !/status of 40\d/.test(e))).toEqual([]);
  });

  it('two people edit one draft: the second to save chooses, and nothing typed is lost', async () => {
    const mentions = (await v.apiAs(GIULIA, 'mentions.list', { query: { text: 'schiacciate' } })) as { items: { id: number }[] };
    const created = (await v.apiAs(GIULIA, 'responses.create', { targetKind: 'mention', targetId: mentions.items[0]!.id, channelId: null, text: 'Ci dispiace: scrivici il numero di ordine.' })) as { response: { id: number } };
    const a = browsers[0]!;
    const c = await browserFor(STEFANO);
    const ra = new ResponsesPage(a.page);
    const rc = new ResponsesPage(c.page);
    for (const r of [ra, rc]) {
      await r.open();
      await r.queue('all').click();
      await r.rows.first().click();
      await expect.poll(async () => (await r.text.textContent()) ?? '').toBe('Ci dispiace: scrivici il numero di ordine.');
    }
    expect(created.response.id).toBeGreaterThan(0);

    // Both open the editor; each sees the other editing.
    await ra.edit.click();
    await rc.edit.click();
    await expect.poll(() => presenceText(a, 'response-detail')).toBe('Stefano Neri sta modificando il testo');
    await expect.poll(() => presenceText(c, 'response-detail')).toBe('Giulia Rossi sta modificando il testo');
    await ra.editText.fill('Ci dispiace molto: scrivici il numero di ordine e una foto della confezione.');

    // Stefano saves first: version 2.
    await rc.editText.fill('Grazie della segnalazione: scrivici in privato il numero di ordine.');
    await rc.saveVersion.click();
    await expect.poll(async () => (await rc.text.textContent()) ?? '').toBe('Grazie della segnalazione: scrivici in privato il numero di ordine.');

    // Giulia's screen says so at once, with the diff from his text to her draft; her draft stays.
    const merge = a.page.getByTestId('response-merge');
    await merge.waitFor();
    expect(((await merge.textContent()) ?? '').replace(/\s+/g, ' ')).toContain('Stefano Neri ha salvato la versione 2 mentre modificavi la 1.');
    expect((await a.page.getByTestId('response-merge-diff').locator('ins').allTextContents()).join(' ')).toContain('foto');
    expect(await ra.editText.inputValue()).toBe('Ci dispiace molto: scrivici il numero di ordine e una foto della confezione.');
    expect(await ra.saveVersion.isDisabled()).toBe(true);

    // She keeps hers, on top of his: version 3, and Stefano's screen follows.
    await a.page.getByTestId('merge-keep-mine').click();
    await expect.poll(async () => (await ra.text.textContent()) ?? '').toBe('Ci dispiace molto: scrivici il numero di ordine e una foto della confezione.');
    await expect.poll(async () => (await rc.text.textContent()) ?? '').toBe('Ci dispiace molto: scrivici il numero di ordine e una foto della confezione.');
    const detail = (await v.apiAs(GIULIA, 'responses.get', { id: created.response.id })) as { versions: { n: number; author: string }[] };
    expect(detail.versions.map((x) => `${x.n} ${x.author}`)).toEqual(['1 Giulia Rossi', '2 Stefano Neri', '3 Giulia Rossi']);
    // Nobody saw an error line: the stale save was a choice, not a failure.
    expect(await a.page.getByTestId('response-error').count()).toBe(0);
    for (const s of [a, c]) expect(s.errors.filter((e) => !/status of 40\d/.test(e))).toEqual([]);
  });
});
