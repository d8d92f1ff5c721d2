// Issue 14 §2 through the real UI in Debian's Chromium against the real `vedetta serve`: in
// Perimetri a manager declares the brand's own accounts on its card — a handle (a bad one first:
// the Italian reason shows on the field and the text stays), a post's link, a duplicate refused
// — accepts the suggested "Instagram @caffeaurora" source with one click, sees them survive a
// reload, and removes one. Every change is in the audit under the manager's name. The brand card
// is screenshotted in light and dark.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { OwnedAccountsPanel } from './support/owned-pages';
import { AppShell, WelcomePage, signIn } from './support/pages';
import { ADMIN, postMentions, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

const MANAGER: TestUser = { username: 'marta', password: 'password-di-prova-marta', roles: ['manager'], name: 'Marta Ferri' };
const SHOTS = process.env.VEDETTA_SCREENSHOTS ?? join(tmpdir(), 'vedetta-screens');

let v: VedettaInstance;
let b: BrowserSession;

afterEach(async () => {
  await b?.close();
  await v?.stop();
});

describe("a brand's own accounts", () => {
  it('a manager declares a handle and a post link, accepts a suggestion, the list survives a reload, and a removal works', async () => {
    v = await startVedetta({ users: [ADMIN, MANAGER] });
    const brand = (await v.api('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    await v.api('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa nelle capsule', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
    const now = Date.now();
    const at = (s: number): string => new Date(now - s * 1000).toISOString();
    expect(
      (
        await postMentions(v, [
          { source: 'Instagram @caffeaurora', external_id: 'c1', thread_id: 'ig-post-8841', author: 'anna', text: 'Muffa nelle capsule, che schifo', lang: 'it', published_at: at(60) },
          { source: 'Instagram @caffeaurora', external_id: 'c2', thread_id: 'ig-post-8841', author: 'bruno', text: 'Vergogna', lang: 'it', published_at: at(50) },
          { source: 'Reddit r/italy', external_id: 'r1', author: 'carla', text: 'Le capsule Aurora sono arrivate', lang: 'it', published_at: at(40) },
        ])
      ).status,
    ).toBe(202);

    b = await openBrowser(v.uiUrl);
    await signIn(b.page, MANAGER.username, MANAGER.password);
    await new WelcomePage(b.page).startEmpty.click();
    const shell = new AppShell(b.page);
    await shell.ready;
    await shell.nav('perimeters').click();
    const owned = new OwnedAccountsPanel(b.page, 'Caffè Aurora');
    await owned.section.waitFor();
    await owned.empty.waitFor();
    // The source named like the brand is offered, not counted.
    await owned.suggestion('Instagram @caffeaurora').waitFor();
    expect(await owned.suggestion('Instagram @caffeaurora').textContent()).toContain('2 menzioni');

    // A handle with a space: the reason shows on the field, nothing is sent, the text stays.
    await owned.add.click();
    await owned.type.selectOption('handle');
    await owned.value.fill('@caffè aurora');
    await owned.platform.fill('Instagram');
    await owned.submit.click();
    await owned.error.waitFor();
    expect(await owned.error.textContent()).toBe('Un handle è @nome, senza spazi (per Mastodon @nome@istanza)');
    expect(await owned.value.inputValue()).toBe('@caffè aurora');
    expect(await owned.value.getAttribute('aria-invalid')).toBe('true');
    await shot(owned, 'perimetri-account-errore-chiaro');
    await owned.value.fill('@caffeaurora');
    await owned.submit.click();
    await owned.row('@caffeaurora').waitFor();
    expect(await owned.row('@caffeaurora').textContent()).toContain('Instagram');

    // A post's link, tracking parameter and all: stored and shown clean.
    await owned.add.click();
    await owned.type.selectOption('url');
    await owned.value.fill('https://www.instagram.com/p/ig-post-8841/?igshid=abc');
    await owned.value.press('Enter');
    await owned.row('https://www.instagram.com/p/ig-post-8841/').waitFor();
    expect((await owned.row('https://www.instagram.com/p/ig-post-8841/').textContent())?.replace(/\s+/g, ' ')).toContain('Link instagram.com/p/ig-post-8841');

    // The same handle again is refused in Italian, under the form.
    await owned.add.click();
    await owned.type.selectOption('handle');
    await owned.value.fill('@CaffeAurora');
    await owned.platform.fill('instagram');
    await owned.submit.click();
    await owned.error.waitFor();
    expect(await owned.error.textContent()).toBe('«@caffeaurora» è già tra gli account propri di «Caffè Aurora».');
    await owned.value.press('Escape');
    await owned.error.waitFor({ state: 'detached' });

    // The card as a person sees it: declared accounts and the pending suggestion, light and dark.
    await shot(owned, 'perimetri-account-chiaro');
    await b.page.emulateMedia({ colorScheme: 'dark' });
    await b.page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await shot(owned, 'perimetri-account-scuro');
    await b.page.emulateMedia({ colorScheme: 'light' });

    // One click on the suggestion declares the source; it leaves the suggestions.
    await owned.acceptOf('Instagram @caffeaurora').click();
    await owned.row('Instagram @caffeaurora').waitFor();
    await owned.suggestion('Instagram @caffeaurora').waitFor({ state: 'detached' });
    const declared = [
      ['source', 'Instagram @caffeaurora'],
      ['handle', '@caffeaurora'],
      ['url', 'https://www.instagram.com/p/ig-post-8841/'],
    ];
    expect(await owned.list()).toEqual(declared);

    // A reload keeps them.
    await b.page.reload();
    await shell.ready;
    await shell.nav('perimeters').click();
    await owned.row('Instagram @caffeaurora').waitFor();
    expect(await owned.list()).toEqual(declared);

    // A removal: gone now and after another reload.
    await owned.removeOf('@caffeaurora').click();
    await owned.row('@caffeaurora').waitFor({ state: 'detached' });
    await b.page.reload();
    await shell.ready;
    await shell.nav('perimeters').click();
    await owned.row('Instagram @caffeaurora').waitFor();
    expect(await owned.list()).toEqual([declared[0], declared[2]]);

    const audit = (await v.api('audit.list', { filter: {} })) as { items: { actor: string; action: string; detail: string }[] };
    const changes = audit.items.filter((i) => i.action.startsWith('perimeters.owned')).reverse();
    // The refused duplicate is there too, as marta's failed attempt.
    const what = (detail: string): string | undefined => {
      const d = JSON.parse(detail) as { value?: string; esito?: string };
      return d.value ?? d.esito;
    };
    expect(changes.map((i) => [i.actor, i.action, what(i.detail)])).toEqual([
      ['marta', 'perimeters.ownedAdd', '@caffeaurora'],
      ['marta', 'perimeters.ownedAdd', 'https://www.instagram.com/p/ig-post-8841/'],
      ['marta', 'perimeters.ownedAdd', 'fallito'],
      ['marta', 'perimeters.ownedAdd', 'Instagram @caffeaurora'],
      ['marta', 'perimeters.ownedDelete', '@caffeaurora'],
    ]);
    // The refused duplicate is the one failed request (Chromium logs its 409); nothing else went wrong.
    expect(b.errors.filter((e) => !/409 \(Conflict\)/.test(e))).toEqual([]);
  });
});

async function shot(owned: OwnedAccountsPanel, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await owned.card.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled' });
}
