// Issue #17 item 1 (tags and bulk actions), a day's triage through the real UI: the manager
// ticks three mentions with the keyboard (j, x), creates a tag inline from the picker (t) and
// puts it on them, marks them read, undoes both (Ctrl+Z, then the toast's «Annulla»), redoes
// the tag (Ctrl+Shift+Z) and filters the inbox by it; an analyst ticking a row is offered only
// her own read marks. With VEDETTA_SHOTS=<folder> the bar, the picker and the filter are saved,
// light and dark, at 1280×720 and 1920×1080.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { BulkBar, TagFilter } from './support/bulk-pages';
import { AppShell, InboxPage, WelcomePage, signIn } from './support/pages';
import { ADMIN, postMentions, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

const GIULIA: TestUser = { username: 'giulia', password: 'password-di-giulia', roles: ['manager'], name: 'Giulia Rossi' };
const ALDO: TestUser = { username: 'aldo', password: 'password-di-aldo', roles: ['analyst'], name: 'Aldo Conti' };

let v: VedettaInstance;
const browsers: BrowserSession[] = [];

beforeEach(async () => {
  v = await startVedetta({ users: [ADMIN, GIULIA, ALDO] });
});
afterEach(async () => {
  for (const b of browsers.splice(0)) await b.close();
  await v?.stop();
});

async function browserFor(user: TestUser, first = false, viewport = { width: 1280, height: 720 }): Promise<{ b: BrowserSession; inbox: InboxPage; bar: BulkBar; filter: TagFilter }> {
  const b = await openBrowser(v.uiUrl, viewport);
  browsers.push(b);
  await signIn(b.page, user.username, user.password);
  if (first) await new WelcomePage(b.page).startEmpty.click();
  await new AppShell(b.page).ready;
  return { b, inbox: new InboxPage(b.page), bar: new BulkBar(b.page), filter: new TagFilter(b.page) };
}

async function shot(b: BrowserSession, name: string): Promise<void> {
  const dir = process.env.VEDETTA_SHOTS;
  if (!dir) return;
  for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
    await b.page.setViewportSize(size);
    for (const scheme of ['light', 'dark'] as const) {
      await b.page.emulateMedia({ colorScheme: scheme });
      // Colours change with a short transition: the picture waits for it to end.
      await b.page.waitForTimeout(400);
      await b.page.screenshot({ path: join(dir, `${name}-${size.width}-${scheme}.png`) });
    }
  }
  await b.page.emulateMedia({ colorScheme: 'light' });
  await b.page.setViewportSize({ width: 1280, height: 720 });
}

const TEXTS = [
  'Capsule Aurora arrivate rotte, terza volta',
  'Il nuovo gusto al pistacchio è ottimo',
  'Qualcuno sa se le capsule sono compostabili?',
  'Spedizione in ritardo di una settimana',
];

