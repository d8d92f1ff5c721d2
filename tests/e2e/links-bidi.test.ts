// Issue #18 item 4 through the real UI: a reviewer reading outside mentions in the inbox.
// A javascript: link is never clickable, a link with credentials opens where it truly goes,
// a look-alike host is shown in punycode with a warning, and a right-to-left override in a
// mention's text is dropped at ingest, and outside text is shown isolated, so it cannot
// reorder what the reviewer reads.
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

const at = (i: number): string => new Date(Date.now() - 60_000 * (10 - i)).toISOString();

describe('links and outside text a reviewer can trust', () => {
  it('inert bad links, stripped credentials, flagged look-alikes, isolated right-to-left text', async () => {
    await new WelcomePage(b.page).startEmpty.click();
    await new AppShell(b.page).ready;
    const inbox = new InboxPage(b.page);
    await inbox.list.waitFor();
    const posted = await postMentions(v, [
      { source: 'Forum', external_id: 'js', url: 'javascript:alert(document.cookie)', text: 'Link trappola verso uno script', published_at: at(1), lang: 'it' },
      { source: 'Forum', external_id: 'cred', url: 'https://www.caffeaurora.it@evil.example/login', text: 'Link con credenziali nascoste', published_at: at(2), lang: 'it' },
      { source: 'Forum', external_id: 'idn', url: 'https://caffeаurora.it/promo', text: 'Link a un sito sosia', published_at: at(3), lang: 'it' },
      { source: 'Forum', external_id: 'rlo', url: 'https://forum.example.it/t/9', text: 'Allegato \u202Efdp.exe\u202C da aprire', published_at: at(4), lang: 'it' },
    ]);
    expect(posted.status).toBe(202);
    await expect.poll(() => inbox.rows.count()).toBe(4);

    await inbox.rowWithText('Link trappola').click();
    await inbox.detailText.getByText('Link trappola').waitFor();
    expect(await inbox.detail.getByTestId('detail-open-original').count()).toBe(0);
    expect(await inbox.detail.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await inbox.detail.textContent()).toContain('Nessun link verificabile');

    await inbox.rowWithText('credenziali nascoste').click();
    await inbox.detailText.getByText('credenziali nascoste').waitFor();
    const cred = inbox.detail.getByTestId('detail-open-original');
    expect(await cred.getAttribute('href')).toBe('https://evil.example/login');
    expect(await inbox.detail.getByTestId('link-host').textContent()).toContain('evil.example');

    await inbox.rowWithText('sito sosia').click();
    await inbox.detailText.getByText('sito sosia').waitFor();
    const flag = inbox.detail.getByTestId('link-lookalike');
    expect(await flag.textContent()).toContain('xn--');
    expect(await inbox.detail.getByTestId('detail-open-original').getAttribute('href')).toMatch(/^https:\/\/xn--/);

    // The override is dropped at ingest, so the reviewer reads the file's true name, and the
    // element holding outside text is a bidi isolate in the row and in the detail.
    const row = inbox.rowWithText('Allegato');
    expect(await row.locator('.text').textContent()).toBe('Allegato fdp.exe da aprire');
    const rowBidi = await row.locator('.text').evaluate((e) => getComputedStyle(e).unicodeBidi);
    expect(rowBidi).toBe('isolate');
    await row.click();
    const detailBidi = await inbox.detailText.locator('bdi').first().evaluate((e) => getComputedStyle(e).unicodeBidi);
    expect(detailBidi).toBe('isolate');
    expect(b.errors).toEqual([]);
  });
});
