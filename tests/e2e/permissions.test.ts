// Issue #17 items 4 and 5 through the real UI (Debian's Chromium, the real `vedetta serve`):
// an analyst sees what they may not do disabled, with a tooltip naming the roles that may,
// and nothing they click or press is refused by the server (no 403, no error on screen); an
// unsaved theme edit asks before the view changes — «Resta» keeps the text, «Esci senza
// salvare» drops it.
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { AppShell, InboxPage, PerimetersPage } from './support/pages';
import { DeniedAction, LeaveDialog } from './support/permissions-pages';
import { ADMIN, postMentions, type TestUser, type VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';

const ANALYST: TestUser = { username: 'aldo', password: 'password-di-prova-aldo', roles: ['analyst'], name: 'Aldo Conti' };
const STRATEGIST: TestUser = { username: 'sara', password: 'password-di-prova-sara', roles: ['strategist'], name: 'Sara Neri' };

let v: VedettaInstance;
let b: BrowserSession;

afterEach(async () => {
  await stopSignedIn({ v, b });
});

/** A brand with one theme and one mention it matches, made by the administrator. */
async function seed(instance: VedettaInstance): Promise<{ themeId: number }> {
  const brand = (await instance.api('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
  const theme = (await instance.api('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa nelle capsule', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' })) as { id: number };
  const res = await postMentions(instance, [{ source: 'Instagram @caffeaurora', external_id: 'm1', text: 'Muffa nelle capsule del lotto 4471, che schifo', lang: 'it', published_at: new Date(Date.now() - 60_000).toISOString() }]);
  expect(res.status).toBe(202);
  return { themeId: theme.id };
}

const EDITORS_TIP = 'Solo Amministratore, Stratega, Social media manager, Legale o Responsabile brand';

describe('permissions up front', () => {
  it('an analyst sees the actions they may not take disabled, each saying which role may, and is never refused', async () => {
    ({ v, b } = await startSignedIn({ users: [ANALYST, ADMIN] }));
    await seed(v);
    const shell = new AppShell(b.page);
    await shell.ready;
    const denied = new DeniedAction(b.page);
    await b.page.getByTestId('readonly-banner').waitFor();

    // Inbox: opening a mention does not try to mark it read; «Archivia» and «Rispondi» say who may.
    const inbox = new InboxPage(b.page);
    const row = inbox.rowWithText('lotto 4471');
    await row.waitFor();
    const id = Number(await row.getAttribute('data-id'));
    await row.click();
    await inbox.detail.waitFor();
    const archive = b.page.getByTestId('detail-archive');
    expect(await denied.isDenied(archive)).toBe(true);
    expect(await denied.tipOf(archive)).toBe(EDITORS_TIP);
    const reply = b.page.getByTestId('detail-reply');
    expect(await denied.isDenied(reply)).toBe(true);
    expect(await denied.tipOf(reply)).toBe('Solo Social media manager o Stratega');
    // Clicked anyway (Playwright would wait for it to be enabled: the person does not).
    await archive.click({ force: true });
    // The keyboard too: Tab reaches the action and Enter says why; "e" archives nothing.
    await archive.focus();
    await b.page.keyboard.press('Enter');
    await expect.poll(() => denied.tip.textContent()).toBe(EDITORS_TIP);
    await row.click();
    await b.page.keyboard.press('e');
    await expect.poll(() => b.page.getByTestId('inbox-key-denied').textContent()).toBe(EDITORS_TIP);
    expect(((await v.api('mentions.get', { id })) as { mention: { status: string } }).mention.status).toBe('new');

    // Perimeters: no «Nuovo brand», the theme editor reads but does not save.
    await shell.nav('perimeters').click();
    const p = new PerimetersPage(b.page);
    await p.view.waitFor();
    expect(await denied.isDenied(p.newBrand)).toBe(true);
    expect(await denied.tipOf(p.newBrand)).toBe(EDITORS_TIP);
    await p.themeRows.first().click();
    await p.themeName.waitFor();
    expect(await p.themeName.isDisabled()).toBe(true);
    expect(await p.themeName.inputValue()).toBe('Muffa nelle capsule');
    expect(await denied.isDenied(p.save)).toBe(true);
    await p.save.click({ force: true });

    // Audiences (risk map): keeping them is the strategists'; the form never opens.
    await b.page.getByTestId('nav-risk').click();
    const add = b.page.getByTestId('audience-new');
    await add.waitFor();
    expect(await denied.isDenied(add)).toBe(true);
    expect(await denied.tipOf(add)).toBe('Solo Amministratore o Stratega');
    await add.click({ force: true });
    expect(await b.page.getByTestId('audience-form').count()).toBe(0);

    // Nothing was refused: no error on screen, no 403 in the console.
    expect(await denied.errorBoxes.count()).toBe(0);
    expect(b.errors).toEqual([]);
  }, 90_000);
});

describe('nothing lost', () => {
  it('an unsaved theme edit asks before leaving: «Resta» keeps the text, «Esci senza salvare» drops it', async () => {
    ({ v, b } = await startSignedIn({ users: [STRATEGIST, ADMIN], empty: true }));
    const { themeId } = await seed(v);
    const shell = new AppShell(b.page);
    await shell.nav('perimeters').click();
    const p = new PerimetersPage(b.page);
    await p.view.waitFor();
    await p.themeRows.first().click();
    await p.themeName.fill('Muffa e capsule rotte');

    const leave = new LeaveDialog(b.page);
    await shell.nav('inbox').click();
    await leave.dialog.waitFor();
    await leave.stay.click();
    await leave.dialog.waitFor({ state: 'detached' });
    expect(await p.view.isVisible()).toBe(true);
    expect(await p.themeName.inputValue()).toBe('Muffa e capsule rotte');

    // Closing the editor asks too; Esc is «Resta».
    await b.page.getByTestId('theme-close').click();
    await leave.dialog.waitFor();
    await b.page.keyboard.press('Escape');
    await leave.dialog.waitFor({ state: 'detached' });
    expect(await p.themeName.inputValue()).toBe('Muffa e capsule rotte');

    await shell.nav('inbox').click();
    await leave.leave.click();
    await new InboxPage(b.page).list.waitFor();
    // Dropped: the stored theme keeps its name, and coming back opens it as stored.
    expect(((await v.api('perimeters.list', {})) as { themes: { id: number; name: string }[] }).themes.find((t) => t.id === themeId)?.name).toBe('Muffa nelle capsule');
    await shell.nav('perimeters').click();
    await p.view.waitFor();
    expect(await p.themeName.count()).toBe(0);
    await p.themeRows.first().click();
    expect(await p.themeName.inputValue()).toBe('Muffa nelle capsule');

    // A saved edit leaves without a question.
    await p.themeName.fill('Muffa nelle capsule Aurora');
    await p.save.click();
    await expect.poll(async () => ((await v.api('perimeters.list', {})) as { themes: { id: number; name: string }[] }).themes.find((t) => t.id === themeId)?.name).toBe('Muffa nelle capsule Aurora');
    await shell.nav('inbox').click();
    await new InboxPage(b.page).list.waitFor();
    expect(await leave.dialog.count()).toBe(0);
    expect(b.errors).toEqual([]);
  }, 90_000);

  it('scrolling Impostazioni moves only its content, never the nav rail', async () => {
    ({ v, b } = await startSignedIn({ users: [STRATEGIST, ADMIN], empty: true }));
    await b.page.setViewportSize({ width: 1280, height: 720 });
    const shell = new AppShell(b.page);
    await shell.nav('settings').click();
    const nav = shell.nav('inbox');
    const before = (await nav.boundingBox())?.y;
    const page = b.page.locator('main.page');
    await page.hover();
    for (let i = 0; i < 12; i++) await b.page.mouse.wheel(0, 600);
    await expect.poll(() => page.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    expect((await nav.boundingBox())?.y).toBe(before);
    expect(await b.page.evaluate(() => document.scrollingElement?.scrollTop ?? 0)).toBe(0);
    // Keyboard too: End from the page.
    await b.page.keyboard.press('End');
    expect((await nav.boundingBox())?.y).toBe(before);
  }, 60_000);
});
