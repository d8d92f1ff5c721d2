// "Più rilevanti" in the inbox without choosing a theme: each mention ranks by its best
// theme, the ones no theme names follow by time.
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { InboxPage, ThemeInbox } from './support/pages';
import { postMentions, type VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';

let v: VedettaInstance;
let b: BrowserSession;

afterEach(async () => {
  await stopSignedIn({ v, b });
});

describe('inbox sorted by relevance', () => {
  it('is offered with every theme and ranks each mention by its best theme', async () => {
    ({ v, b } = await startSignedIn({ empty: true }));

    const brand = (await v.api('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    await v.api('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa', query: 'muffa', swot: 'threat' });
    await v.api('perimeters.themeCreate', { brandId: brand.id, name: 'Consegna', query: 'consegna', swot: 'weakness' });
    const now = Date.now();
    const at = (s: number): string => new Date(now - s * 1000).toISOString();
    const posted = await postMentions(v, [
      { source: 'Trustpilot', external_id: 'm1', text: 'MUFFA! Muffa nelle capsule, muffa ovunque', lang: 'it', published_at: at(40) },
      { source: 'Reddit r/italy', external_id: 'm2', text: 'La consegna è arrivata in ritardo', lang: 'it', published_at: at(30) },
      { source: 'X/Twitter', external_id: 'm3', text: 'Pausa caffè al bar sotto casa', lang: 'it', published_at: at(20) },
      { source: 'X/Twitter', external_id: 'm4', text: 'Pausa pranzo, poi riunione', lang: 'it', published_at: at(10) },
    ]);
    expect(posted.status).toBe(202);

    const inbox = new InboxPage(b.page);
    const themes = new ThemeInbox(b.page);
    await inbox.rowWithText('riunione').waitFor();
    const order = async (): Promise<string[]> =>
      (await inbox.rows.allTextContents()).map((t) => (/muffa ovunque/.test(t) ? 'm1' : /consegna/.test(t) ? 'm2' : /bar sotto casa/.test(t) ? 'm3' : /riunione/.test(t) ? 'm4' : t));
    await expect.poll(order).toEqual(['m4', 'm3', 'm2', 'm1']);

    // No theme chosen, and the order is still offered.
    expect(await themes.filter.inputValue()).toBe('');
    expect(await themes.sort.isDisabled()).toBe(false);
    expect(await themes.sort.locator('option[value="relevance"]').textContent()).toBe('Più rilevanti');
    await themes.sort.selectOption('relevance');
    // Three "muffa" beat one "consegna"; the posts no theme names follow, newest first.
    await expect.poll(order).toEqual(['m1', 'm2', 'm4', 'm3']);

    // Choosing a theme and going back to all of them keeps the order the reader picked.
    const value = await themes.filter.locator('option', { hasText: 'Consegna' }).getAttribute('value');
    await themes.filter.selectOption(value ?? '');
    await expect.poll(order).toEqual(['m2']);
    await themes.filter.selectOption('');
    expect(await themes.sort.inputValue()).toBe('relevance');
    await expect.poll(order).toEqual(['m1', 'm2', 'm4', 'm3']);

    await themes.sort.selectOption('time');
    await expect.poll(order).toEqual(['m4', 'm3', 'm2', 'm1']);
    expect(b.errors).toEqual([]);
  });
});
