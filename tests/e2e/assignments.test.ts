// Issue #16 item 3 ("working together") through the real UI, two people at two browsers and an
// analyst at a third: the manager assigns a mention to legal with the «Assegna a…» picker
// (keyboard); legal's bell counts it live, the panel says «Giulia Rossi ti ha assegnato una
// menzione», a click lands on the mention (and marks it read), «Assegnati a me» finds it; the
// analyst sees who is in charge and no control to change it. With VEDETTA_SHOTS=<folder> the
// picker and the panel are saved, light and dark, to be looked at.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { AssignControl, Bell } from './support/assignments-pages';
import { AppShell, InboxPage, WelcomePage, signIn } from './support/pages';
import { ADMIN, postMentions, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

const GIULIA: TestUser = { username: 'giulia', password: 'password-di-giulia', roles: ['manager'], name: 'Giulia Rossi' };
const LAURA: TestUser = { username: 'laura', password: 'password-di-laura', roles: ['legal'], name: 'Laura Bianchi' };
const ALDO: TestUser = { username: 'aldo', password: 'password-di-aldo', roles: ['analyst'], name: 'Aldo Conti' };

let v: VedettaInstance;
const browsers: BrowserSession[] = [];

beforeEach(async () => {
  v = await startVedetta({ users: [ADMIN, GIULIA, LAURA, ALDO] });
});
afterEach(async () => {
  for (const b of browsers.splice(0)) await b.close();
  await v?.stop();
});

async function browserFor(user: TestUser, first = false): Promise<{ b: BrowserSession; inbox: InboxPage; bell: Bell; assign: AssignControl }> {
  const b = await openBrowser(v.uiUrl);
  browsers.push(b);
  await signIn(b.page, user.username, user.password);
  if (first) await new WelcomePage(b.page).startEmpty.click();
  await new AppShell(b.page).ready;
  return { b, inbox: new InboxPage(b.page), bell: new Bell(b.page), assign: new AssignControl(b.page) };
}

async function shot(b: BrowserSession, name: string): Promise<void> {
  const dir = process.env.VEDETTA_SHOTS;
  if (!dir) return;
  await b.page.emulateMedia({ colorScheme: 'light' });
  await b.page.screenshot({ path: join(dir, `${name}-light.png`) });
  await b.page.emulateMedia({ colorScheme: 'dark' });
  // Colours change with a short transition: the picture waits for it to end.
  await b.page.waitForTimeout(400);
  await b.page.screenshot({ path: join(dir, `${name}-dark.png`) });
  await b.page.emulateMedia({ colorScheme: 'light' });
}

const TEXTS = ['Capsule Aurora arrivate rotte, terza volta', 'Il nuovo gusto al pistacchio è ottimo', 'Qualcuno sa se le capsule sono compostabili?'];

describe('assignments and the bell', () => {
  it('the manager assigns a mention to legal: legal is told live, lands on it from the bell, finds it in «Assegnati a me»; the analyst cannot assign', async () => {
    const giulia = await browserFor(GIULIA, true);
    const sent = await postMentions(
      v,
      TEXTS.map((text, i) => ({ source: 'Forum caffè', external_id: `a${i}`, text, lang: 'it', published_at: new Date(Date.now() - (3 - i) * 60_000).toISOString() })),
    );
    expect(sent.status).toBe(202);
    const laura = await browserFor(LAURA);
    await laura.inbox.rowWithText(TEXTS[0]!).waitFor();
    expect(await laura.bell.unread()).toBe(0);
    expect(await laura.bell.count.count()).toBe(0);

    // The manager opens the mention: nobody is in charge; the picker lists the people who may work it.
    await giulia.inbox.rowWithText(TEXTS[0]!).click();
    await expect.poll(() => giulia.assign.button.textContent()).toContain('Assegna a…');
    await giulia.assign.button.focus();
    await giulia.assign.button.press('Enter');
    await giulia.assign.menu.waitFor();
    const names = await giulia.assign.menu.getByTestId('assign-option').allTextContents();
    expect(names.map((n) => n.trim())).toEqual(['Amministratore', 'Giulia Rossi (tu)', 'Laura Bianchi']);
    await shot(giulia.b, 'assign-picker');
    // Keyboard only: down to Laura, Enter; the focus is back on the button.
    await giulia.assign.menu.press('ArrowDown');
    await giulia.assign.menu.press('ArrowDown');
    await giulia.assign.menu.press('Enter');
    await expect.poll(() => giulia.assign.button.textContent()).toContain('Laura Bianchi');
    expect(await giulia.assign.menu.count()).toBe(0);

    // Legal's bell counts it without a reload.
    await expect.poll(() => laura.bell.unread(), { timeout: 5_000 }).toBe(1);
    expect(await laura.bell.count.textContent()).toBe('1');
    // Giulia's own bell stays silent: one is never told of one's own act.
    expect(await giulia.bell.unread()).toBe(0);

    // The panel: in Italian words, with the mention's first words; Esc closes it, the bell keeps the focus.
    await laura.bell.button.focus();
    await laura.bell.button.press('Enter');
    await laura.bell.panel.waitFor();
    const item = laura.bell.items.first();
    expect(await item.textContent()).toContain('Giulia Rossi ti ha assegnato una menzione');
    expect(await item.textContent()).toContain(TEXTS[0]!);
    expect(await item.getAttribute('data-read')).toBe('false');
    await shot(laura.b, 'bell-panel');
    await laura.b.page.keyboard.press('Escape');
    expect(await laura.bell.panel.count()).toBe(0);
    expect(await laura.b.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('bell');

    // A click lands on the mention and marks the notification read.
    await laura.bell.button.click();
    await laura.bell.items.first().click();
    await expect.poll(() => laura.inbox.detailText.textContent()).toBe(TEXTS[0]!);
    const mentionId = Number(await laura.b.page.getByTestId('inbox-row').filter({ hasText: TEXTS[0]! }).getAttribute('data-id'));
    const lauraId = Number(await laura.assign.root.getAttribute('data-assignee'));
    await expect.poll(() => laura.bell.unread()).toBe(0);
    expect(await laura.bell.count.count()).toBe(0);
    await expect.poll(() => laura.assign.button.textContent()).toContain('Laura Bianchi (tu)');

    // «Assegnati a me»: the one mention, counted by the server.
    await laura.b.page.getByTestId('inbox-mine').click();
    await expect.poll(() => laura.inbox.rows.count()).toBe(1);
    expect(await laura.inbox.rows.first().textContent()).toContain(TEXTS[0]!);
    expect(await laura.inbox.total.textContent()).toContain('1');
    // The manager's «Assegnati a me» is empty: it is legal's.
    await giulia.b.page.getByTestId('inbox-mine').click();
    await expect.poll(() => giulia.inbox.rows.count()).toBe(0);

    // The analyst reads who is in charge, and is offered nothing to change it.
    const aldo = await browserFor(ALDO);
    await aldo.inbox.rowWithText(TEXTS[0]!).click();
    await expect.poll(() => aldo.assign.readOnlyName.textContent()).toBe('Laura Bianchi');
    expect(await aldo.assign.button.count()).toBe(0);
    await aldo.inbox.rowWithText(TEXTS[1]!).click();
    await expect.poll(() => aldo.assign.readOnlyName.textContent()).toBe('Nessuno');
    expect(await aldo.b.page.getByTestId('assign-button').count()).toBe(0);

    // A response assigned to legal (here by a script as the manager): legal's «Assegnati a me»
    // in Risposte lists it, and its detail says who is in charge.
    const channel = (await v.api('publishing.channelCreate', { kind: 'manual', name: 'A mano' })) as { id: number };
    const draft = (await v.apiAs(GIULIA, 'responses.create', { targetKind: 'mention', targetId: mentionId, channelId: channel.id, text: 'Ci dispiace, vi scriviamo in privato.' })) as { response: { id: number } };
    await v.apiAs(GIULIA, 'responses.create', { targetKind: 'mention', targetId: mentionId + 1, channelId: channel.id, text: 'Grazie!' });
    await v.apiAs(GIULIA, 'assignments.set', { subject: 'response', id: draft.response.id, userId: lauraId });
    await expect.poll(() => laura.bell.unread(), { timeout: 5_000 }).toBe(1);
    await laura.b.page.getByTestId('nav-responses').click();
    await laura.b.page.getByTestId('queue-all').click();
    await expect.poll(() => laura.b.page.getByTestId('response-row').count()).toBe(2);
    await laura.b.page.getByTestId('responses-mine').click();
    await expect.poll(() => laura.b.page.getByTestId('response-row').count()).toBe(1);
    await laura.b.page.getByTestId('response-row').first().click();
    await expect.poll(() => laura.assign.button.textContent()).toContain('Laura Bianchi (tu)');
    await shot(laura.b, 'response-assigned');

    // No script broke on any of the three pages (refused calls of other features are theirs to judge).
    for (const who of [giulia, laura, aldo]) expect(who.b.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
