// Issue #17 items 2 and 6 through the real UI. An analyst talks about authors by their
// readable aliases ("Volpe-482"), never their handles, and finds one author's mentions by the
// alias; an administrator enables handles with a legal basis (refused without one), the handle
// appears beside the alias for what arrives next, and the audit log shows who, when, the basis
// and the action in words. The audit log's times are in the workspace's zone (Europe/Rome) and
// follow it when an administrator changes it; an unknown zone is refused under the field; a
// source name already taken is refused where it is typed.
import { afterEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, InboxPage, SourceFormDialog, SourcesPage, signIn } from './support/pages';
import { AuditRows, AuthorsInInbox, WorkspaceRulesPage } from './support/rules-pages';
import { startSignedIn, stopSignedIn, type SignedIn } from './support/session';
import { ADMIN, type TestUser } from '../support/vedetta-process';

const ANALYST: TestUser = { username: 'aldo', password: 'password-di-prova-aldo', roles: ['analyst'], name: 'Aldo Conti' };
const ALIAS = /^[A-Z][a-z]+-\d{3,}$/;
const BASIS = 'Legittimo interesse (art. 6.1.f GDPR): gestione delle crisi sui canali del brand';

let s: Partial<SignedIn> = {};
const others: BrowserSession[] = [];
afterEach(async () => {
  for (const b of others.splice(0)) await b.close();
  await stopSignedIn(s);
  s = {};
});

