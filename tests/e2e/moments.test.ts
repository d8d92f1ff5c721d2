// Moments through the real UI: a quiet hour builds a baseline, then a burst of negative
// mentions on a sensitive theme arrives through the webhook; the crisis appears live in the
// Moments view (with an alert), shows its timeline, themes and top mentions, and its mentions
// open in the inbox filtered by the moment.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { AppShell, InboxPage, MomentsPage } from './support/pages';
import { postMentions, type VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';

let v: VedettaInstance;
let b: BrowserSession;

/** Signed in as the admin, as the UI is. */
async function rpc<T>(op: string, input: unknown): Promise<T> {
  return (await v.api(op, input)) as T;
}

beforeEach(async () => {
  ({ v, b } = await startSignedIn({ empty: true }));
});
afterEach(async () => {
  await stopSignedIn({ v, b });
});

describe('moments', () => {
  it('a negative burst on a sensitive theme opens a crisis live; its timeline, top mentions and inbox mentions are one click away', async () => {
    const brand = await rpc<{ id: number }>('perimeters.brandCreate', { name: 'Caffè Aurora' });
    await rpc('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa nelle capsule', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
    await rpc('perimeters.themeCreate', { brandId: brand.id, name: 'Esperienza al bar', query: 'barista OR cappuccino', swot: 'strength', stance: 'in_perimeter' });

    // A quiet hour of published time: a few ordinary mentions every five minutes.
    const start = Date.parse('2026-11-20T08:00:00Z');
    const quiet = Array.from({ length: 72 }, (_, i) => ({
      source: i % 2 ? 'X/Twitter' : 'Reddit r/italy',
      external_id: `q${i}`,
      text: i % 3 ? `Il barista di Caffè Aurora fa un cappuccino ${['ottimo', 'buono', 'normale'][i % 3]}` : 'Pausa caffè con gli amici, oggi Aurora',
      lang: 'it',
      published_at: new Date(start + i * 50_000).toISOString(),
    }));
    expect((await postMentions(v, quiet)).status).toBe(202);

    const shell = new AppShell(b.page);
    await shell.nav('moments').click();
    const moments = new MomentsPage(b.page);
    await moments.empty.waitFor();

    // The burst: 18 negative mentions about mould in the capsules within three minutes.
    const burstAt = start + 72 * 50_000;
    const burst = Array.from({ length: 18 }, (_, i) => ({
      source: 'Instagram @caffeaurora',
      external_id: `b${i}`,
      text: ['Muffa nelle capsule, che schifo! Vergogna', 'Ho trovato la muffa nelle capsule Aurora, inaccettabile', 'Capsule con la muffa e nessuno risponde. Pessimi'][i % 3],
      lang: 'it',
      likes: 100 - i,
      published_at: new Date(burstAt + i * 10_000).toISOString(),
    }));
    expect((await postMentions(v, burst)).status).toBe(202);

    // Live: the crisis row appears without reloading, with an alert.
    await moments.crisisRows().first().waitFor();
    await moments.toast.first().waitFor();
    expect(await moments.toast.first().textContent()).toContain('Muffa nelle capsule');
    await moments.crisisRows().first().click();
    expect(await moments.title.textContent()).toContain('Muffa nelle capsule');
    await moments.timeline.waitFor();
    expect(await moments.timeline.locator('rect.bar:not(.neg)').count()).toBeGreaterThan(10);
    await expect.poll(async () => (await moments.topMentions.textContent()) ?? '').toMatch(/muffa/i);
    expect(await moments.themes.textContent()).toMatch(/Sensibile/);

    // Keyboard: Enter opens the moment's mentions in the inbox, filtered by the moment.
    await b.page.keyboard.press('Enter');
    const inbox = new InboxPage(b.page);
    await b.page.getByTestId('moment-filter-chip').waitFor();
    await inbox.rowWithText('Muffa nelle capsule, che schifo').first().waitFor();
    const detail = await rpc<{ items: { id: number; volume: number }[] }>('moments.list', { kind: 'crisis' });
    await expect.poll(async () => (await inbox.total.textContent()) ?? '').toContain(String(detail.items[0]!.volume));
    const texts = (await inbox.rows.allTextContents()).join('\n');
    expect(texts).not.toContain('cappuccino ottimo');
    expect(b.errors).toEqual([]);
  });

  it('the demo replayed fast from Settings: the crisis opens live as «Boicottaggio e proteste» within a minute of the pile-on, the Settimana del Caffè opportunity follows, the quiet hours open nothing', async () => {
    const shell = new AppShell(b.page);
    await shell.nav('settings').click();
    await b.page.getByTestId('settings-demo-speed').selectOption('1000');
    await b.page.getByTestId('demo-start').click();
    await shell.nav('moments').click();
    const moments = new MomentsPage(b.page);

    // Live: the crisis row appears while the replay runs, with its alert, named after the theme.
    await moments.crisisRows().first().waitFor({ timeout: 90_000 });
    await moments.toast.first().waitFor();
    expect(await moments.toast.first().textContent()).toContain('Boicottaggio e proteste');
    // The whole recording (5½ hours of stream time at 1000×).
    await expect.poll(async () => (await rpc<{ running: boolean; emitted: number; total: number }>('demo.state', {})).running, { timeout: 120_000, interval: 500 }).toBe(false);
    const state = await rpc<{ emitted: number; total: number }>('demo.state', {});
    expect(state.emitted).toBe(state.total);

    // One crisis and one opportunity, in the rows the user sees.
    await expect.poll(async () => moments.rows.count(), { timeout: 10_000 }).toBe(2);
    expect(await moments.crisisRows().count()).toBe(1);
    expect(await moments.crisisRows().first().textContent()).toContain('Boicottaggio e proteste');
    // Opened within a minute of stream time of the first pile-on mention ("Richiamate le
    // capsule…", 10:31:11 in the recording; the replay moves every stamp by one constant), not before.
    const { items } = await rpc<{ items: { id: number; kind: string; title: string; openedAt: string }[] }>('moments.list', {});
    const crisis = items.find((m) => m.kind === 'crisis')!;
    const pile = await rpc<{ items: { text: string; publishedAt: string }[] }>('mentions.list', { query: { text: 'richiamate tazzine boicottaAurora' }, limit: 500 });
    const firstPile = Math.min(...pile.items.map((m) => Date.parse(m.publishedAt)));
    const shift = firstPile - Date.parse('2026-11-20T10:31:11.593Z');
    const delay = Date.parse(crisis.openedAt) - firstPile;
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(60_000);
    // The opportunity gathers the Settimana del Caffè and the cold brew of the TV chef (one
    // episode: which of the two names it depends on where the 5-minute windows fall on the
    // replay's shifted clock).
    const opportunity = items.find((m) => m.kind === 'opportunity')!;
    const opened = Date.parse(opportunity.openedAt) - shift;
    expect(opened).toBeGreaterThanOrEqual(Date.parse('2026-11-20T12:30:00Z'));
    expect(opened).toBeLessThan(Date.parse('2026-11-20T13:15:00Z'));
    const detail = await rpc<{ themes: { name: string }[] }>('moments.get', { id: opportunity.id });
    expect(detail.themes.map((t) => t.name)).toContain('Settimana del Caffè');
    expect(b.errors).toEqual([]);
  }, 240_000);

  it('the thresholds are edited in place: a bad value says why in Italian and saves nothing, a good one recomputes', async () => {
    const shell = new AppShell(b.page);
    await shell.nav('moments').click();
    await b.page.getByTestId('moment-settings-toggle').click();
    const z = b.page.getByTestId('moment-set-zThreshold');
    await expect.poll(async () => z.inputValue()).toBe('3');
    await z.fill('tre');
    await b.page.getByRole('button', { name: 'Salva e ricalcola' }).click();
    await expect.poll(async () => (await b.page.getByTestId('moment-settings-error').textContent()) ?? '').toMatch(/deve essere un numero/);
    await z.fill('0,5');
    await b.page.getByRole('button', { name: 'Salva e ricalcola' }).click();
    await expect.poll(async () => (await b.page.getByTestId('moment-settings-error').textContent()) ?? '').toMatch(/Soglie non salvate: Soglia \(deviazioni standard\): almeno 1,5/);
    expect(await rpc<{ zThreshold: number }>('moments.settings', {})).toMatchObject({ zThreshold: 3 });
    await z.fill('4,5');
    await b.page.getByRole('button', { name: 'Salva e ricalcola' }).click();
    await b.page.getByTestId('moment-settings').waitFor({ state: 'detached' });
    expect(await rpc<{ zThreshold: number }>('moments.settings', {})).toMatchObject({ zThreshold: 4.5 });
    // The refused save is a 400 the browser logs; nothing else went wrong.
    expect(b.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});
