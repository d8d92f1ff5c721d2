// The desktop app's workspace choice, as a person meets it: the built renderer in Chromium with
// the desktop bridge, main's real modules behind it (desktop-harness.ts), and a real team server
// (`vedetta serve` in team mode, self-signed) on 127.0.0.1.
// - First run: «Workspace locale» / «Workspace di team (URL)»; the local one goes on at once.
// - A broken choice file: the choice again, saying so.
// - Team: the address, the server's fingerprint to compare, confirmed → the app restarts on
//   it: signed in, the host in the top bar, live mentions, Settings' Workspace section with
//   the pinned fingerprint; the server going away shows «Riconnessione…» and the app comes
//   back by itself; another certificate on the address is refused with both fingerprints.
//   (A call made while the server is down, sent when it is back: team-client*.test.ts.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openApp, type CoreApp } from '../../src/app/app';
import { silentLogger } from '../../src/core/platform';
import { createSenderCheck, forwardEvents, registerIpc } from '../../src/main/ipc';
import { CHOICE_FILE, readChoice, type ChoiceRead } from '../../src/main/team/choice-file';
import { createWorkspaceController } from '../../src/main/team/controller';
import { TeamClient } from '../../src/main/team/team-client';
import { registerWorkspaceIpc, sendWorkspaceSignal } from '../../src/main/team/workspace-ipc';
import { startServer, type RunningServer } from '../../src/server/index';
import { selfSignedTls, type TlsMaterial } from '../../src/server/tls';
import { makeCert } from '../integration/support/fake-team-server';
import type { IpcStandIn } from '../integration/support/ipc-standin';
import { openDesktop, rendererFileUrl, repoRoot, type DesktopWindow } from './support/desktop-harness';
import { AppShell, InboxPage, signIn } from './support/pages';
import { ResponsesPage } from './support/responses-pages';

const resourcesDir = join(repoRoot, 'resources');
const trusted = createSenderCheck({ rendererFileUrl });
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

async function shot(w: DesktopWindow, name: string): Promise<void> {
  const out = process.env.VEDETTA_SHOTS;
  if (out) await w.b.page.screenshot({ path: join(out, `${name}.png`) });
}