async function push(items: object[]): Promise<void> {
  const res = await fetch(s.v!.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${s.v!.webhookToken}` },
    body: JSON.stringify(items),
  });
  expect(res.status).toBe(202);
}

const post = (id: string, author: string, text: string, source = 'Forum Caffè') => ({ source, external_id: id, author, text, lang: 'it', published_at: new Date().toISOString() });

/** What Europe/Rome (or another zone) reads for an instant, as the audit log writes it. */
const inZone = (iso: string, timeZone: string): string => new Intl.DateTimeFormat('it-IT', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));

describe('readable pseudonyms', () => {
  it('an analyst sees aliases, never handles, and finds an author by alias; an admin enables handles with a legal basis and the audit shows it', async () => {
    s = await startSignedIn({ users: [ADMIN, ANALYST], empty: true });
    const admin = s.b!;
    await push([
      post('m-1', 'mario.rossi', 'Le capsule Aurora arrivano sempre rotte'),
      post('m-2', 'lucia_b', 'Ottimo caffè, consegna puntuale'),
      post('m-3', 'mario.rossi', 'Terza volta che scrivo: nessuno risponde'),
    ]);

    // The analyst's day: every row shows an alias, none a handle.
    const analyst = await openBrowser(s.v!.uiUrl);
    others.push(analyst);
    await signIn(analyst.page, ANALYST.username, ANALYST.password);
    await new AppShell(analyst.page).ready;
    const inbox = new InboxPage(analyst.page);
    const authors = new AuthorsInInbox(analyst.page);
    await inbox.rowWithText('arrivano sempre rotte').waitFor();
    const names = await authors.rowAuthors.allTextContents();
    expect(names).toHaveLength(3);
    for (const n of names) expect(n.trim()).toMatch(ALIAS);
    expect(new Set(names).size).toBe(2);
    expect(await analyst.page.content()).not.toContain('mario.rossi');

    // The detail: the alias, the key beside it, no handle; «Sue menzioni» finds that author.
    await inbox.rowWithText('arrivano sempre rotte').click();
    const alias = ((await authors.alias.textContent()) ?? '').trim();
    expect(alias).toMatch(ALIAS);
    expect(await authors.author.textContent()).toMatch(/[0-9a-f]{16}/);
    expect(await authors.handle.count()).toBe(0);
    await authors.theirMentions.click();
    expect(await inbox.search.inputValue()).toBe(alias);
    await analyst.page.waitForFunction(() => document.querySelectorAll('[data-testid="inbox-row"]').length === 2);
    expect(await inbox.rowWithText('Ottimo caffè').count()).toBe(0);
    // Typed by hand, in lower case, the same.
    await inbox.search.fill(alias.toLowerCase());
    await analyst.page.waitForFunction(() => document.querySelectorAll('[data-testid="inbox-row"]').length === 2);

    // The administrator: no basis, no handles (refused where it is typed, nothing changes).
    await new AppShell(admin.page).nav('settings').click();
    const rules = new WorkspaceRulesPage(admin.page);
    await rules.root.waitFor();
    expect(await rules.handlesState.getAttribute('data-enabled')).toBe('false');
    await rules.basisInput.fill('boh');
    await rules.enable.click();
    expect(await rules.handlesError.textContent()).toContain('base giuridica');
    expect(await rules.handlesState.getAttribute('data-enabled')).toBe('false');
    await rules.basisInput.fill(BASIS);
    await rules.enable.click();
    await admin.page.locator('[data-testid="settings-handles-state"][data-enabled="true"]').waitFor();
    expect(await rules.handlesState.textContent()).toContain('Amministratore');
    expect(await rules.basis.textContent()).toBe(BASIS);

    // From now on the handle is kept and shown beside the alias (never instead of it).
    await push([post('m-4', 'giulia.verdi', 'Dove trovo le capsule decaffeinate?')]);
    await new AppShell(admin.page).nav('inbox').click();
    const adminInbox = new InboxPage(admin.page);
    await adminInbox.rowWithText('decaffeinate').click();
    const adminAuthors = new AuthorsInInbox(admin.page);
    expect(((await adminAuthors.alias.textContent()) ?? '').trim()).toMatch(ALIAS);
    expect(await adminAuthors.handle.textContent()).toBe('giulia.verdi');

    // The audit log: who, when, the basis, and the action in words.
    await admin.page.getByTestId('nav-audit').click();
    const audit = new AuditRows(admin.page);
    const row = audit.row('settings.setAuthorHandles');
    await row.waitFor();
    expect(await audit.action(row).textContent()).toContain('Handle degli autori abilitati/disabilitati');
    expect(await row.textContent()).toContain(BASIS);
    expect(await row.textContent()).toContain('admin');
    const when = await audit.when(row);
    expect(when.text).toBe(inZone(when.iso, 'Europe/Rome'));
  });
});

describe('consistent words and times', () => {
  it('the audit log shows times in Europe/Rome and actions in words; a new zone moves every time; bad zones and taken source names are refused where typed', async () => {
    s = await startSignedIn({ empty: true });
    const page = s.b!.page;
    const shell = new AppShell(page);
    await push([post('x-1', 'anna', 'Primo messaggio dal webhook', 'X')]);

    await shell.nav('settings').click();
    const rules = new WorkspaceRulesPage(page);
    await rules.root.waitFor();
    expect(await rules.zone.inputValue()).toBe('Europe/Rome');
    // A zone that is not an IANA name: refused under the field, the text kept.
    await rules.setZone('Marte/Olympus');
    expect(await rules.zoneError.textContent()).toContain('fuso orario sconosciuto');
    expect(await rules.zone.inputValue()).toBe('Marte/Olympus');

    // The audit log: the welcome's settings change, at a Rome time, in words.
    await page.getByTestId('nav-audit').click();
    const audit = new AuditRows(page);
    const row = audit.row('settings.update').first();
    await row.waitFor();
    expect(await audit.action(row).textContent()).toContain('Impostazioni modificate');
    const rome = await audit.when(row);
    expect(rome.text).toBe(inZone(rome.iso, 'Europe/Rome'));

    // Another zone: the same row reads New York's time.
    await shell.nav('settings').click();
    await rules.setZone('america/new_york');
    await rules.zoneSaved.waitFor();
    expect(await rules.zone.inputValue()).toBe('America/New_York');
    await page.getByTestId('nav-audit').click();
    const zoneRow = audit.row('settings.setTimeZone');
    await zoneRow.waitFor();
    expect(await audit.action(zoneRow).textContent()).toContain('Fuso orario cambiato');
    const again = await audit.when(audit.row('settings.update').first());
    expect(again.iso).toBe(rome.iso);
    expect(again.text).toBe(inZone(rome.iso, 'America/New_York'));
    expect(again.text).not.toBe(rome.text);

    // «X» came from the webhook: a feed typed as «x» is refused under the name field.
    await shell.nav('sources').click();
    const sources = new SourcesPage(page);
    await sources.row('X').waitFor();
    await sources.addButton.click();
    const form = new SourceFormDialog(page);
    await form.url.fill('http://127.0.0.1:9/feed.xml');
    await form.name.fill('x');
    const err = form.root.getByTestId('source-form-name-error');
    expect(await err.textContent()).toBe('Esiste già una fonte chiamata «X»: scegli un altro nome.');
    await form.save.click();
    expect(await err.textContent()).toContain('Esiste già una fonte chiamata');
    expect(await form.name.inputValue()).toBe('x');
    expect(await sources.rows.count()).toBe(1);
  });
});
