// Brand perimeters through the real UI: a strategist creates a brand and a theme, sees the
// live count and sample while typing and a positioned error for a broken query, saves; the
// inbox then shows theme chips, highlights the matched words and filters and sorts by theme.
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { AppShell, InboxPage, PerimetersPage, ThemeInbox, WelcomePage } from './support/pages';
import { postMentions, type VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';

let v: VedettaInstance;
let b: BrowserSession;

afterEach(async () => {
  await stopSignedIn({ v, b });
});

async function open(choice: 'empty' | 'demo'): Promise<void> {
  ({ v, b } = await startSignedIn());
  const welcome = new WelcomePage(b.page);
  await (choice === 'demo' ? welcome.openDemo : welcome.startEmpty).click();
  await new AppShell(b.page).ready;
}

describe('brand perimeters', () => {
  it('creates a brand and a theme with a live-tested query, then the inbox shows, highlights, filters and sorts by it', async () => {
    await open('empty');
    const now = Date.now();
    const at = (s: number) => new Date(now - s * 1000).toISOString();
    expect(
      (
        await postMentions(v, [
          { source: 'Instagram @caffeaurora', external_id: 'c1', text: 'Ho trovato la muffa nelle capsule, che schifo', lang: 'it', published_at: at(50) },
          { source: 'Trustpilot', external_id: 't1', text: 'MUFFA! Muffa nelle capsule e nella confezione: muffa ovunque', lang: 'it', published_at: at(40) },
          { source: 'Reddit r/italy', external_id: 'r1', text: 'Le capsule Aurora sono arrivate in tempo', lang: 'it', published_at: at(30) },
          { source: 'X/Twitter', external_id: 'x1', text: 'Perché la muffa cresce sul pane?', lang: 'it', published_at: at(20) },
        ])
      ).status,
    ).toBe(202);
    const shell = new AppShell(b.page);
    const inbox = new InboxPage(b.page);
    await inbox.rowWithText('sul pane').waitFor();

    await shell.nav('perimeters').click();
    const p = new PerimetersPage(b.page);
    await p.view.waitFor();
    await p.newBrand.click();
    await p.brandName.fill('Caffè Aurora');
    await p.brandAdd.click();
    await p.brand('Caffè Aurora').waitFor();
    await p.newThemeIn('Caffè Aurora').click();
    await p.themeName.fill('Muffa nelle capsule');

    // Typing: the tester answers as the query takes shape.
    await p.query.pressSequentially('muffa', { delay: 20 });
    await expect.poll(() => p.liveCount()).toBe(3);
    await p.query.pressSequentially(' AND capsul*', { delay: 20 });
    await expect.poll(() => p.liveCount()).toBe(2);
    await expect.poll(() => p.samples.count()).toBe(2);
    const hits = await p.samples.first().getByTestId('hit').allTextContents();
    expect(hits.map((h) => h.toLowerCase())).toEqual(expect.arrayContaining(['muffa', 'capsule']));

    // A broken query: the error says where, and nothing can be saved.
    await p.query.fill('muffa AND (capsul*');
    await p.queryError.waitFor();
    expect(await p.queryError.getAttribute('data-column')).toBe('11');
    expect(await p.queryError.textContent()).toContain('parentesi non chiusa alla colonna 11');
    expect(await p.queryError.locator('mark').textContent()).toBe('(');
    expect(await p.save.isDisabled()).toBe(true);

    await p.query.fill('muffa AND (capsul* OR confezione)');
    await p.queryError.waitFor({ state: 'detached' });
    await expect.poll(() => p.liveCount()).toBe(2);
    await p.swot('threat').click();
    await p.stance('sensitive').click();
    await p.save.click();
    const row = p.themeRows.filter({ hasText: 'Muffa nelle capsule' });
    await row.waitFor();
    // The background re-match fills the theme's count.
    await expect.poll(async () => (await row.textContent())?.replace(/\s+/g, ' ')).toMatch(/Sensibile\s*2$/);

    // The inbox: chips on matching rows only.
    await shell.nav('inbox').click();
    const themes = new ThemeInbox(b.page);
    await expect.poll(() => themes.chipsOf(inbox.rowWithText('che schifo')).count()).toBe(1);
    expect(await themes.chipsOf(inbox.rowWithText('che schifo')).textContent()).toContain('Muffa nelle capsule');
    expect(await themes.chipsOf(inbox.rowWithText('sul pane')).count()).toBe(0);
    expect(await themes.chipsOf(inbox.rowWithText('arrivate in tempo')).count()).toBe(0);

    // A live arrival is matched on the way in.
    await postMentions(v, { source: 'Trustpilot', external_id: 't2', text: 'Capsule con la muffa, rimborso subito', lang: 'it', published_at: new Date().toISOString() });
    await expect.poll(() => themes.chipsOf(inbox.rowWithText('rimborso subito')).count()).toBe(1);

    // Filter by theme, sort by relevance: the post with most hits comes first.
    const value = await themes.filter.locator('option', { hasText: 'Muffa nelle capsule' }).getAttribute('value');
    await themes.filter.selectOption(value ?? '');
    await expect.poll(() => inbox.rows.count()).toBe(3);
    await themes.sort.selectOption('relevance');
    await expect.poll(async () => (await inbox.rows.first().textContent()) ?? '').toContain('muffa ovunque');

    // The detail highlights the matched words (as text, not markup).
    await inbox.rows.first().click();
    await inbox.detail.waitFor();
    await expect.poll(() => themes.detailHits.count()).toBeGreaterThan(2);
    expect((await themes.detailHits.allTextContents()).map((h) => h.toLowerCase())).toEqual(expect.arrayContaining(['muffa', 'capsule', 'confezione']));
    expect(await inbox.detailText.textContent()).toBe('MUFFA! Muffa nelle capsule e nella confezione: muffa ovunque');
    // A sensitive theme tells the reader that legal reviews any response.
    expect(await b.page.getByTestId('detail-stance').textContent()).toContain('revisione legale');

    await themes.filter.selectOption('');
    await expect.poll(() => inbox.rows.count()).toBe(5);
    expect(b.errors).toEqual([]);
  });

  it('editing a theme re-matches the stored mentions in the background', async () => {
    await open('empty');
    const items = Array.from({ length: 40 }, (_, i) => ({
      source: 'Forum CaffèItalia',
      external_id: `f${i}`,
      text: i % 2 ? `Il cold brew numero ${i} è ottimo` : `La crema numero ${i} è ottima`,
      lang: 'it',
      published_at: new Date(Date.now() - (100 - i) * 1000).toISOString(),
    }));
    await postMentions(v, items);
    const shell = new AppShell(b.page);
    await shell.nav('perimeters').click();
    const p = new PerimetersPage(b.page);
    await p.newBrand.click();
    await p.brandName.fill('Caffe Auora');
    await p.brandName.press('Enter');
    // A typo fixed in place.
    await p.brand('Caffe Auora').getByTestId('brand-rename').click();
    await b.page.getByTestId('rename-input').fill('Caffè Aurora');
    await b.page.getByTestId('rename-input').press('Enter');
    await p.brand('Caffè Aurora').waitFor();
    await p.newThemeIn('Caffè Aurora').click();
    await p.themeName.fill('Cold brew');
    await p.query.fill('"cold brew"');
    await expect.poll(() => p.liveCount()).toBe(20);
    await p.swot('opportunity').click();
    // Without a mouse: the arrow keys move the choice (native radios under the segmented look).
    await p.swot('opportunity').locator('input').press('ArrowRight');
    await expect.poll(() => p.swot('threat').locator('input').isChecked()).toBe(true);
    await expect.poll(() => p.swot('threat').getAttribute('class')).toMatch(/\bon\b/);
    await p.swot('threat').locator('input').press('ArrowLeft');
    await expect.poll(() => p.swot('opportunity').locator('input').isChecked()).toBe(true);
    await p.save.click();
    const row = p.themeRows.filter({ hasText: 'Cold brew' });
    await expect.poll(async () => (await row.textContent())?.trim()).toMatch(/20$/);

    await row.click();
    await p.query.fill('crema OR "cold brew"');
    await expect.poll(() => p.liveCount()).toBe(40);
    await p.save.click();
    await expect.poll(async () => (await row.textContent())?.trim()).toMatch(/40$/);
    await shell.nav('inbox').click();
    const themes = new ThemeInbox(b.page);
    const inbox = new InboxPage(b.page);
    await expect.poll(() => themes.chipsOf(inbox.rowWithText('La crema numero 38')).count()).toBe(1);
    expect(b.errors).toEqual([]);
  });

  it('the demo workspace opens with the Caffè Aurora perimeter', async () => {
    await open('demo');
    const shell = new AppShell(b.page);
    await shell.nav('perimeters').click();
    const p = new PerimetersPage(b.page);
    await p.brand('Caffè Aurora').waitFor();
    await expect.poll(() => p.themeRows.count()).toBeGreaterThanOrEqual(8);
    expect(await p.themeRows.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Muffa nelle capsule'), expect.stringContaining('Cold brew e Giulia Marchetti')]));
    expect(b.errors).toEqual([]);
  });
});
