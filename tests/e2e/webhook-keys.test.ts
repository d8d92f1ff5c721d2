// Issue #16 item 4 through the real UI: an administrator wires an outside system to the
// webhook with a key of its own. Impostazioni lists the key VEDETTA_WEBHOOK_TOKEN made at the
// start; a new key "Zapier" shows its token once, which sends a mention that reaches the inbox;
// rotating it refuses the old token at once; after «Fatto» no token is left in the page; the key
// is deleted. An analyst sees neither keys nor tokens, and the page never asks for them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, InboxPage, SessionChip, WelcomePage, signIn } from './support/pages';
import { WebhookKeysPage } from './support/webhook-pages';
import { ADMIN, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

const ANALYST: TestUser = { username: 'aldo', password: 'password-di-prova-aldo', roles: ['analyst'], name: 'Aldo Conti' };

let v: VedettaInstance;
let b: BrowserSession;

beforeEach(async () => {
  v = await startVedetta({ users: [ADMIN, ANALYST] });
  b = await openBrowser(v.uiUrl);
});
afterEach(async () => {
  await b?.close();
  await v?.stop();
});

/** One mention pushed the way an outside system does, with a key's token. */
async function push(token: string, id: string, text: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(v.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ source: 'Il mio forum', external_id: id, text, lang: 'it' }),
  });
  return { status: res.status, json: await res.json() };
}

const focused = (b: BrowserSession): Promise<string | undefined> => b.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid);

