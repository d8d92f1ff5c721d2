// Publishing channels and manual publishing through the real UI and the real `vedetta serve`:
// a webhook channel (tried with "Prova connessione" against a local receiver that checks the
// HMAC signature; a too-short secret refused in Italian, nothing lost) and a manual channel
// are configured in Settings. Approved responses are queued by the real core (the responses
// workflow is another branch's); the webhook one goes out signed, exactly once, and the
// manual one is copied and its URL recorded (a bad URL refused in Italian first).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/app';
import { silentLogger } from '../../src/core/platform';
import type { PublishChannelView } from '../../src/shared/publishing';
import { FakeWebhookReceiver } from '../support/fake-publish';
import { FakeReddit } from '../support/fake-reddit';
import { ADMIN, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, WelcomePage, signIn } from './support/pages';
import { OutboxSection, PublishChannelsSection } from './support/publishing-pages';

const resourcesDir = resolve(import.meta.dirname, '../../resources');
const hook = new FakeWebhookReceiver();
const reddit = new FakeReddit();
const STRATEGIST: TestUser = { username: 'sara', password: 'password-di-sara-1', roles: ['strategist'], name: 'Sara Strategia' };
const MANAGER: TestUser = { username: 'marco', password: 'password-di-marco-1', roles: ['manager'], name: 'Marco Social' };
const USERS = [ADMIN, STRATEGIST, MANAGER];
const MANUAL_TEXT = 'Ciao! Nessuna chiusura: il locale di via Roma resta aperto, con gli stessi orari.';

beforeAll(async () => {
  await Promise.all([hook.start(), reddit.start()]);
});
afterAll(async () => {
  await Promise.all([hook.stop(), reddit.stop()]);
});

let v: VedettaInstance | null = null;
let b: BrowserSession | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await b?.close();
  await v?.stop();
  b = null;
  v = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function openSettings(instance: VedettaInstance, first: boolean, user: TestUser): Promise<BrowserSession> {
  const session = await openBrowser(instance.uiUrl);
  await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: instance.url });
  await signIn(session.page, user.username, user.password);
  if (first) await new WelcomePage(session.page).startEmpty.click();
  const shell = new AppShell(session.page);
  await shell.ready;
  await shell.nav('settings').click();
  return session;
}