describe('a day’s triage: tags and bulk actions with undo', () => {
  it('three mentions ticked with the keyboard are tagged inline and marked read; undo, redo, filter by tag; the analyst is offered only her reading', async () => {
    const giulia = await browserFor(GIULIA, true);
    const sent = await postMentions(
      v,
      TEXTS.map((text, i) => ({ source: 'Forum caffè', external_id: `b${i}`, text, lang: 'it', published_at: new Date(Date.now() - (4 - i) * 60_000).toISOString() })),
    );
    expect(sent.status).toBe(202);
    const { inbox, bar, filter, b } = giulia;
    await expect.poll(() => inbox.rows.count()).toBe(4);
    // Newest first: TEXTS[3], [2], [1], [0]. Nobody has opened them: four unread dots.
    await expect.poll(() => b.page.getByTestId('unread-dot').count()).toBe(4);

    // j moves, x ticks: the first three rows.
    await inbox.list.focus();
    for (let i = 0; i < 3; i++) {
      await b.page.keyboard.press('j');
      await b.page.keyboard.press('x');
    }
    await expect.poll(() => bar.count.textContent()).toBe('3 selezionate');
    expect(await bar.picked.count()).toBe(3);

    // t opens the picker; a new name offers «Crea …»; Enter creates it and tags the three.
    await b.page.keyboard.press('t');
    await bar.pickerInput.waitFor();
    await bar.pickerInput.fill('Da richiamare');
    expect(await bar.createOption.textContent()).toContain('Crea «Da richiamare»');
    await shot(b, 'bulk-picker');
    await bar.pickerInput.press('Enter');
    await expect.poll(() => bar.toast.textContent()).toContain('Etichetta «Da richiamare» su 3 menzioni');
    await expect.poll(() => b.page.getByTestId('row-tags').count()).toBe(3);
    expect(await inbox.rowWithText(TEXTS[0]!).getByTestId('row-tags').count()).toBe(0);

    // Mark read: the three lose their dot, the fourth keeps it.
    await bar.read.click();
    await expect.poll(() => bar.toast.textContent()).toContain('3 menzioni segnate come lette');
    await expect.poll(() => b.page.getByTestId('unread-dot').count()).toBe(1);
    await shot(b, 'bulk-bar');

    // Ctrl+Z undoes the last action (read), the toast's «Annulla» the one before (the tag).
    await inbox.list.focus();
    await b.page.keyboard.press('Control+z');
    await expect.poll(() => b.page.getByTestId('unread-dot').count()).toBe(4);
    await expect.poll(() => bar.toast.textContent()).toContain('Annullato: 3 menzioni segnate come lette');
    await b.page.keyboard.press('Control+z');
    await expect.poll(() => b.page.getByTestId('row-tags').count()).toBe(0);
    // Redo puts the tag back on the same three.
    await b.page.keyboard.press('Control+Shift+z');
    await expect.poll(() => b.page.getByTestId('row-tags').count()).toBe(3);
    await expect.poll(() => bar.toast.textContent()).toContain('Ripetuto: Etichetta «Da richiamare» su 3 menzioni');
    // The toast's button undoes too.
    expect(await bar.toastButton.textContent()).toBe('Annulla');
    await bar.toastButton.click();
    await expect.poll(() => b.page.getByTestId('row-tags').count()).toBe(0);
    await b.page.keyboard.press('Control+Shift+z');
    await expect.poll(() => b.page.getByTestId('row-tags').count()).toBe(3);

    // Filter by the tag: the three, counted by the server; the tag lists its count.
    await b.page.keyboard.press('Escape');
    await expect.poll(() => bar.count.count()).toBe(0);
    await filter.button.click();
    await expect.poll(() => filter.row('Da richiamare').textContent()).toContain('3');
    await filter.row('Da richiamare').getByRole('checkbox').check();
    await expect.poll(() => inbox.rows.count()).toBe(3);
    await expect.poll(() => inbox.total.textContent()).toContain('3');
    await shot(b, 'bulk-filter');
    await b.page.keyboard.press('Escape');

    // The analyst: ticking a row offers her own read marks only, never a change to the mentions.
    const aldo = await browserFor(ALDO);
    await expect.poll(() => aldo.inbox.rows.count()).toBe(4);
    await aldo.inbox.list.focus();
    await aldo.b.page.keyboard.press('j');
    await aldo.b.page.keyboard.press('x');
    await expect.poll(() => aldo.bar.count.textContent()).toBe('1 selezionata');
    expect(await aldo.bar.readOnly.isVisible()).toBe(true);
    expect(await aldo.bar.read.isVisible()).toBe(true);
    for (const l of [aldo.bar.tag, aldo.bar.assign, aldo.bar.hide, aldo.bar.sentiment('negative')]) expect(await l.count()).toBe(0);
    await aldo.b.page.keyboard.press('t');
    expect(await aldo.bar.picker.count()).toBe(0);
    await aldo.filter.button.click();
    await expect.poll(() => aldo.filter.row('Da richiamare').textContent()).toContain('3');
    expect(await aldo.filter.row('Da richiamare').getByRole('button').first().isDisabled()).toBe(true);
  });
});
