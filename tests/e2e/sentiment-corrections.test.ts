// Issue #13 §5 through the real UI in Debian's Chromium against the real `vedetta serve`: a
// manager corrects a mention's sentiment with one key and one click; the badge says
// "corretto da <nome>", the audit view lists the correction, and the crisis the mention
// belongs to counts one negative less. An analyst is offered no control and the API refuses
// them with a 403.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, AuditPage, InboxPage, SessionChip, WelcomePage, signIn } from './support/pages';
import { ADMIN, postMentions, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

const MANAGER: TestUser = { username: 'marta', password: 'password-di-prova-marta', roles: ['manager'], name: 'Marta Ferri' };
const ANALYST: TestUser = { username: 'aldo', password: 'password-di-prova-aldo', roles: ['analyst'], name: 'Aldo Conti' };

let v: VedettaInstance;
let b: BrowserSession;

beforeEach(async () => {
  v = await startVedetta({ users: [ADMIN, MANAGER, ANALYST] });
  b = await openBrowser(v.uiUrl);
});
afterEach(async () => {
  await b?.close();
  await v?.stop();
});

interface Crisis {
  id: number;
  negative: number;
  volume: number;
}

/** A quiet hour, then a negative burst on a sensitive theme: one crisis (as in the moments story). */
async function seedCrisis(): Promise<Crisis> {
  const brand = (await v.api('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
  await v.api('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa nelle capsule', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
  const start = Date.parse('2026-11-20T08:00:00Z');
  const quiet = Array.from({ length: 72 }, (_, i) => ({
    source: 'Reddit r/italy',
    external_id: `q${i}`,
    text: i % 2 ? 'Il barista di Caffè Aurora fa un cappuccino normale' : 'Pausa caffè con gli amici, oggi Aurora',
    lang: 'it',
    published_at: new Date(start + i * 50_000).toISOString(),
  }));
  const burstAt = start + 72 * 50_000;
  const burst = Array.from({ length: 18 }, (_, i) => ({
    source: 'Instagram @caffeaurora',
    external_id: `b${i}`,
    author: `autore-${i}`,
    text: i === 17 ? 'Muffa nelle capsule del lotto 4471, che schifo! Vergogna' : ['Muffa nelle capsule, che schifo! Vergogna', 'Capsule con la muffa e nessuno risponde. Pessimi'][i % 2],
    lang: 'it',
    published_at: new Date(burstAt + i * 10_000).toISOString(),
  }));
  expect((await postMentions(v, quiet)).status).toBe(202);
  expect((await postMentions(v, burst)).status).toBe(202);
  const crisis = async (): Promise<Crisis | undefined> => ((await v.api('moments.list', { kind: 'crisis' })) as { items: Crisis[] }).items[0];
  await expect.poll(crisis, { timeout: 10_000 }).toBeTruthy();
  return (await crisis())!;
}

const crisisNegative = async (id: number): Promise<number> =>
  ((await v.api('moments.get', { id })) as { moment: { negative: number } }).moment.negative;

describe('correcting sentiment', () => {
  it('a manager corrects with a key and a click: badge, «corretto da», audit row and the crisis count change; an analyst cannot', async () => {
    const crisis = await seedCrisis();
    await signIn(b.page, MANAGER.username, MANAGER.password);
    await new WelcomePage(b.page).startEmpty.click();
    const shell = new AppShell(b.page);
    await shell.ready;
    const inbox = new InboxPage(b.page);
    const row = inbox.rowWithText('lotto 4471');
    await row.waitFor();
    expect(await inbox.sentimentBadge(row).getAttribute('data-label')).toBe('negative');
    const id = Number(await row.getAttribute('data-id'));

    // One key: open the mention, "+" marks it positive.
    await row.click();
    await inbox.detail.waitFor();
    const detailBadge = inbox.sentimentBadge(inbox.detail);
    await b.page.keyboard.press('+');
    await expect.poll(() => detailBadge.getAttribute('data-label')).toBe('positive');
    expect(await b.page.getByTestId('sentiment-corrected').textContent()).toMatch(/corretto da Marta Ferri.*Modello: Negativo/);
    expect(await inbox.sentimentBadge(row).getAttribute('data-label')).toBe('positive');
    await expect.poll(() => crisisNegative(crisis.id)).toBe(crisis.negative - 1);

    // One click: the detail's segmented control sets neutral; the badge card keeps the model's label.
    await inbox.detail.getByTestId('sentiment-correct').locator('[data-label="neutral"]').click();
    await expect.poll(() => detailBadge.getAttribute('data-label')).toBe('neutral');
    await detailBadge.focus();
    await inbox.sentimentWhy.waitFor();
    expect(await inbox.sentimentWhy.textContent()).toMatch(/Corretto da Marta Ferri.*Modello: Negativo.*Perché negativo\?/);
    expect(await crisisNegative(crisis.id)).toBe(crisis.negative - 1);

    // The audit view lists both corrections, by Marta, on this mention.
    await b.page.getByTestId('nav-audit').click();
    const audit = new AuditPage(b.page);
    const rows = b.page.locator('[data-testid="audit-row"][data-action="sentiment.correct"]');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain(`mention:${id}`);
    expect(await rows.first().textContent()).toContain('marta');
    expect(await audit.rows.count()).toBeGreaterThan(2);
    expect(b.errors).toEqual([]);

    // An analyst: no control on the row or in the detail, keys do nothing, the API says 403.
    await new SessionChip(b.page).signOut();
    await signIn(b.page, ANALYST.username, ANALYST.password);
    await shell.ready;
    const other = inbox.rowWithText('lotto 4471');
    await other.waitFor();
    await other.click();
    await inbox.detail.waitFor();
    expect(await b.page.getByTestId('sentiment-correct').count()).toBe(0);
    expect(await b.page.getByTestId('sentiment-corrected').textContent()).toContain('corretto da Marta Ferri');
    await b.page.keyboard.press('-');
    await expect.poll(() => inbox.sentimentBadge(inbox.detail).getAttribute('data-label')).toBe('neutral');
    await expect(v.apiAs(ANALYST, 'mentions.correctSentiment', { id, label: 'negative' })).rejects.toThrow(/→ 403: .*Il tuo ruolo non consente/);
    expect(((await v.api('mentions.get', { id })) as { mention: { sentimentLabel: string } }).mention.sentimentLabel).toBe('neutral');
    // A call in flight when Marta signed out is answered 401 (her session is gone), as in the auth story.
    expect(b.errors.filter((e) => !/401 \(Unauthorized\)/.test(e))).toEqual([]);
  }, 90_000);
});