describe('webhook keys', () => {
  it('an administrator makes, uses, rotates and deletes a key; the token is shown once; an analyst sees no keys', async () => {
    await signIn(b.page, ADMIN.username, ADMIN.password);
    await new WelcomePage(b.page).startEmpty.click();
    const shell = new AppShell(b.page);
    await shell.ready;
    const keys = new WebhookKeysPage(b.page);
    await keys.open();

    // The key the start made from VEDETTA_WEBHOOK_TOKEN: its last four characters, never used.
    const env = keys.row('VEDETTA_WEBHOOK_TOKEN');
    await env.waitFor();
    expect(await env.getByTestId('webhook-key-env').textContent()).toBe('da VEDETTA_WEBHOOK_TOKEN');
    expect(await env.getByTestId('webhook-key-hint').textContent()).toBe(`…${v.webhookToken.slice(-4)}`);
    expect(await env.getByTestId('webhook-key-last-used').textContent()).toContain('mai');
    expect(await keys.mentionsUrl.textContent()).toBe(v.webhookUrl);
    expect(await keys.metricsUrl.textContent()).toMatch(/^http:\/\/.+metrics/);
    expect(await keys.curl.textContent()).toContain('$VEDETTA_WEBHOOK_TOKEN');
    expect(await b.page.content()).not.toContain(v.webhookToken);

    // A name already taken is refused where it was typed, nothing else changes.
    await keys.name.fill('VEDETTA_WEBHOOK_TOKEN');
    await keys.name.press('Enter');
    expect(await keys.createError.textContent()).toContain('Esiste già una chiave webhook chiamata «VEDETTA_WEBHOOK_TOKEN»');
    expect(await keys.rows.count()).toBe(1);

    // "Zapier": the token once, in its box, with the keyboard on its copy button.
    const first = await keys.create('Zapier');
    expect(first).toMatch(/^vdtwh_[\w-]{20,}$/);
    expect(await keys.createError.count()).toBe(0);
    expect(await keys.reveal.textContent()).toContain('Copia il token ora: non sarà più mostrato.');
    expect(await focused(b)).toBe('webhook-key-copy');
    const zapier = keys.row('Zapier');
    expect(await zapier.getByTestId('webhook-key-hint').textContent()).toBe(`…${first.slice(-4)}`);
    expect(await zapier.textContent()).toContain('admin');

    // The outside system sends with it: accepted, and the mention is in the inbox.
    const sent = await push(first, 'zap-1', 'Le capsule nuove arrivate con Zapier sono ottime');
    expect(sent.status).toBe(202);
    expect(sent.json).toMatchObject({ accepted: 1 });
    await shell.nav('inbox').click();
    await new InboxPage(b.page).rowWithText('arrivate con Zapier').waitFor();
    // The box waits for «Fatto», not for the person to stay on the page.
    await keys.open();
    expect(await keys.token.textContent()).toBe(first);

    // Deleting asks first; Escape says no.
    await zapier.getByTestId('webhook-key-remove').click();
    expect(await keys.confirmRow.textContent()).toContain('Eliminare «Zapier»?');
    expect(await focused(b)).toBe('webhook-key-confirm');
    await b.page.keyboard.press('Escape');
    await keys.confirmRow.waitFor({ state: 'detached' });
    expect(await focused(b)).toBe('webhook-key-remove');
    expect(await zapier.count()).toBe(1);

    // Rotating asks first, then gives a new token: the old one is refused at once.
    await zapier.getByTestId('webhook-key-rotate').click();
    expect(await keys.confirmRow.textContent()).toContain('Ruotare «Zapier»?');
    await b.page.keyboard.press('Enter');
    await expect.poll(() => keys.token.textContent()).not.toBe(first);
    const second = (await keys.token.textContent()) ?? '';
    expect(second).toMatch(/^vdtwh_/);
    expect(await keys.reveal.textContent()).toContain('Chiave «Zapier» ruotata');
    expect(await zapier.getByTestId('webhook-key-hint').textContent()).toBe(`…${second.slice(-4)}`);
    expect((await push(first, 'zap-2', 'Con il token vecchio')).status).toBe(401);
    expect((await push(second, 'zap-3', 'Con il token nuovo')).status).toBe(202);

    // «Fatto»: the token is gone from the page, and no later screen shows it again.
    await keys.done.click();
    await keys.reveal.waitFor({ state: 'detached' });
    expect(await focused(b)).toBe('webhook-key-name');
    for (const token of [first, second, v.webhookToken]) {
      expect(await b.page.content()).not.toContain(token);
      expect(await b.page.evaluate(() => document.body.innerText)).not.toContain(token);
    }
    await shell.nav('inbox').click();
    await keys.open();
    await zapier.waitFor();
    expect(await keys.reveal.count()).toBe(0);
    expect(await b.page.content()).not.toContain(second);

    // Another administrator (here a script through the API) makes a key: this screen shows
    // it without a reload, and shows it gone when it is removed.
    const other = (await v.api('webhooks.create', { name: 'Da un altro computer' })) as { key: { id: number } };
    await keys.row('Da un altro computer').waitFor();
    await v.api('webhooks.remove', { id: other.key.id });
    await keys.row('Da un altro computer').waitFor({ state: 'detached' });

    // Deleting: the key leaves the list and its token opens nothing.
    await zapier.getByTestId('webhook-key-remove').click();
    await keys.confirm.click();
    await zapier.waitFor({ state: 'detached' });
    expect(await keys.rows.count()).toBe(1);
    expect((await push(second, 'zap-4', 'Dopo l’eliminazione')).status).toBe(401);
    // The one refusal the browser logs is the name already taken (409), answered in the form.
    expect(b.errors).toEqual(['console: Failed to load resource: the server responded with a status of 409 (Conflict)']);
    b.errors.length = 0;

    // An analyst: one line saying who manages the keys, no key, no token, no call for them.
    await new SessionChip(b.page).signOut();
    const calls: string[] = [];
    b.page.on('request', (r) => calls.push(new URL(r.url()).pathname));
    await signIn(b.page, ANALYST.username, ANALYST.password);
    await shell.ready;
    await keys.open();
    expect(await keys.adminsOnly.textContent()).toBe('Le chiavi webhook sono gestite dagli amministratori.');
    expect(await keys.panel.count()).toBe(0);
    expect(await keys.rows.count()).toBe(0);
    expect(await keys.mentionsUrl.count()).toBe(0);
    expect(await b.page.content()).not.toContain(v.webhookToken);
    expect(calls.some((p) => p.includes('/rpc/app.info'))).toBe(true);
    expect(calls.filter((p) => p.includes('webhooks.'))).toEqual([]);
    // A call in flight when the administrator signed out is answered 401 (the session is gone).
    expect(b.errors.filter((e) => !/401 \(Unauthorized\)/.test(e))).toEqual([]);
  }, 90_000);
});
