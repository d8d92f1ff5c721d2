// Issue 14 §1 through the real UI in Debian's Chromium against the real `vedetta serve`: a
// brand installs Vedetta the morning something happens. A new workspace (a brand, a sensitive
// theme) hears a quarter of an hour of ordinary chatter through the webhook, then a pile-on:
// the crisis opens at once — no warm-up — and both the banner and the moment's detail say the
// baseline behind it was only 15 minutes old.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, CrisisBanner, MomentsPage, WelcomePage, signIn } from './support/pages';
import { ADMIN, postMentions, startVedetta, type VedettaInstance } from '../support/vedetta-process';

let v: VedettaInstance;
let b: BrowserSession;

beforeEach(async () => {
  v = await startVedetta({ users: [ADMIN] });
  b = await openBrowser(v.uiUrl);
});
afterEach(async () => {
  await b?.close();
  await v?.stop();
});

/** With VEDETTA_SHOTS=<folder>, the screens are saved there to be looked at. */
async function shot(name: string): Promise<void> {
  const dir = process.env.VEDETTA_SHOTS;
  if (dir) await b.page.screenshot({ path: join(dir, `${name}.png`) });
}

const START = Date.parse('2026-11-20T09:00:00Z');
const PILE_ON = START + 15 * 60_000;
const CHATTER = ['Pausa caffè con le colleghe, oggi Aurora', 'Qualcuno ha provato le nuove capsule Aurora?', 'Colazione al bar sotto casa, caffè Aurora come sempre'];
const INSULTS = ['Capsule con la muffa, che schifo! Vergogna Aurora', 'Muffa nelle capsule Aurora, pessimi, mai più', 'Ho trovato la muffa nelle capsule, disgustoso'];

describe('a crisis on the first morning', () => {
  it('opens within a minute of the pile-on on a new workspace and says its baseline is 15 minutes old', async () => {
    const brand = (await v.api('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    await v.api('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa nelle capsule', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
    const chatter = Array.from({ length: 30 }, (_, i) => ({
      source: 'Reddit r/italy',
      external_id: `c${i}`,
      author: `chiacchiera-${i % 9}`,
      text: CHATTER[i % CHATTER.length],
      lang: 'it',
      published_at: new Date(START + i * 30_000).toISOString(),
    }));
    expect((await postMentions(v, chatter)).status).toBe(202);

    await signIn(b.page, ADMIN.username, ADMIN.password);
    await new WelcomePage(b.page).startEmpty.click();
    const shell = new AppShell(b.page);
    await shell.ready;
    const banner = new CrisisBanner(b.page);
    expect(await banner.root.count()).toBe(0);

    const pile = Array.from({ length: 40 }, (_, i) => ({
      source: 'Instagram',
      external_id: `p${i}`,
      author: `arrabbiato-${i}`,
      text: INSULTS[i % INSULTS.length],
      lang: 'it',
      published_at: new Date(PILE_ON + i * 3_000).toISOString(),
    }));
    expect((await postMentions(v, pile)).status).toBe(202);
    await banner.root.waitFor();
    expect(await banner.title.textContent()).toContain('Crisi aperta: Muffa nelle capsule');
    expect(await banner.youngBaseline.textContent()).toBe('base di riferimento di 15 minuti');
    const [crisis] = ((await v.api('moments.list', { kind: 'crisis' })) as { items: { openedAt: string; baselineMinutes: number; baselineFull: boolean }[] }).items;
    expect(Date.parse(crisis!.openedAt) - PILE_ON).toBeLessThan(60_000);
    expect(crisis).toMatchObject({ baselineMinutes: 15, baselineFull: false });
    await shot('moments-coldstart-banner');

    await banner.open.click();
    const moments = new MomentsPage(b.page);
    await expect.poll(async () => (await moments.title.textContent()) ?? '').toContain('Muffa nelle capsule');
    expect(await moments.youngBaseline.textContent()).toBe('base di riferimento di 15 minuti');
    expect(await moments.youngBaseline.getAttribute('title')).toMatch(/stima prudente/);
    await shot('moments-coldstart-detail');
  });
});
