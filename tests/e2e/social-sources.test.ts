// Social sources through the real UI and the real CLI server: a Mastodon hashtag (with an
// access token) and a private Discourse forum (with an API key), each tried with "Prova",
// saved, polled by the scheduler from a fake service on 127.0.0.1, its items in the inbox;
// editing shows the credential as "impostata", never its value.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { AppShell, InboxPage, SourceFormDialog, SourcesPage } from './support/pages';
import type { VedettaInstance } from '../support/vedetta-process';
import { FakeDiscourse, FakeMastodon } from '../support/fake-social';
import type { SourceView } from '../../src/shared/ops/sources';
import { startSignedIn, stopSignedIn } from './support/session';

const TOKEN = 'tok-e2e-mastodon-91c2';
const API_KEY = 'dk-e2e-forum-55ab';
const mastodon = new FakeMastodon();
const discourse = new FakeDiscourse();

beforeAll(async () => {
  await Promise.all([mastodon.start(), discourse.start()]);
  mastodon.token = TOKEN;
  mastodon.statuses = [
    { id: '3001', username: 'anna', content: '<p>Il nuovo <a href="x">#CaffeAurora</a> in centro è splendido</p>', tags: ['caffeaurora'], created_at: new Date(Date.now() - 120_000).toISOString() },
    { id: '3002', username: 'luca', content: '<p>Troppa coda da <a href="x">#CaffeAurora</a> stamattina</p>', tags: ['caffeaurora'], created_at: new Date(Date.now() - 60_000).toISOString(), in_reply_to_id: '3001' },
    { id: '3003', username: 'zeno', content: '<p>Parlo di altro</p>', tags: ['altro'], created_at: new Date().toISOString() },
  ];
  discourse.apiKey = { key: API_KEY, username: 'system' };
  discourse.topics = [
    { id: 41, title: 'Capsule compatibili Aurora?', slug: 'capsule-compatibili', username: 'gino', userId: 7, created_at: new Date(Date.now() - 90_000).toISOString(), cooked: '<p>Funzionano con la macchina vecchia?</p>', replies: 2 },
  ];
});
afterAll(async () => {
  await Promise.all([mastodon.stop(), discourse.stop()]);
});

let v: VedettaInstance;
let b: BrowserSession;

beforeEach(async () => {
  ({ v, b } = await startSignedIn({ empty: true }));
});
afterEach(async () => {
  await stopSignedIn({ v, b });
});

describe('social sources in the UI', () => {
  it('adds a Mastodon hashtag with a token after trying it, sees the statuses in the inbox, and the token stays hidden', async () => {
    const shell = new AppShell(b.page);
    const sources = new SourcesPage(b.page);
    const form = new SourceFormDialog(b.page);
    await shell.nav('sources').click();
    await sources.addButton.click();
    await form.root.waitFor();
    await form.kind.selectOption('mastodon');
    await form.field('Istanza').fill(mastodon.base);
    await form.field('Hashtag').fill('#CaffeAurora');

    // Without the token this instance refuses: "Prova" says so in Italian.
    await form.test.click();
    await expect.poll(() => form.previewError.textContent()).toMatch(/rifiuta le credenziali \(401\)/);

    await form.secret('accessToken').fill(TOKEN);
    await form.test.click();
    await expect.poll(() => form.previewItems.count()).toBe(2);
    // Shown as it will be stored: plain text, not the status's HTML.
    expect(await form.previewItems.first().textContent()).toMatch(/Troppa coda da #CaffeAurora stamattina/);
    expect(await form.preview.textContent()).not.toMatch(/<p>|<a /);
    expect(await v.api('sources.list', {})).toEqual([]);

    await form.name.fill('Hashtag brand');
    await form.save.click();
    await form.root.waitFor({ state: 'detached' });
    await expect.poll(() => sources.state('Hashtag brand').getAttribute('data-state'), { timeout: 15_000 }).toBe('ok');
    await expect.poll(() => sources.lastHour('Hashtag brand').textContent()).toBe('2');

    await shell.nav('inbox').click();
    const inbox = new InboxPage(b.page);
    await inbox.rowWithText('in centro è splendido').waitFor();
    await inbox.rowWithText('Troppa coda').waitFor();
    expect(await inbox.rows.count()).toBe(2);

    // Editing: the token is "impostata", its value is nowhere in the page; "Prova" still logs in with it.
    await shell.nav('sources').click();
    await sources.action('Hashtag brand', 'edit').click();
    await form.root.waitFor();
    await expect.poll(() => form.secret('accessToken').getAttribute('placeholder')).toMatch(/^impostata/);
    expect(await form.secret('accessToken').inputValue()).toBe('');
    expect(await b.page.content()).not.toContain(TOKEN);
    await form.test.click();
    await expect.poll(() => form.previewItems.count()).toBe(2);
    await b.page.keyboard.press('Escape');
    await form.root.waitFor({ state: 'detached' });

    const [saved] = (await v.api('sources.list', {})) as SourceView[];
    expect(saved).toMatchObject({ kind: 'mastodon', secretNames: ['accessToken'], config: { instanceUrl: mastodon.base, mode: 'hashtag', hashtag: '#CaffeAurora' } });
    expect(JSON.stringify(saved)).not.toContain(TOKEN);
    expect(mastodon.log.filter((l) => l.headers.authorization === `Bearer ${TOKEN}`).length).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('adds a private Discourse forum with an API key; a wrong key turns it red in Italian', async () => {
    const shell = new AppShell(b.page);
    const sources = new SourcesPage(b.page);
    const form = new SourceFormDialog(b.page);
    await shell.nav('sources').click();
    await sources.addButton.click();
    await form.root.waitFor();
    await form.kind.selectOption('discourse');
    await form.field('Indirizzo del forum').fill(discourse.base);
    await form.field('Utente della chiave API').fill('system');
    await form.secret('apiKey').fill(API_KEY);
    await form.test.click();
    await expect.poll(() => form.previewItems.count()).toBe(1);
    await form.name.fill('Forum clienti');
    await form.save.click();
    await form.root.waitFor({ state: 'detached' });
    await expect.poll(() => sources.state('Forum clienti').getAttribute('data-state'), { timeout: 15_000 }).toBe('ok');
    await shell.nav('inbox').click();
    await new InboxPage(b.page).rowWithText('Capsule compatibili Aurora?').waitFor();

    // The key is changed to a wrong one: the next check pauses the source and says why.
    await shell.nav('sources').click();
    await sources.action('Forum clienti', 'edit').click();
    await form.root.waitFor();
    expect(await form.secret('apiKey').getAttribute('placeholder')).toMatch(/^impostata/);
    await form.secret('apiKey').fill('chiave-sbagliata');
    await form.save.click();
    await form.root.waitFor({ state: 'detached' });
    await expect.poll(() => sources.state('Forum clienti').getAttribute('data-state'), { timeout: 15_000 }).toBe('paused');
    expect(await sources.row('Forum clienti').textContent()).toMatch(/il forum nega l'accesso \(403\)/);
    expect(await b.page.content()).not.toContain(API_KEY);
  }, 120_000);
});