/** Main in local mode, as src/main/index.ts wires it: a core app, the workspace channel. */
function localMain(userData: string, relaunch: () => void = () => {}): (ipc: IpcStandIn) => void {
  return (ipc) => {
    const app = openApp({ platform: { dataDir: userData, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'desktop' });
    cleanups.push(() => app.close());
    registerIpc({ ipcMain: ipc.ipcMain, app, isTrustedSender: trusted });
    forwardEvents(app, ipc.webContents);
    registerWorkspaceIpc({ ipcMain: ipc.ipcMain, isTrustedSender: trusted, controller: createWorkspaceController({ dir: userData, read: readChoice(userData), team: null, relaunch }) });
  };
}

/** Main in team mode: the TeamClient in place of a core app. */
function teamMain(userData: string, relaunch: () => void = () => {}): (ipc: IpcStandIn) => void {
  return (ipc) => {
    const read = readChoice(userData) as Extract<ChoiceRead, { kind: 'ok' }>;
    if (read.choice.kind !== 'team') throw new Error('not a team choice');
    const team = new TeamClient({
      url: read.choice.url,
      pin: read.choice.fingerprint,
      backoff: { firstMs: 200, maxMs: 1_000 },
      onStatus: (status) => sendWorkspaceSignal(ipc.webContents, { kind: 'status', status }),
      onSessionEnded: () => sendWorkspaceSignal(ipc.webContents, { kind: 'sessionEnded' }),
    });
    cleanups.push(() => team.close());
    registerIpc({ ipcMain: ipc.ipcMain, app: team, isTrustedSender: trusted });
    forwardEvents(team, ipc.webContents);
    registerWorkspaceIpc({ ipcMain: ipc.ipcMain, isTrustedSender: trusted, controller: createWorkspaceController({ dir: userData, read, team, relaunch }) });
    team.start();
  };
}

describe('the desktop workspace choice', () => {
  it('first run: the choice, and the local workspace goes on at once', async () => {
    const userData = dir('vedetta-desk-');
    const w = await openDesktop(localMain(userData));
    cleanups.push(() => w.close());
    const page = w.b.page;
    await page.getByTestId('workspace-choice').waitFor();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Quale workspace vuoi aprire?');
    await shot(w, 'workspace-choice');
    // A plain-HTTP address off this computer is refused before anything is tried.
    await page.getByTestId('workspace-url').fill('http://192.168.1.20:4870');
    await page.getByTestId('workspace-look-up').click();
    await expect.poll(() => page.getByTestId('workspace-error').textContent()).toMatch(/https:\/\//);
    await page.getByTestId('workspace-use-local').click();
    // The local workspace's first run: create the administrator.
    await page.getByTestId('setup-screen').waitFor();
    expect(readChoice(userData)).toEqual({ kind: 'ok', choice: { version: 1, kind: 'local' } });
    expect(w.b.errors).toEqual([]);
  });

  it('a broken choice file: the choice again, with a message, never a crash', async () => {
    const userData = dir('vedetta-desk-');
    writeFileSync(join(userData, CHOICE_FILE), '{"version":1,"kind":"team","url":"https://x');
    const w = await openDesktop(localMain(userData));
    cleanups.push(() => w.close());
    await w.b.page.getByTestId('workspace-problem').waitFor();
    expect(await w.b.page.getByTestId('workspace-problem').textContent()).toMatch(/danneggiato o illeggibile/);
    await shot(w, 'workspace-broken');
  });
});

describe('a team workspace', () => {
  let serverDir: string;
  let app: CoreApp;
  let server: RunningServer;
  let tls: TlsMaterial;
  let port: number;
  const GIULIA = { username: 'giulia', password: 'password-di-giulia', displayName: 'Giulia Bianchi' };

  async function serverUp(withTls: Pick<TlsMaterial, 'cert' | 'key' | 'fingerprint' | 'selfSigned'> = tls): Promise<void> {
    app = openApp({ platform: { dataDir: serverDir, resourcesDir, now: () => Date.now(), logger: silentLogger }, mode: 'browser' });
    server = await startServer({ app, port, team: { tls: withTls } });
  }
  async function serverDown(): Promise<void> {
    await server.close();
    app.close();
  }

  beforeAll(async () => {
    serverDir = dir('vedetta-team-');
    tls = await selfSignedTls(serverDir, ['localhost', '127.0.0.1']);
    port = 0;
    await serverUp();
    port = server.port;
    cleanups.push(() => serverDown().catch(() => {}));
    const admin = await app.auth.setup({ username: 'admin', displayName: 'Admin', password: 'password-di-admin' });
    await app.dispatch('users.create', { ...GIULIA, roles: ['manager'] }, { session: admin.token });
    await app.dispatch('settings.update', { onboarded: true }, { session: admin.token });
  });

  it('is chosen by its address after comparing its fingerprint; the app then works on it, live, and shows where it is', async () => {
    const userData = dir('vedetta-desk-');
    const relaunch = vi.fn();
    const w = await openDesktop(localMain(userData, relaunch));
    cleanups.push(() => w.close());
    const page = w.b.page;
    await page.getByTestId('workspace-url').fill(`https://127.0.0.1:${port}`);
    await page.getByTestId('workspace-look-up').click();
    await page.getByTestId('workspace-confirm').waitFor();
    expect(await page.getByTestId('workspace-confirm-fingerprint').getAttribute('aria-label')).toBe(tls.fingerprint);
    await shot(w, 'workspace-confirm');
    await page.getByTestId('workspace-confirm-button').click();
    await page.getByTestId('workspace-restarting').waitFor();
    await vi.waitFor(() => expect(relaunch).toHaveBeenCalled());
    expect(readChoice(userData)).toMatchObject({ kind: 'ok', choice: { kind: 'team', url: `https://127.0.0.1:${port}`, fingerprint: tls.fingerprint } });

    // The app comes back on the team workspace: its sign-in, then the inbox.
    await w.relaunch(teamMain(userData));
    await page.getByTestId('signin-screen').waitFor();
    await signIn(page, GIULIA.username, GIULIA.password);
    const shell = new AppShell(page);
    await shell.ready;
    await expect.poll(() => page.locator('.topbar').textContent()).toContain(`Team · 127.0.0.1:${port}`);
    await expect.poll(() => shell.connection.getAttribute('data-online')).toBe('true');

    // Live: a mention that reaches the server is on this desktop.
    const before = await shell.ingestedEvents();
    app.ingestWebhook({ source: 'Forum', external_id: 'desk-1', text: 'Le capsule sanno di muffa' });
    await expect.poll(() => shell.ingestedEvents(), { timeout: 10_000 }).toBeGreaterThan(before);

    // Settings: the workspace, its link and the pinned fingerprint.
    await shell.nav('settings').click();
    await page.getByTestId('settings-workspace').waitFor();
    expect(await page.getByTestId('settings-workspace-url').textContent()).toBe(`https://127.0.0.1:${port}`);
    expect(await page.getByTestId('settings-workspace-fingerprint').getAttribute('aria-label')).toBe(tls.fingerprint);
    await expect.poll(() => page.getByTestId('settings-workspace-state').getAttribute('data-state')).toBe('online');
    await page.getByTestId('settings-workspace').scrollIntoViewIfNeeded();
    await shot(w, 'workspace-settings');

    // The server goes away: «Riconnessione…», and comes back by itself.
    await serverDown();
    await expect.poll(() => shell.connection.getAttribute('data-online'), { timeout: 10_000 }).toBe('false');
    await expect.poll(() => shell.connection.textContent()).toContain('Riconnessione…');
    await expect.poll(() => page.getByTestId('offline-banner').textContent()).toMatch(/Collegamento con 127\.0\.0\.1:\d+ perso/);
    await shot(w, 'workspace-reconnecting');
    await serverUp();
    await expect.poll(() => shell.connection.getAttribute('data-online'), { timeout: 15_000 }).toBe('true');
    const after = await shell.ingestedEvents();
    app.ingestWebhook({ source: 'Forum', external_id: 'desk-2', text: 'Ancora muffa nelle capsule' });
    await expect.poll(() => shell.ingestedEvents(), { timeout: 10_000 }).toBeGreaterThan(after);

    // «Cambia workspace» shows the choice with the address filled in; «Indietro» changes nothing.
    await page.getByTestId('settings-workspace-change').click();
    await page.getByTestId('workspace-choice').waitFor();
    expect(await page.getByTestId('workspace-url').inputValue()).toBe(`https://127.0.0.1:${port}`);
    await page.getByRole('button', { name: 'Indietro' }).click();
    await page.getByTestId('settings-workspace').waitFor();

    // A draft saved while the server is away waits, with its text on screen, and is saved once it is back.
    await shell.nav('inbox').click();
    await new InboxPage(page).rowWithText('Ancora muffa').first().click();
    await page.getByTestId('detail-reply').click();
    const responses = new ResponsesPage(page);
    await responses.composer.waitFor();
    const text = 'Ci dispiace: scriveteci in privato il lotto delle capsule.';
    await responses.composerText.fill(text);
    await serverDown();
    await expect.poll(() => shell.connection.textContent(), { timeout: 10_000 }).toContain('Riconnessione…');
    await responses.saveDraft.click();
    await new Promise((r) => setTimeout(r, 700));
    expect(await responses.composerText.inputValue()).toBe(text);
    await shot(w, 'workspace-draft-waiting');
    await serverUp();
    await expect.poll(() => responses.text.textContent(), { timeout: 15_000 }).toContain(text);
    const admin = await app.auth.signIn({ username: 'admin', password: 'password-di-admin' });
    const list = (await app.dispatch('responses.list', {}, { session: admin.token })) as { items: { excerpt: string }[] };
    expect(list.items.filter((r) => r.excerpt.includes('scriveteci in privato'))).toHaveLength(1);

    // Another certificate on the same address: refused, both fingerprints shown, nothing sent.
    await serverDown();
    const other = await makeCert();
    await serverUp({ cert: other.cert, key: other.key, fingerprint: other.fingerprint, selfSigned: true });
    await page.getByTestId('workspace-pin-refused').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('pin-refused-pinned').getAttribute('aria-label')).toBe(tls.fingerprint);
    expect(await page.getByTestId('pin-refused-presented').getAttribute('aria-label')).toBe(other.fingerprint);
    expect(await page.getByTestId('workspace-pin-refused').textContent()).toMatch(/amministratore/);
    await shot(w, 'workspace-pin-refused');
    // «Riprova» while it is still the other certificate: said so, and still refused.
    await page.getByTestId('pin-refused-retry').click();
    await expect.poll(() => page.getByTestId('pin-refused-error').textContent()).toContain('ancora il certificato diverso');
    // The right server is back: «Riprova» takes the app back to it.
    await serverDown();
    await serverUp();
    await page.getByTestId('pin-refused-retry').click();
    await page.getByTestId('workspace-pin-refused').waitFor({ state: 'detached', timeout: 15_000 });
    await shell.ready;
    expect(w.b.errors).toEqual([]);
  });
});
