// Issue #16 item 3 ("working together") through the real UI, two people at two browsers:
// (a) the manager writes an internal note on a mention naming @laura (legal) through the @
//     suggestions; legal, with the same mention open, sees the note arrive without a reload,
//     and her bell tells her of it (a 'noted' notification); the analyst reads the note and is offered
//     no box to write one;
// (b) read state is each person's own: rows legal has not opened are bold with a dot and
//     counted in the inbox header; the manager opening a mention adds "Giulia Rossi" to
//     legal's "Visto da" live, and legal's marks and count do not move; "segna come non letta"
//     is legal's alone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, InboxPage, WelcomePage, signIn } from './support/pages';
import { NotesPanel } from './support/notes-pages';
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

async function browserFor(user: TestUser, first = false): Promise<{ b: BrowserSession; inbox: InboxPage; notes: NotesPanel }> {
  const b = await openBrowser(v.uiUrl);
  browsers.push(b);
  await signIn(b.page, user.username, user.password);
  if (first) await new WelcomePage(b.page).startEmpty.click();
  await new AppShell(b.page).ready;
  return { b, inbox: new InboxPage(b.page), notes: new NotesPanel(b.page) };
}

const TEXTS = ['Capsule Aurora arrivate rotte, terza volta', 'Il nuovo gusto al pistacchio è ottimo', 'Qualcuno sa se le capsule sono compostabili?'];

async function seed(): Promise<void> {
  const sent = await postMentions(
    v,
    TEXTS.map((text, i) => ({ source: 'Forum caffè', external_id: `n${i}`, text, lang: 'it', published_at: new Date(Date.now() - (3 - i) * 60_000).toISOString() })),
  );
  expect(sent.status).toBe(202);
}

