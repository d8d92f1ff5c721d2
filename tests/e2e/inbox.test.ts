// User stories of issue #2, through the real UI in Debian's Chromium against the real
// `vedetta serve` process and its SQLite file.
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

function mention(i: number, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: 'E2E webhook',
    external_id: `e2e-${i}`,
    url: `https://forum.example.it/t/${i}?utm_source=x`,
    author: `autore${i}`,
    text,
    published_at: new Date(Date.now() - 1000 * (1000 - i)).toISOString(),
    lang: 'it',
    ...extra,
  };
}

describe('live inbox', () => {
  it('opens the demo from the welcome screen and the inbox fills up live', async () => {
    const shell = new AppShell(b.page);
    const welcome = new WelcomePage(b.page);
    await welcome.openDemo.waitFor();
    // Italian by default.
    expect(await b.page.locator('html').getAttribute('lang')).toBe('it');
    await welcome.openDemo.click();
    const inbox = new InboxPage(b.page);
    await inbox.list.waitFor();
    // The replay pushes several batches: the UI applies them as events, live.
    await shell.waitForIngestedEvents(3);
    await inbox.rows.first().waitFor();
    expect(await inbox.rows.count()).toBeGreaterThan(0);
    expect(b.errors).toEqual([]);
  });

  it('shows a webhook mention as soon as it is posted, as inert text', async () => {
    const shell = new AppShell(b.page);
    await new WelcomePage(b.page).startEmpty.click();
    await shell.ready;
    const inbox = new InboxPage(b.page);
    await inbox.list.waitFor();

    let dialogs = 0;
    b.page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const hostile = `Attenzione <script>alert('x')</script><img src=x onerror="alert(1)"> capsule rotte`;
    const res = await postMentions(v, [mention(1, hostile)]);
    expect(res.status).toBe(202);
    const row = inbox.rowWithText('capsule rotte');
    await row.waitFor({ timeout: 5_000 });
    await row.click();
    await b.page.keyboard.press('Enter');
    await inbox.detail.waitFor();
    const shown = await inbox.detailText.textContent();
    // Whatever normalization keeps of the markup, nothing of it may execute or become DOM.
    expect(shown).toContain('capsule rotte');
    expect(await inbox.detail.locator('script, img').count()).toBe(0);
    expect(dialogs).toBe(0);
    expect(b.errors).toEqual([]);
  });

  it('searches with accents folded and opens a mention with the keyboard', async () => {
    const shell = new AppShell(b.page);
    await new WelcomePage(b.page).startEmpty.click();
    await shell.ready;
    const res = await postMentions(v, [
      mention(1, 'Perché le capsule Aurora costano così tanto?'),
      mention(2, 'Consegna veloce, tutto ok'),
      mention(3, 'Il barista di via Roma è gentilissimo'),
    ]);
    expect(res.status).toBe(202);
    const inbox = new InboxPage(b.page);
    await inbox.rowWithText('gentilissimo').waitFor();

    await inbox.searchFor('perche');
    await expect.poll(() => inbox.rows.count()).toBe(1);
    await expect.poll(() => inbox.rows.first().textContent()).toContain('capsule Aurora');

    // Back to the list: j selects, Enter opens, Esc closes.
    await b.page.keyboard.press('Escape');
    await inbox.list.click({ position: { x: 5, y: 5 } }).catch(() => undefined);
    await b.page.keyboard.press('j');
    await b.page.keyboard.press('Enter');
    await inbox.detail.waitFor();
    expect(await inbox.detailText.textContent()).toContain('capsule Aurora');
    await b.page.keyboard.press('Escape');
    await inbox.detail.waitFor({ state: 'hidden' });
  });

  it('keeps the DOM small with thousands of mentions and pages in the older ones on scroll', async () => {
    const shell = new AppShell(b.page);
    await new WelcomePage(b.page).startEmpty.click();
    await shell.ready;
    const inbox = new InboxPage(b.page);
    const base = Date.now() - 10_000_000;
    const batch = Array.from({ length: 5000 }, (_, i) =>
      mention(i, `Menzione numero ${i}`, { published_at: new Date(base + i * 1000).toISOString(), external_id: `many-${i}` }),
    );
    expect((await postMentions(v, batch)).status).toBe(202);
    await expect.poll(async () => Number((await inbox.total.textContent())?.replace(/\D/g, '') || 0)).toBe(5000);
    expect(await inbox.rows.count()).toBeLessThan(200);

    // Scroll to the end repeatedly: each time the list pages in more, until the oldest shows.
    const oldest = inbox.rowWithText('Menzione numero 0');
    for (let k = 0; k < 60 && (await oldest.count()) === 0; k++) {
      await inbox.list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await b.page.waitForTimeout(100);
    }
    await oldest.waitFor();
    expect(await inbox.rows.count()).toBeLessThan(200);
    expect(b.errors).toEqual([]);
  });

  it('holds new mentions behind a pill without moving the reader', async () => {
    const shell = new AppShell(b.page);
    await new WelcomePage(b.page).startEmpty.click();
    await shell.ready;
    const inbox = new InboxPage(b.page);
    const batch = Array.from({ length: 300 }, (_, i) => mention(i, `Messaggio di prova numero ${i}`));
    expect((await postMentions(v, batch)).status).toBe(202);
    await expect.poll(async () => Number((await inbox.total.textContent())?.replace(/\D/g, '') || 0)).toBe(300);

    // Read somewhere in the middle and select a row there.
    await inbox.list.evaluate((el) => el.scrollTo({ top: 2000 }));
    await expect.poll(() => inbox.firstVisibleId()).not.toBeNull();
    const firstBefore = await inbox.firstVisibleId();
    const ids = await inbox.visibleIds();
    const pick = ids[4]!;
    await inbox.row(pick).click();
    expect(await inbox.selectedId()).toBe(pick);

    const before = await shell.ingestedEvents();
    const fresh = Array.from({ length: 5 }, (_, i) => mention(1000 + i, `Appena arrivato ${i}`, { published_at: new Date().toISOString() }));
    expect((await postMentions(v, fresh)).status).toBe(202);
    await shell.waitForIngestedEvents(before + 1);

    await inbox.newPill.waitFor();
    expect(await inbox.newPill.textContent()).toContain('5');
    expect(await inbox.firstVisibleId()).toBe(firstBefore);
    expect(await inbox.selectedId()).toBe(pick);

    await inbox.newPill.click();
    await inbox.rowWithText('Appena arrivato 4').waitFor();
    await expect.poll(() => inbox.list.evaluate((el) => el.scrollTop)).toBe(0);
  });
});
