// Issue #5a through the real UI: first run, sign in/out, wrong password, lock after
// inactivity, people and roles, analysts read-only (UI and API), the audit view and its chain.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, AuditPage, SessionChip, SignInPage, SourcesPage, UsersPage, WelcomePage, signIn } from './support/pages';
import { LeaveDialog } from './support/permissions-pages';
import { startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

const ADMIN: TestUser = { username: 'anna', password: 'password-di-anna-1', roles: ['admin'], name: 'Anna Rossi' };
const LEGAL: TestUser = { username: 'giulia', password: 'password-di-giulia', roles: ['legal'], name: 'Giulia Bianchi' };
const ANALYST: TestUser = { username: 'marco', password: 'password-di-marco', roles: ['analyst'], name: 'Marco Verdi' };

let v: VedettaInstance;
let b: BrowserSession;

beforeAll(async () => {
  // Nobody yet: the first screen is "crea l'amministratore".
  v = await startVedetta({ users: [] });
  b = await openBrowser(v.uiUrl);
});
afterAll(async () => {
  await b?.close();
  await v?.stop();
});

describe('people, sign-in, audit', () => {
  it('first run: creates the administrator, who lands signed in', async () => {
    const s = new SignInPage(b.page);
    await s.setupScreen.waitFor();
    await s.username.fill(ADMIN.username);
    await s.displayName.fill(ADMIN.name!);
    await s.password.fill('corta');
    await s.confirm.fill('corta');
    await s.submit.click();
    await expect.poll(() => s.error.textContent()).toMatch(/almeno 10 caratteri/);
    await s.password.fill(ADMIN.password);
    await s.confirm.fill(ADMIN.password);
    await s.confirm.press('Enter');
    await new WelcomePage(b.page).startEmpty.click();
    await new AppShell(b.page).ready;
    const chip = new SessionChip(b.page);
    await expect.poll(() => chip.chip.getAttribute('data-username')).toBe(ADMIN.username);
    expect(await chip.roles.textContent()).toBe('Amministratore');
  });

  it('signs out; a wrong password gets a clear message; the right one signs in', async () => {
    const chip = new SessionChip(b.page);
    await chip.signOut();
    const s = new SignInPage(b.page);
    await s.screen.waitFor();
    await s.username.fill(ADMIN.username);
    await s.password.fill('password-sbagliata');
    await s.password.press('Enter');
    await expect.poll(() => s.error.textContent()).toBe('Nome utente o password non corretti.');
    // The name stays typed.
    expect(await s.username.inputValue()).toBe(ADMIN.username);
    await signIn(b.page, ADMIN.username, ADMIN.password);
    await new AppShell(b.page).ready;
  });

  it('locks after the inactivity set in settings, keeping the work in progress', async () => {
    const shell = new AppShell(b.page);
    await shell.nav('settings').click();
    // Three seconds, written as minutes: the real setting, made small for the test.
    await b.page.getByTestId('settings-lock-minutes').fill('0.05');
    await b.page.getByTestId('settings-lock-minutes').press('Enter');
    await shell.nav('inbox').click();
    const search = b.page.getByTestId('search-input');
    await search.fill('bozza non salvata');
    const lock = b.page.getByTestId('lock-screen');
    await lock.waitFor({ timeout: 20_000 });
    await b.page.getByTestId('lock-password').fill('sbagliata-davvero');
    await b.page.getByTestId('lock-password').press('Enter');
    await expect.poll(() => b.page.getByTestId('lock-error').textContent()).toBe('Password non corretta.');
    await b.page.getByTestId('lock-password').fill(ADMIN.password);
    await b.page.getByTestId('lock-password').press('Enter');
    await lock.waitFor({ state: 'detached' });
    expect(await search.inputValue()).toBe('bozza non salvata');
    // Back to a long timeout for the rest of the story.
    await v.apiAs(ADMIN, 'settings.update', { lockMinutes: 60 });
    await b.page.reload();
    await shell.ready;
  });

  it('the admin creates a legal user and an analyst', async () => {
    const shell = new AppShell(b.page);
    await b.page.getByTestId('nav-users').click();
    const users = new UsersPage(b.page);
    for (const u of [LEGAL, ANALYST]) {
      await users.newUsername.fill(u.username);
      await users.newName.fill(u.name!);
      await users.newPassword.fill(u.password);
      await users.role(u.roles[0]!).check();
      await users.create.click();
      await users.row(u.username).waitFor();
    }
    expect(await users.row(LEGAL.username).textContent()).toContain('Legale');
    // A duplicate is refused in Italian and nothing typed is lost.
    await users.newUsername.fill(LEGAL.username);
    await users.newPassword.fill('password-qualsiasi');
    await users.role('manager').check();
    await users.create.click();
    await expect.poll(() => users.createError.textContent()).toMatch(/già in uso/);
    expect(await users.newUsername.inputValue()).toBe(LEGAL.username);
    // Leaving with that person half typed asks first (issue #17 item 5).
    await shell.nav('inbox').click();
    const leave = new LeaveDialog(b.page);
    await leave.dialog.waitFor();
    await leave.leave.click();
    await leave.dialog.waitFor({ state: 'detached' });
  });

  it('the legal user signs in and sees no admin actions', async () => {
    await new SessionChip(b.page).signOut();
    await signIn(b.page, LEGAL.username, LEGAL.password);
    await new AppShell(b.page).ready;
    expect(await new SessionChip(b.page).roles.textContent()).toBe('Legale');
    expect(await b.page.getByTestId('nav-users').count()).toBe(0);
    // And core refuses anyway.
    await expect(v.apiAs(LEGAL, 'users.list', {})).rejects.toThrow(/403/);
  });

  it('an analyst sees everything and can change nothing, in the UI and through the API', async () => {
    await new SessionChip(b.page).signOut();
    await signIn(b.page, ANALYST.username, ANALYST.password);
    const shell = new AppShell(b.page);
    await shell.ready;
    await b.page.getByTestId('readonly-banner').waitFor();
    await shell.nav('sources').click();
    expect(await new SourcesPage(b.page).addButton.count()).toBe(0);
    await expect(v.apiAs(ANALYST, 'sources.add', { kind: 'rss', name: 'Tentativo', config: { url: 'https://example.com/feed' } })).rejects.toThrow(/403.*ruolo/);
    await expect(v.apiAs(ANALYST, 'settings.update', { theme: 'dark' })).rejects.toThrow(/403/);
    expect(await v.apiAs(ANALYST, 'sources.list', {})).toEqual([]);
  });

  it('"esci ovunque": from another computer, the admin ends every session of the analyst, whose open page is signed out at once', async () => {
    // The analyst's page stays open in b; the admin works in a browser of their own.
    const admin = await openBrowser(v.uiUrl);
    try {
      await signIn(admin.page, ADMIN.username, ADMIN.password);
      await new AppShell(admin.page).ready;
      await admin.page.getByTestId('nav-users').click();
      const users = new UsersPage(admin.page);
      const row = users.row(ANALYST.username);
      await row.getByTestId('user-signout-all').click();
      const ask = admin.page.getByTestId('user-signout-all-confirm');
      expect(await ask.textContent()).toContain(`Chiudere tutte le sessioni di ${ANALYST.name}?`);
      await admin.page.keyboard.press('Enter');
      await expect.poll(() => admin.page.getByTestId('user-signout-all-done').textContent()).toMatch(new RegExp(`Sessioni chiuse per ${ANALYST.name}: [1-9]`));
      expect(admin.errors).toEqual([]);
    } finally {
      await admin.close();
    }
    // The analyst's page hears it on its event socket: back to the sign-in screen, told why,
    // without waiting for its next click.
    await new SignInPage(b.page).screen.waitFor();
    expect(await b.page.getByTestId('auth-notice').textContent()).toMatch(/sessione/i);
    await signIn(b.page, ADMIN.username, ADMIN.password);
    await new AppShell(b.page).ready;
  });

  it('the audit view lists the steps with who did them, verifies the chain, and shows a banner when tampered', async () => {
    await new SessionChip(b.page).signOut();
    await signIn(b.page, ADMIN.username, ADMIN.password);
    const shell = new AppShell(b.page);
    await shell.ready;
    await b.page.getByTestId('nav-audit').click();
    const audit = new AuditPage(b.page);
    await audit.rows.first().waitFor();
    const actions = await audit.rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.action));
    for (const a of ['auth.setup', 'auth.signOut', 'auth.signIn.failed', 'auth.signIn', 'settings.update', 'auth.unlock.failed', 'auth.unlock', 'users.create']) {
      expect(actions, a).toContain(a);
    }
    const created = audit.rows.filter({ hasText: 'user:giulia' }).filter({ hasText: 'users.create' });
    expect(await created.textContent()).toContain(ADMIN.username);
    await audit.filterActor.selectOption(ANALYST.username);
    // The analyst changed nothing: only sign-ins, and the two refused attempts made through the API.
    await expect
      .poll(async () => (await audit.rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.action))).filter((a) => !a?.startsWith('auth.')).sort())
      .toEqual(['settings.update', 'sources.add']);
    expect(await audit.rows.filter({ hasText: 'sources.add' }).textContent()).toContain('rifiutato');
    await audit.filterActor.selectOption('');
    await audit.verify.click();
    await expect.poll(() => audit.verifyOk.textContent()).toMatch(/Catena integra/);
    // CSV export of what is shown, downloaded by the browser.
    const [download] = await Promise.all([b.page.waitForEvent('download'), audit.exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^vedetta-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await new Promise<string>((resolve, reject) => {
      void download.createReadStream().then((st) => {
        let text = '';
        st.on('data', (d: Buffer) => (text += d.toString()));
        st.on('end', () => resolve(text));
        st.on('error', reject);
      }, reject);
    });
    expect(csv.split('\r\n')[0]).toBe('id,at,actor,user_id,roles,action,subject,detail,content_hash,hash');
    expect(csv).toContain('users.create');

    // Someone edits a past row directly in SQLite.
    const db = new Database(join(v.dataDir, 'vedetta.db'));
    const target = db.prepare("SELECT id FROM audit_log WHERE action = 'users.create' ORDER BY id LIMIT 1").get() as { id: number };
    db.prepare("UPDATE audit_log SET detail = '{\"roles\":[\"admin\"]}' WHERE id = ?").run(target.id);
    db.close();
    await audit.verify.click();
    await audit.brokenBanner.waitFor();
    expect(await audit.brokenBanner.textContent()).toContain(`#${target.id}`);
    await shell.nav('inbox').click();
    await b.page.getByTestId('nav-audit').click();
    await audit.brokenBanner.waitFor();
    expect(b.errors.filter((e) => !/401|403|Failed to load resource/.test(e))).toEqual([]);
  });
});
