// Bot/spam flags as a reader meets them: a copy-paste campaign gets a badge on every copy
// (earlier copies included, live), the reason is in the detail pane, and a pile-on of short
// reactions stays unflagged. Real `vedetta serve`, real Chromium.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { AppShell, InboxPage, WelcomePage } from './support/pages';
import { postMentions, type VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';

let v: VedettaInstance;
let b: BrowserSession;

beforeEach(async () => {
  ({ v, b } = await startSignedIn());
});
afterEach(async () => {
  await stopSignedIn({ v, b });
});

const CAMPAIGN = 'Caffè Aurora usa chicchi scadenti, boicottiamolo tutti! Condividete prima che lo cancellino.';
const base = Date.now() - 5 * 60_000;
const copy = (i: number) => ({
  source: 'Mastodon #caffeaurora',
  external_id: `camp-${i}`,
  author: `account${i}`,
  text: CAMPAIGN,
  published_at: new Date(base + i * 4_000).toISOString(),
});

describe('bot/spam flags in the inbox', () => {
  it('flags every copy of a campaign live, explains why, and leaves a pile-on alone', async () => {
    const shell = new AppShell(b.page);
    await new WelcomePage(b.page).startEmpty.click();
    await shell.ready;
    const inbox = new InboxPage(b.page);
    await inbox.list.waitFor();

    const pileOn = Array.from({ length: 12 }, (_, i) => ({
      source: 'Reddit r/italy',
      external_id: `pile-${i}`,
      author: `persona${i}`,
      text: 'Vergogna!',
      published_at: new Date(base + i * 1_000).toISOString(),
    }));
    expect((await postMentions(v, [...pileOn, copy(0), copy(1), copy(2)])).status).toBe(202);
    await inbox.rowWithText('boicottiamolo').first().waitFor();
    expect(await inbox.flagBadges.count()).toBe(0);

    // Three more copies: now six authors wrote the same text within seconds.
    expect((await postMentions(v, [copy(3), copy(4), copy(5)])).status).toBe(202);
    await b.page.waitForFunction(() => document.querySelectorAll('[data-testid="flag-badge"]').length === 6);
    const campaignRows = inbox.rowWithText('boicottiamolo');
    expect(await campaignRows.count()).toBe(6);
    for (let i = 0; i < 6; i++) expect(await campaignRows.nth(i).getByTestId('flag-badge').textContent()).toContain('copia-incolla');
    expect(await inbox.rowWithText('Vergogna!').getByTestId('flag-badge').count()).toBe(0);

    await campaignRows.last().click();
    await b.page.keyboard.press('Enter');
    await inbox.detailFlag.waitFor();
    const why = await inbox.detailFlag.textContent();
    expect(why).toContain('Lo stesso testo da 6 autori diversi');
    expect(why).toContain('Segnalata, non eliminata');
    expect(b.errors).toEqual([]);
  });
});