describe('publishing channels and manual publishing', () => {
  it('configures a webhook and a manual channel, then publishes to both exactly once', { timeout: 180_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-e2e-pub-'));
    dirs.push(dataDir);
    v = await startVedetta({ dataDir, users: USERS });
    // The strategist configures channels.
    b = await openSettings(v, true, STRATEGIST);
    const channels = new PublishChannelsSection(b.page);

    // Webhook: "Prova connessione" sends a signed ping; a short secret is refused, the form keeps what was typed.
    await channels.addButton.click();
    await channels.kind.selectOption('webhook');
    await channels.field('Nome').fill('CMS sito');
    await channels.field('Richiede la revisione legale').check();
    await channels.field('Indirizzo del webhook').fill(`${hook.base}/vedetta`);
    await channels.field(/Segreto HMAC/).fill('corto');
    await channels.save.click();
    await expect.poll(() => channels.formError.textContent()).toContain('almeno 16 caratteri');
    expect(await channels.field('Nome').inputValue()).toBe('CMS sito');
    expect(await channels.field('Indirizzo del webhook').inputValue()).toBe(`${hook.base}/vedetta`);
    await channels.field(/Segreto HMAC/).fill(hook.secret);
    await channels.testButton.click();
    await expect.poll(() => channels.testResult.textContent()).toContain('ha accettato una richiesta di prova firmata');
    expect(hook.received).toBe(1);
    expect(hook.deliveries).toHaveLength(0);
    await channels.save.click();
    await channels.row('CMS sito').waitFor();
    expect(await channels.row('CMS sito').textContent()).toContain('Legale');
    expect(await channels.row('CMS sito').getAttribute('data-kind')).toBe('webhook');

    // Manual channel.
    await channels.addButton.click();
    await channels.kind.selectOption('manual');
    await channels.field('Nome').fill('Instagram (a mano)');
    await channels.save.click();
    await channels.row('Instagram (a mano)').waitFor();

    // Editing shows the secret as set, never its value.
    await channels.row('CMS sito').getByRole('button', { name: 'Modifica' }).click();
    expect(await channels.form.textContent()).toContain('impostata');
    expect(await channels.field(/Segreto HMAC/).inputValue()).toBe('');
    expect(await b.page.content()).not.toContain(hook.secret);
    await b.page.keyboard.press('Escape');
    await channels.form.waitFor({ state: 'detached' });

    const list = (await v.api('publishing.channels', {})) as PublishChannelView[];
    await b.close();
    b = null;
    await v.stop();

    // Two approved responses queued by the real core (what the responses workflow calls).
    const core = openApp({ platform: { dataDir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'cli' });
    try {
      const actor = { userId: 2, username: 'marta', displayName: 'Marta', roles: ['manager' as const] };
      const byName = (n: string): number => list.find((c) => c.name === n)!.id;
      core.publishing.enqueue({ responseId: 1, versionId: 1, contentHash: 'a1', channelId: byName('CMS sito'), targetMentionId: null, text: 'Comunicato: nessuna chiusura.', actor });
      core.publishing.enqueue({ responseId: 2, versionId: 1, contentHash: 'b2', channelId: byName('Instagram (a mano)'), targetMentionId: null, text: MANUAL_TEXT, actor });
    } finally {
      core.close();
    }

    // The receiver is down at first: the entry waits for its retry, and the page follows it live.
    hook.forced = [{ status: 503 }, { status: 503 }, { status: 503 }];
    v = await startVedetta({ dataDir, users: USERS, env: { VEDETTA_TEST_PUBLISH_BACKOFF_MS: '4000' } });
    // The manager publishes by hand; channels are not theirs to change.
    b = await openSettings(v, false, MANAGER);
    const outbox = new OutboxSection(b.page);
    await outbox.root.waitFor();

    // The webhook entry goes out by itself, signed, once; its id and URL are shown.
    const webhookRow = outbox.byChannel('CMS sito');
    await expect.poll(() => webhookRow.getAttribute('data-state')).toBe('pending');
    await expect.poll(() => webhookRow.textContent()).toContain('ha risposto 503');
    await expect.poll(() => webhookRow.getAttribute('data-state'), { timeout: 30_000 }).toBe('published');
    expect(hook.deliveries).toHaveLength(1);
    expect(hook.deliveries[0]!.payload).toMatchObject({ type: 'vedetta.publish', text: 'Comunicato: nessuna chiusura.', channel: 'CMS sito' });
    await expect.poll(() => outbox.url(webhookRow).textContent()).toBe(`${hook.base}/posts/wh-1`);

    // Manual: copy the text, a bad URL is refused in Italian, a good one publishes.
    expect(await new PublishChannelsSection(b.page).addButton.count()).toBe(0);
    const manualRow = outbox.byChannel('Instagram (a mano)');
    expect(await manualRow.getAttribute('data-state')).toBe('awaiting_manual');
    await outbox.copy(manualRow).click();
    await expect.poll(() => b!.page.evaluate(() => navigator.clipboard.readText())).toBe(MANUAL_TEXT);
    await outbox.urlInput(manualRow).fill('instagram, post di ieri');
    await outbox.record(manualRow).click();
    await expect.poll(() => outbox.actionError(manualRow).textContent()).toContain("L'indirizzo non è valido");
    expect(await manualRow.getAttribute('data-state')).toBe('awaiting_manual');
    expect(await outbox.urlInput(manualRow).inputValue()).toBe('instagram, post di ieri');
    await outbox.urlInput(manualRow).fill('https://www.instagram.com/p/CaffeAurora1/');
    await outbox.urlInput(manualRow).press('Enter');
    await expect.poll(() => manualRow.getAttribute('data-state')).toBe('published');
    expect(await outbox.url(manualRow).getAttribute('href')).toBe('https://www.instagram.com/p/CaffeAurora1/');

    const entries = (await v.api('publishing.outbox', {})) as { channelName: string; state: string; url: string | null }[];
    expect(entries.map((e) => [e.channelName, e.state, e.url]).sort()).toEqual([
      ['CMS sito', 'published', `${hook.base}/posts/wh-1`],
      ['Instagram (a mano)', 'published', 'https://www.instagram.com/p/CaffeAurora1/'],
    ]);
    // Every step is in the audit log under the person who did it.
    const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
    try {
      const rows = db.prepare(`SELECT actor, action FROM audit_log WHERE action LIKE 'publishing.%' ORDER BY id`).all() as { actor: string; action: string }[];
      expect(rows).toEqual(
        expect.arrayContaining([
          { actor: 'sara', action: 'publishing.channelCreate' },
          { actor: 'marta', action: 'publishing.enqueue' },
          { actor: 'sistema', action: 'publishing.published' },
          { actor: 'marco', action: 'publishing.recordManual' },
        ]),
      );
    } finally {
      db.close();
    }
    // The only console error is the 400 of the refused URL, shown to the user above.
    expect(b.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });

  it('tries a Reddit channel: wrong password refused in Italian, then connected as the account', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-e2e-pub-'));
    dirs.push(dataDir);
    v = await startVedetta({ dataDir, env: reddit.publishEnv(dataDir) });
    b = await openSettings(v, true, ADMIN);
    const channels = new PublishChannelsSection(b.page);
    await channels.addButton.click();
    await channels.kind.selectOption('reddit');
    await channels.field('Nome').fill('Reddit brand');
    await channels.field('Client id dell’app').fill(reddit.app.clientId);
    await channels.field(/^Client secret/).fill(reddit.app.clientSecret);
    await channels.field('Nome utente Reddit').fill(reddit.app.username);
    await channels.field(/^Password/).fill('sbagliata');
    await channels.testButton.click();
    await expect.poll(() => channels.testResult.textContent()).toContain('Reddit non accetta nome utente e password');
    await channels.field(/^Password/).fill(reddit.app.password);
    await channels.testButton.click();
    await expect.poll(() => channels.testResult.textContent()).toBe('Collegato come u/brand_bot.');
    await channels.save.click();
    await channels.row('Reddit brand').waitFor();
    expect(await channels.row('Reddit brand').textContent()).toContain('Client secret, Password');
    expect(reddit.posted()).toHaveLength(0);
  });
});
