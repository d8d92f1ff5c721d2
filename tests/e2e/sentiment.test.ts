// User stories of issue #4 §1 (sentiment), through the real UI in Debian's Chromium against
// the real `vedetta serve` process: mentions arrive by webhook without a language, get
// the right badges, hovering a badge says why, and the inbox filters by sentiment.
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

const MENTIONS = [
  { id: 'neg-it', text: 'Capsule arrivate rotte e il servizio clienti non risponde. Che vergogna!', label: 'negative' },
  { id: 'pos-it', text: 'Il nuovo blend è buonissimo, consigliatissimo 😍', label: 'positive' },
  { id: 'neu-it', text: 'La consegna è prevista per martedì a Milano.', label: 'neutral' },
  { id: 'neg-en', text: 'Worst customer service ever. The machine stopped working after two days 😡', label: 'negative' },
  { id: 'pos-en', text: 'I really love the new cold brew, great job!', label: 'positive' },
] as const;

async function seed(): Promise<InboxPage> {
  const shell = new AppShell(b.page);
  await new WelcomePage(b.page).startEmpty.click();
  await shell.ready;
  const inbox = new InboxPage(b.page);
  await inbox.list.waitFor();
  const res = await postMentions(
    v,
    MENTIONS.map((m, i) => ({
      source: 'E2E sentiment',
      external_id: m.id,
      author: `autore-${i}`,
      text: m.text,
      published_at: new Date(Date.now() - (MENTIONS.length - i) * 60_000).toISOString(),
    })),
  );
  expect(res.status).toBe(202);
  await expect.poll(() => inbox.rows.count(), { timeout: 10_000 }).toBe(MENTIONS.length);
  return inbox;
}

describe('sentiment in the inbox', () => {
  it('shows the right badge on each Italian and English mention', async () => {
    const inbox = await seed();
    for (const m of MENTIONS) {
      const badge = inbox.sentimentBadge(inbox.rowWithText(m.text.slice(0, 30)));
      expect(await badge.getAttribute('data-label'), m.text).toBe(m.label);
    }
    const neg = inbox.sentimentBadge(inbox.rowWithText('Capsule arrivate rotte'));
    expect((await neg.textContent())?.trim()).toBe('Negativo');
    expect(b.errors).toEqual([]);
  });

  it('hovering a badge says why: the words that drove the score', async () => {
    const inbox = await seed();
    await inbox.sentimentBadge(inbox.rowWithText('Capsule arrivate rotte')).hover();
    const why = inbox.sentimentWhy;
    await why.waitFor();
    const card = (await why.textContent()) ?? '';
    expect(card).toContain('Perché negativo?');
    // The model's reasons, in the mention's own words, with their (negative) pull.
    expect(card).toMatch(/vergogna\s*−\d/);
    expect(card).toMatch(/rotte\s*−\d/);
    // Leaving the badge closes the card.
    await b.page.mouse.move(5, 5);
    await expect.poll(() => why.count()).toBe(0);

    // The detail pane lists the drivers too, and its badge opens the card from the keyboard.
    await inbox.rowWithText('buonissimo').click();
    await b.page.keyboard.press('Enter');
    await inbox.detail.waitFor();
    expect(await inbox.detailDrivers.textContent()).toContain('buonissimo');
    await inbox.sentimentBadge(inbox.detail).focus();
    await why.waitFor();
    expect(await why.textContent()).toContain('Perché positivo?');
    expect(b.errors).toEqual([]);
  });

  it('filters the inbox by negative sentiment, and the filter follows live arrivals', async () => {
    const inbox = await seed();
    await inbox.sentimentFilter.selectOption('negative');
    await expect.poll(() => inbox.rows.count()).toBe(2);
    const texts = await inbox.rows.allTextContents();
    expect(texts.some((x) => x.includes('Capsule arrivate rotte'))).toBe(true);
    expect(texts.some((x) => x.includes('Worst customer service'))).toBe(true);

    // A new negative mention appears under the filter; a positive one does not.
    await postMentions(v, [
      { source: 'E2E sentiment', external_id: 'late-neg', text: 'Ennesimo ritardo, siete una truffa' },
      { source: 'E2E sentiment', external_id: 'late-pos', text: 'Grazie mille, servizio impeccabile' },
    ]);
    await inbox.rowWithText('Ennesimo ritardo').waitFor({ timeout: 10_000 });
    expect(await inbox.rows.count()).toBe(3);
    expect(await inbox.rowWithText('servizio impeccabile').count()).toBe(0);

    await inbox.sentimentFilter.selectOption('');
    await expect.poll(() => inbox.rows.count()).toBe(MENTIONS.length + 2);
    expect(b.errors).toEqual([]);
  });
});
