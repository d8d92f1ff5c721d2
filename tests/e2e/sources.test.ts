// Sources through the real UI: add a feed (trying it first), see its items in the inbox,
// break the feed server and see the health turn red with the reason; pause, resume,
// delete with confirmation; a feed that is gone pauses itself and the user is told.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { AppShell, InboxPage, SourceFormDialog, SourcesPage } from './support/pages';
import { postMentions, type VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';

let mode: 'ok' | '503' | 'xml' = 'ok';
let feedServer: http.Server;
let feedBase = '';
const ITEMS = ['Caffè Aurora apre a Bologna', 'Prezzi delle capsule in aumento', 'La nuova miscela divide il forum'];

beforeAll(async () => {
  feedServer = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    if (p === '/gone') {
      res.writeHead(410).end();
      return;
    }
    if (mode === '503') {
      res.writeHead(503).end();
      return;
    }
    if (mode === 'xml') {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end('<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n<item><title>rotto</titolo></item>\n</channel></rss>');
      return;
    }
    const items = ITEMS.map(
      (t, i) =>
        `<item><title>${t}</title><link>https://notizie.example/${i}</link><guid>n${i}</guid><description>${t}, dice la redazione.</description><pubDate>${new Date(Date.now() - i * 60_000).toUTCString()}</pubDate></item>`,
    ).join('');
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Notizie</title>${items}</channel></rss>`);
  });
  await new Promise<void>((r) => feedServer.listen(0, '127.0.0.1', r));
  feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  feedServer.closeAllConnections();
  await new Promise((r) => feedServer.close(r));
});

let v: VedettaInstance;
let b: BrowserSession;

beforeEach(async () => {
  mode = 'ok';
  ({ v, b } = await startSignedIn({ empty: true }));
});
afterEach(async () => {
  await stopSignedIn({ v, b });
});

describe('sources', () => {
  it('adds a feed from the UI after trying it, sees its items arrive, then sees the health turn red with the reason', async () => {
    const shell = new AppShell(b.page);
    const sources = new SourcesPage(b.page);
    const form = new SourceFormDialog(b.page);
    await shell.nav('sources').click();

    // Keyboard only: open the form, fill it, try it.
    await sources.addButton.focus();
    await b.page.keyboard.press('Enter');
    await form.root.waitFor();
    await form.url.fill('ftp://non-va');
    await form.save.click();
    await expect.poll(() => form.error.textContent()).toMatch(/http:\/\/ o https:\/\//);

    await form.url.fill(`${feedBase}/notizie`);
    await form.name.fill('Notizie locali');
    await form.interval.fill('10');
    await form.test.click();
    await expect.poll(() => form.previewItems.count()).toBe(3);
    expect(await form.preview.textContent()).toMatch(/nulla è stato salvato/);
    // The dry run stored nothing.
    expect(await v.api('sources.list', {})).toEqual([]);

    await form.name.press('Enter');
    await form.root.waitFor({ state: 'detached' });
    await expect.poll(() => sources.state('Notizie locali').getAttribute('data-state'), { timeout: 15_000 }).toBe('ok');
    await expect.poll(() => sources.lastHour('Notizie locali').textContent()).toBe('3');

    await shell.nav('inbox').click();
    const inbox = new InboxPage(b.page);
    for (const t of ITEMS) await inbox.rowWithText(t).waitFor();
    expect(await inbox.rows.count()).toBe(3);

    // The server breaks: the next check shows it, in Italian, in red.
    mode = '503';
    await shell.nav('sources').click();
    await sources.action('Notizie locali', 'poll').click();
    await expect.poll(() => sources.state('Notizie locali').getAttribute('data-state'), { timeout: 15_000 }).toBe('failing');
    expect(await sources.error('Notizie locali').textContent()).toMatch(/il feed ha risposto 503/);
    expect(await sources.state('Notizie locali').textContent()).toMatch(/In errore/);
    const color = await sources.row('Notizie locali').locator('.dot').evaluate((e) => getComputedStyle(e).backgroundColor);
    const danger = await b.page.evaluate(() => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--c-danger)';
      document.body.append(probe);
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    });
    expect(color).toBe(danger);

    mode = 'xml';
    await sources.action('Notizie locali', 'poll').click();
    await expect.poll(() => sources.error('Notizie locali').textContent(), { timeout: 15_000 }).toMatch(/XML non valido alla riga 4/);

    // Nothing was stored twice, nothing lost.
    await shell.nav('inbox').click();
    await inbox.rowWithText(ITEMS[0]!).waitFor();
    expect(await inbox.rows.count()).toBe(3);
    // The one refused save (ftp://) is a 400 the browser logs; nothing else went wrong.
    expect(b.errors.filter((e) => !e.includes('400 (Bad Request)'))).toEqual([]);
  });

  it('pauses, resumes and deletes a source with confirmation; a feed that is gone pauses itself and says why', async () => {
    const shell = new AppShell(b.page);
    const sources = new SourcesPage(b.page);
    await v.api('sources.add', { kind: 'rss', name: 'Feed buono', config: { url: `${feedBase}/notizie` } });
    await shell.nav('sources').click();
    await expect.poll(() => sources.state('Feed buono').getAttribute('data-state'), { timeout: 15_000 }).toBe('ok');

    // "Prova" on a stored source previews without storing.
    await sources.action('Feed buono', 'test').click();
    await expect.poll(() => sources.previewDialog.getByTestId('source-preview-item').count()).toBe(3);
    await b.page.keyboard.press('Escape');
    await sources.previewDialog.waitFor({ state: 'detached' });

    // Edit: the form comes back filled; a new interval is saved.
    const form = new SourceFormDialog(b.page);
    await sources.action('Feed buono', 'edit').click();
    await form.root.waitFor();
    expect(await form.url.inputValue()).toBe(`${feedBase}/notizie`);
    expect(await form.interval.inputValue()).toBe('5');
    await form.interval.fill('15');
    await form.save.click();
    await form.root.waitFor({ state: 'detached' });
    const [edited] = (await v.api('sources.list', {})) as { intervalSec: number }[];
    expect(edited?.intervalSec).toBe(900);

    await sources.action('Feed buono', 'pause').click();
    await expect.poll(() => sources.state('Feed buono').getAttribute('data-state')).toBe('paused');
    expect(await sources.error('Feed buono').textContent()).toMatch(/Messa in pausa da te/);
    await sources.action('Feed buono', 'resume').click();
    await expect.poll(() => sources.state('Feed buono').getAttribute('data-state')).toBe('ok');

    // A feed that answers 410 is paused at once; the user is told even on another screen.
    await shell.nav('inbox').click();
    await v.api('sources.add', { kind: 'rss', name: 'Feed sparito', config: { url: `${feedBase}/gone` } });
    await sources.pausedAlert.waitFor({ timeout: 15_000 });
    expect(await sources.pausedAlert.textContent()).toMatch(/«Feed sparito» è stata sospesa\. Sospesa: il feed è sparito \(410\)/);
    await sources.pausedAlert.getByRole('button').click();
    await expect.poll(() => sources.state('Feed sparito').getAttribute('data-state')).toBe('paused');
    expect(await sources.pausedNotice.count()).toBe(1);

    // Delete asks first and says how many mentions go; Esc cancels.
    await sources.action('Feed buono', 'delete').click();
    await sources.deleteDialog.waitFor();
    expect(await sources.deleteDialog.textContent()).toMatch(/3 menzioni/);
    await b.page.keyboard.press('Escape');
    await sources.deleteDialog.waitFor({ state: 'detached' });
    expect(await sources.rows.count()).toBe(2);
    await sources.action('Feed buono', 'delete').click();
    await sources.deleteConfirm.click();
    await expect.poll(() => sources.rows.count()).toBe(1);
    await expect.poll(async () => ((await v.api('mentions.list', { limit: 1 })) as { total: number }).total).toBe(0);
    expect(b.errors).toEqual([]);
  });

  it('webhook sources sit in the same list with their health', async () => {
    expect((await postMentions(v, [{ source: 'Zapier', external_id: 'z1', text: 'Dal webhook' }])).status).toBe(202);
    const sources = new SourcesPage(b.page);
    await new AppShell(b.page).nav('sources').click();
    await expect.poll(() => sources.state('Zapier').getAttribute('data-state')).toBe('ok');
    expect(await sources.lastHour('Zapier').textContent()).toBe('1');
    expect(await sources.row('Zapier').textContent()).toMatch(/in arrivo da sola/);
    // Pushed sources are not polled: no Prova, Pausa or Modifica, only Elimina.
    expect(await sources.action('Zapier', 'test').count()).toBe(0);
    expect(await sources.action('Zapier', 'delete').count()).toBe(1);
  });

  it('offers Reddit without API through its RSS address and says what each way gives', async () => {
    const sources = new SourcesPage(b.page);
    const form = new SourceFormDialog(b.page);
    await new AppShell(b.page).nav('sources').click();
    await sources.addButton.click();
    await form.kind.selectOption('reddit_rss');
    await form.root.getByLabel('Subreddit', { exact: true }).fill('italy');
    await expect.poll(() => form.redditHint.textContent()).toMatch(/https:\/\/www\.reddit\.com\/r\/italy\/new\/\.rss/);
    expect(await form.redditHint.textContent()).toMatch(/senza punteggi/);
    expect(await form.redditHint.textContent()).toMatch(/Con l’API/);
    await form.root.getByLabel('Subreddit', { exact: true }).fill('non valido!');
    await expect.poll(() => form.redditHint.textContent()).toMatch(/nome di subreddit non valido/);
  });
});
