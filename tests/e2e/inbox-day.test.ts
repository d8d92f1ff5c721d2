// Issue #17 item 1 (a working day in the inbox), through the real UI in Chromium against the
// real `vedetta serve`: the layout at 1280×720 with the detail and a search open; saved searches
// (personal and shared) with their counts, applied and deleted; the query language in the
// search with the matched words highlighted and a bad query's error; the war room (F).
// Screenshots go to /tmp/shots-s30-searches (light and dark, 1280×720 and 1920×1080).
import { mkdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession, type Page } from './support/browser';
import { AppShell, InboxPage, WelcomePage, signIn } from './support/pages';
import { ADMIN, postMentions, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

const SHOTS = '/tmp/shots-s30-searches';
const GIULIA: TestUser = { username: 'giulia', password: 'password-di-giulia', roles: ['manager'], name: 'Giulia Rossi' };
const LUCA: TestUser = { username: 'luca', password: 'password-di-luca', roles: ['legal'], name: 'Luca Bianchi' };

let v: VedettaInstance | undefined;
const browsers: BrowserSession[] = [];

afterEach(async () => {
  for (const b of browsers.splice(0)) await b.close();
  await v?.stop();
  v = undefined;
});

const TEXTS = [
  'Capsule Aurora arrivate rotte, terza volta che succede',
  'Il nuovo gusto al pistacchio è ottimo, bravi',
  'Qualcuno sa se le capsule sono compostabili?',
  'Caffè bruciato e capsule pessime, non compro più',
  'Servizio clienti gentile, capsule sostituite in due giorni',
  'Macchina Aurora rotta dopo un mese, assistenza assente',
];

function mention(i: number, text: string, minutesAgo: number): Record<string, unknown> {
  return { source: 'Forum caffè', external_id: `d${i}`, author: `autore${i}`, text, lang: 'it', published_at: new Date(Date.now() - minutesAgo * 60_000).toISOString() };
}

async function seed(n = 40): Promise<void> {
  const items = Array.from({ length: n }, (_, i) => mention(i, `${TEXTS[i % TEXTS.length]!} (#${i})`, n - i));
  expect((await postMentions(v!, items)).status).toBe(202);
}

async function browserFor(user: TestUser, viewport = { width: 1280, height: 720 }, first = false): Promise<{ b: BrowserSession; inbox: InboxPage }> {
  const b = await openBrowser(v!.uiUrl, viewport);
  browsers.push(b);
  await signIn(b.page, user.username, user.password);
  if (first) await new WelcomePage(b.page).startEmpty.click();
  await new AppShell(b.page).ready;
  return { b, inbox: new InboxPage(b.page) };
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    await page.screenshot({ path: `${SHOTS}/${name}-${theme}.png` });
  }
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('a working day in the inbox', () => {
  it('at 1280×720 with the detail and a search open, the filters stay usable and the pill covers no row', async () => {
    v = await startVedetta({ users: [ADMIN, GIULIA] });
    const { b, inbox } = await browserFor(GIULIA, { width: 1280, height: 720 }, true);
    await seed();
    await inbox.rows.first().waitFor();
    await inbox.searchFor('capsule');
    await expect.poll(() => inbox.total.textContent()).toMatch(/menzion/);
    await inbox.rows.first().click();
    await inbox.detail.waitFor();
    // Arrivals while reading are held behind the pill.
    expect((await postMentions(v, [mention(100, 'Capsule nuove arrivate adesso', 0), mention(101, 'Altre capsule, altro giro', 0)])).status).toBe(202);
    await inbox.newPill.waitFor();

    for (const id of ['source-filter', 'lang-filter', 'sentiment-filter', 'inbox-mine']) {
      const box = await b.page.getByTestId(id).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.width, `${id} is wide enough to read`).toBeGreaterThanOrEqual(60);
      expect(box!.x + box!.width, `${id} is inside the list column`).toBeLessThanOrEqual((await inbox.detail.boundingBox())!.x + 1);
      expect(await b.page.getByTestId(id).isVisible(), id).toBe(true);
    }
    const pill = (await inbox.newPill.boundingBox())!;
    const firstRow = (await inbox.rows.first().boundingBox())!;
    expect(overlaps(pill, firstRow)).toBe(false);
    await shot(b.page, 'inbox-1280-detail-search');
    for (const size of [{ width: 1440, height: 900 }, { width: 1920, height: 1080 }]) {
      await b.page.setViewportSize(size);
      await shot(b.page, `inbox-${size.width}-detail-search`);
    }
    expect(b.errors).toEqual([]);
  });

  it('saved searches, personal and shared, with their counts: applied by click and key, shared seen by a colleague, deleted', async () => {
    v = await startVedetta({ users: [ADMIN, GIULIA, LUCA] });
    const giulia = await browserFor(GIULIA, { width: 1440, height: 900 }, true);
    await seed(12);
    await giulia.inbox.rows.first().waitFor();
    const page = giulia.b.page;
    const chip = (p: Page, name: string) => p.locator(`[data-testid="saved-chip"][data-name="${name}"]`);

    // A personal search: the current query and filters under a name.
    await giulia.inbox.searchFor('capsule rotte');
    await page.getByTestId('saved-save').click();
    await page.getByTestId('saved-name').fill('Capsule rotte');
    await page.getByTestId('saved-confirm').click();
    await expect.poll(() => chip(page, 'Capsule rotte').getByTestId('saved-count').textContent()).toBe('2');

    // A shared one, with a query.
    await giulia.inbox.searchFor('capsule NOT rotte');
    await page.getByTestId('saved-save').click();
    await page.getByTestId('saved-name').fill('Reclami capsule');
    await page.getByTestId('saved-shared').check();
    await page.getByTestId('saved-confirm').click();
    await expect.poll(() => chip(page, 'Reclami capsule').getByTestId('saved-count').textContent()).toBe('6');

    // A colleague sees the shared one (not the personal one), with its count, and no menu to change it.
    const luca = await browserFor(LUCA);
    await chip(luca.b.page, 'Reclami capsule').waitFor();
    expect(await luca.b.page.getByTestId('saved-chip').count()).toBe(1);
    expect(await luca.b.page.getByTestId('saved-menu').count()).toBe(0);
    await expect.poll(() => chip(luca.b.page, 'Reclami capsule').getByTestId('saved-count').textContent()).toBe('6');

    // The count follows new mentions live, in both windows.
    expect((await postMentions(v, [mention(200, 'Capsule compostabili finalmente', 0)])).status).toBe(202);
    await expect.poll(() => chip(luca.b.page, 'Reclami capsule').getByTestId('saved-count').textContent(), { timeout: 15_000 }).toBe('7');
    await expect.poll(() => chip(page, 'Reclami capsule').getByTestId('saved-count').textContent(), { timeout: 15_000 }).toBe('7');
    await shot(page, 'saved-searches-1440');

    // Applied with one click, then with its key (1 is the first by name).
    await page.getByTestId('search-input').fill('');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('inbox-list').focus();
    await chip(page, 'Reclami capsule').click();
    expect(await page.getByTestId('search-input').inputValue()).toBe('capsule NOT rotte');
    expect(await chip(page, 'Reclami capsule').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('inbox-list').focus();
    await page.keyboard.press('1');
    await expect.poll(() => page.getByTestId('search-input').inputValue()).toBe('capsule rotte');
    await expect.poll(() => giulia.inbox.total.textContent()).toMatch(/^2 /);

    // Deleted by its author: gone in the colleague's window too.
    await chip(page, 'Reclami capsule').locator('xpath=..').getByTestId('saved-menu').click();
    await page.getByTestId('saved-delete').click();
    await page.getByTestId('saved-confirm-delete').click();
    await expect.poll(() => chip(page, 'Reclami capsule').count()).toBe(0);
    await expect.poll(() => luca.b.page.getByTestId('saved-chip').count(), { timeout: 5_000 }).toBe(0);
    expect(giulia.b.errors).toEqual([]);
    expect(luca.b.errors).toEqual([]);
  });

  it('searches in the query language with the matched words highlighted, and says where a bad query is wrong', async () => {
    v = await startVedetta({ users: [ADMIN, GIULIA] });
    const { b, inbox } = await browserFor(GIULIA, { width: 1280, height: 720 }, true);
    await seed(12);
    await inbox.rows.first().waitFor();

    await inbox.searchFor('capsule NOT (rotte OR pessime)');
    await expect.poll(() => inbox.total.textContent()).toMatch(/^4 /);
    const texts = await inbox.rows.allTextContents();
    expect(texts.every((x) => /capsule/i.test(x) && !/rotte|pessime/i.test(x))).toBe(true);
    // Each row marks the word that matched; the open mention too.
    const marks = await inbox.rows.first().getByTestId('hit').allTextContents();
    expect(marks.map((m) => m.toLowerCase())).toContain('capsule');
    await inbox.rows.first().click();
    expect((await inbox.detailText.getByTestId('hit').allTextContents()).map((m) => m.toLowerCase())).toContain('capsule');
    await b.page.keyboard.press('Escape');

    // A phrase and a wildcard.
    await inbox.searchFor('"servizio clienti" OR compost*');
    await expect.poll(() => inbox.total.textContent()).toMatch(/^4 /);

    // A bad query: its error where it is typed, with the column, and the list says why it is empty.
    await inbox.searchFor('capsule AND (rotte');
    const err = b.page.getByTestId('search-error');
    await err.waitFor();
    expect(await err.getAttribute('data-column')).toBe('13');
    expect(await err.textContent()).toMatch(/colonna 13/i);
    await b.page.getByTestId('inbox-query-error').waitFor();
    expect(await inbox.rows.count()).toBe(0);
    await shot(b.page, 'search-error-1280');
    // Fixed: the error goes.
    await inbox.searchFor('capsule AND (rotte)');
    await expect.poll(() => err.count()).toBe(0);
    await expect.poll(() => inbox.total.textContent()).toMatch(/^2 /);
    expect(b.errors).toEqual([]);
  });

  it('the war room opens with F, follows arrivals live and closes with Esc', async () => {
    v = await startVedetta({ users: [ADMIN, GIULIA] });
    const { b, inbox } = await browserFor(GIULIA, { width: 1920, height: 1080 }, true);
    await seed(12);
    await inbox.rows.first().waitFor();
    await inbox.list.focus();
    await b.page.keyboard.press('f');
    const war = b.page.getByTestId('war-room');
    await war.waitFor();
    await expect.poll(() => b.page.getByTestId('war-total').textContent()).toBe('12');
    expect(await b.page.getByTestId('war-item').count()).toBe(12);

    expect((await postMentions(v, [mention(300, 'Vergogna Aurora, capsule rotte ancora', 0)])).status).toBe(202);
    await expect.poll(() => b.page.getByTestId('war-total').textContent()).toBe('13');
    expect(await b.page.getByTestId('war-item').first().textContent()).toContain('Vergogna Aurora');
    await shot(b.page, 'war-room-1920');
    await b.page.setViewportSize({ width: 1280, height: 720 });
    await shot(b.page, 'war-room-1280');

    await b.page.keyboard.press('Escape');
    await expect.poll(() => war.count()).toBe(0);
    await inbox.list.waitFor();
    expect(b.errors).toEqual([]);
  });
});

