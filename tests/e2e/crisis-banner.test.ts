// Issue 14 §6 through the real UI in Debian's Chromium against the real `vedetta serve`: a
// crisis that opens through the webhook puts a red banner on every view, through navigation
// and a reload; an analyst (another window) sees it with no button and the API refuses them
// with a 403; a manager takes it in charge from the banner: the banner goes in both windows, the
// moment says "presa in carico da …", the audit lists it. A new crisis brings the banner back,
// and the Moments view takes it in charge with the keyboard.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, CrisisBanner, MomentsPage, WelcomePage, signIn } from './support/pages';
import { ADMIN, postMentions, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

const MANAGER: TestUser = { username: 'marta', password: 'password-di-prova-marta', roles: ['manager'], name: 'Marta Ferri' };
const ANALYST: TestUser = { username: 'aldo', password: 'password-di-prova-aldo', roles: ['analyst'], name: 'Aldo Conti' };

let v: VedettaInstance;
let b: BrowserSession;
let b2: BrowserSession | undefined;

beforeEach(async () => {
  v = await startVedetta({ users: [ADMIN, MANAGER, ANALYST] });
  b = await openBrowser(v.uiUrl);
});
afterEach(async () => {
  await b2?.close();
  await b?.close();
  await v?.stop();
});

const START = Date.parse('2026-11-20T08:00:00Z');
const BURST_AT = START + 72 * 50_000;

function burst(prefix: string, at: number, texts: string[]): Record<string, unknown>[] {
  return Array.from({ length: 18 }, (_, i) => ({
    source: 'Instagram @caffeaurora',
    external_id: `${prefix}${i}`,
    author: `${prefix}-autore-${i}`,
    text: texts[i % texts.length],
    lang: 'it',
    published_at: new Date(at + i * 10_000).toISOString(),
  }));
}

interface Crisis {
  id: number;
  title: string;
  acknowledgedBy: { name: string } | null;
}
const openCrises = async (): Promise<Crisis[]> => ((await v.api('moments.list', { kind: 'crisis', state: 'open' })) as { items: Crisis[] }).items;

describe('a crisis nobody can miss', () => {
  it('the banner is on every view until a manager takes the crisis in charge; an analyst sees it without a button and gets 403', async () => {
    const brand = (await v.api('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    await v.api('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa nelle capsule', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
    await v.api('perimeters.themeCreate', { brandId: brand.id, name: 'Boicottaggio', query: 'boicott*', swot: 'threat', stance: 'sensitive' });
    const quiet = Array.from({ length: 72 }, (_, i) => ({
      source: 'Reddit r/italy',
      external_id: `q${i}`,
      text: i % 2 ? 'Il barista di Caffè Aurora fa un cappuccino normale' : 'Pausa caffè con gli amici, oggi Aurora',
      lang: 'it',
      published_at: new Date(START + i * 50_000).toISOString(),
    }));
    expect((await postMentions(v, quiet)).status).toBe(202);

    // The manager is on the inbox when the crisis opens.
    await signIn(b.page, MANAGER.username, MANAGER.password);
    await new WelcomePage(b.page).startEmpty.click();
    const shell = new AppShell(b.page);
    await shell.ready;
    const banner = new CrisisBanner(b.page);
    expect(await banner.root.count()).toBe(0);
    expect((await postMentions(v, burst('m', BURST_AT, ['Muffa nelle capsule, che schifo! Vergogna', 'Capsule con la muffa e nessuno risponde. Pessimi']))).status).toBe(202);
    await banner.root.waitFor();
    expect(await banner.title.textContent()).toContain('Crisi aperta: Muffa nelle capsule');
    expect(await b.page.getByTestId('inbox-list').count()).toBe(1);

    // Another view, then a reload: still there.
    await shell.nav('settings').click();
    await banner.root.waitFor();
    await b.page.reload();
    await shell.ready;
    await banner.root.waitFor();
    expect(await banner.acknowledge.isVisible()).toBe(true);

    // An analyst, in another window: the banner, no button; the API says 403 in Italian.
    b2 = await openBrowser(v.uiUrl);
    await signIn(b2.page, ANALYST.username, ANALYST.password);
    await new AppShell(b2.page).ready;
    const banner2 = new CrisisBanner(b2.page);
    await banner2.root.waitFor();
    expect(await banner2.acknowledge.count()).toBe(0);
    expect(await banner2.readOnly.textContent()).toContain('Il tuo ruolo non può prenderla in carico');
    const [crisis] = await openCrises();
    await expect(v.apiAs(ANALYST, 'moments.acknowledge', { id: crisis!.id })).rejects.toThrow(/→ 403: .*Il tuo ruolo non consente/);

    // The banner links to the moment.
    await banner.open.click();
    const moments = new MomentsPage(b.page);
    await expect.poll(async () => (await moments.title.textContent()) ?? '').toContain('Muffa nelle capsule');
    expect(await moments.acknowledge.isVisible()).toBe(true);

    // One click on the banner: gone here and in the analyst's window; the moment says who.
    await banner.acknowledge.click();
    await banner.root.waitFor({ state: 'detached' });
    await banner2.root.waitFor({ state: 'detached' });
    await expect.poll(async () => (await moments.acknowledged.textContent()) ?? '').toMatch(/presa in carico da Marta Ferri · \d{2}:\d{2}/);
    expect(await moments.acknowledge.count()).toBe(0);
    expect((await openCrises())[0]!.acknowledgedBy?.name).toBe('Marta Ferri');

    // The audit lists it, under Marta, on this moment.
    await b.page.getByTestId('nav-audit').click();
    const rows = b.page.locator('[data-testid="audit-row"][data-action="moment.acknowledge"]');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(`moment:${crisis!.id}`);
    expect(await rows.first().textContent()).toContain('marta');

    // A new crisis brings the banner back, in both windows; the Moments view takes it in
    // charge with the keyboard (p on the selected crisis).
    expect((await postMentions(v, burst('x', BURST_AT + 30 * 60_000, ['Boicottiamo Caffè Aurora, vergogna!', 'Boicottaggio subito, che schifo']))).status).toBe(202);
    await banner.root.waitFor();
    await banner2.root.waitFor();
    expect(await banner.title.textContent()).toContain('Boicottaggio');
    await banner.open.click();
    await expect.poll(async () => (await moments.title.textContent()) ?? '').toContain('Boicottaggio');
    await b.page.keyboard.press('p');
    await banner.root.waitFor({ state: 'detached' });
    await banner2.root.waitFor({ state: 'detached' });
    await expect.poll(async () => (await moments.acknowledged.textContent()) ?? '').toContain('presa in carico da Marta Ferri');
    expect(b.errors).toEqual([]);
    expect(b2.errors).toEqual([]);
  }, 120_000);
});