describe('notes and read state', () => {
  it('the manager names @laura in a note: legal sees it arrive live and is notified; the analyst reads it and has no box', async () => {
    const giulia = await browserFor(GIULIA, true);
    await seed();
    const laura = await browserFor(LAURA);
    await laura.inbox.rowWithText(TEXTS[0]!).waitFor();

    // Legal opens the mention first: the thread is empty, with a box to write in.
    await laura.inbox.rowWithText(TEXTS[0]!).click();
    await laura.notes.empty.waitFor();
    expect(await laura.notes.input.count()).toBe(1);

    // The manager opens it and names legal through the @ suggestions (keyboard only).
    await giulia.inbox.rowWithText(TEXTS[0]!).click();
    await giulia.notes.empty.waitFor();
    await giulia.notes.input.click();
    await giulia.notes.input.pressSequentially('@lau');
    await giulia.notes.suggestions.waitFor();
    expect(await giulia.notes.suggestions.textContent()).toContain('Laura Bianchi');
    await giulia.notes.input.press('Enter');
    expect(await giulia.notes.input.inputValue()).toBe('@laura ');
    await giulia.notes.input.pressSequentially('puoi controllare il tono? <b>grazie</b>');
    await giulia.notes.input.press('Control+Enter');
    await expect.poll(() => giulia.notes.items.count()).toBe(1);
    expect(await giulia.notes.input.inputValue()).toBe('');

    // Legal's screen shows it without a reload: author from the session, markup as text.
    await expect.poll(() => laura.notes.items.count(), { timeout: 5_000 }).toBe(1);
    const note = laura.notes.items.first();
    expect(await note.getByTestId('note-author').textContent()).toBe('Giulia Rossi');
    expect(await note.getByTestId('note-text').textContent()).toBe('@laura puoi controllare il tono? <b>grazie</b>');
    expect(await note.locator('b').count()).toBe(0);
    expect(await note.locator('.at').textContent()).toBe('@laura');
    // Only the author is offered the delete.
    expect(await note.getByTestId('note-remove').count()).toBe(0);
    expect(await giulia.notes.items.first().getByTestId('note-remove').count()).toBe(1);

    // Legal is told, live, in her bell (the notification module's 'noted'); the manager is not.
    await expect.poll(() => laura.b.page.getByTestId('bell-count').textContent(), { timeout: 5_000 }).toBe('1');
    await laura.b.page.getByTestId('bell').click();
    expect(await laura.b.page.getByTestId('notification').first().textContent()).toContain('Giulia Rossi ti ha citato in una nota su una menzione');
    await laura.b.page.keyboard.press('Escape');
    expect(await giulia.b.page.getByTestId('bell-count').count()).toBe(0);
    const bell = (await v.apiAs(LAURA, 'notifications.list', {})) as { items: { kind: string; by: { displayName: string } }[] };
    expect(bell.items).toEqual([expect.objectContaining({ kind: 'noted', by: expect.objectContaining({ displayName: 'Giulia Rossi' }) })]);
    expect(((await v.apiAs(GIULIA, 'notifications.list', {})) as { items: unknown[] }).items).toEqual([]);

    // The analyst reads the note and is offered nothing to write with.
    const aldo = await browserFor(ALDO);
    await aldo.inbox.rowWithText(TEXTS[0]!).click();
    await expect.poll(() => aldo.notes.items.count()).toBe(1);
    expect(await aldo.notes.input.count()).toBe(0);
    await aldo.notes.readOnly.waitFor();

    for (const b of browsers) expect(b.errors).toEqual([]);
  });

  it('each person has their own unread marks and count; "Visto da" follows the others live', async () => {
    const giulia = await browserFor(GIULIA, true);
    await seed();
    const laura = await browserFor(LAURA);
    const rowL = (i: number) => laura.inbox.rowWithText(TEXTS[i]!);
    await rowL(2).waitFor();

    // Nothing opened yet: three bold rows, "3 da leggere" in the header.
    await expect.poll(() => laura.b.page.getByTestId('inbox-unread').textContent()).toBe('3 da leggere');
    await expect.poll(() => laura.b.page.locator('[data-testid="inbox-row"].unread').count()).toBe(3);

    // Legal opens one: it is no longer bold for her, her count drops, nobody else has seen it.
    await rowL(1).click();
    await expect.poll(() => laura.b.page.getByTestId('inbox-unread').textContent()).toBe('2 da leggere');
    await expect.poll(() => rowL(1).getAttribute('class')).not.toContain('unread');
    expect(await laura.b.page.getByTestId('seen-by').textContent()).toContain('Nessun altro l’ha ancora vista');

    // The manager's screen: still three unread for her.
    await expect.poll(() => giulia.b.page.getByTestId('inbox-unread').textContent()).toBe('3 da leggere');

    // The manager opens the same mention and then another: legal's "Visto da" names her live,
    // legal's marks and count stay as they were.
    await giulia.inbox.rowWithText(TEXTS[1]!).click();
    await giulia.inbox.rowWithText(TEXTS[0]!).click();
    await expect.poll(() => laura.b.page.getByTestId('seen-by').textContent(), { timeout: 5_000 }).toContain('Visto da: Giulia Rossi');
    expect(await laura.b.page.getByTestId('inbox-unread').textContent()).toBe('2 da leggere');
    expect(await rowL(0).getAttribute('class')).toContain('unread');
    await expect.poll(() => giulia.b.page.getByTestId('inbox-unread').textContent()).toBe('1 da leggere');

    // "Segna come non letta" is legal's alone.
    await laura.b.page.getByTestId('detail-mark-unread').click();
    await expect.poll(() => laura.b.page.getByTestId('inbox-unread').textContent()).toBe('3 da leggere');
    await expect.poll(() => rowL(1).getAttribute('class')).toContain('unread');
    await laura.b.page.getByTestId('detail-mark-read').waitFor();
    expect(await giulia.b.page.getByTestId('inbox-unread').textContent()).toBe('1 da leggere');

    for (const b of browsers) expect(b.errors).toEqual([]);
  });
});
