// Issue #17, item 7: a demo that shows everything. A workspace built by `vedetta demo` opens
// on a sign-in screen listing its people; one click signs in as the legal reviewer, who finds
// the audiences on the risk map; the administrator (one click too) finds the manual channel
// and every role in Persone, and replaying the demo again brings fresh mentions, none dated
// ahead of the clock. A workspace that is not a demo never offers anyone.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../src/shared/contract';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, SessionChip, SignInPage } from './support/pages';
import { PublishChannelsSection } from './support/publishing-pages';
import { RiskPage } from './support/risk-pages';
import { startVedetta, type VedettaInstance } from '../support/vedetta-process';

const repoRoot = resolve(import.meta.dirname, '../..');
const STREAM_ITEMS = 5_469;

/** The real `vedetta demo` on a folder: the workspace built headless, as a user would. */
function buildDemo(dataDir: string): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['bin/vedetta.mjs', 'demo', '--data', dataDir], {
      cwd: repoRoot,
      env: { ...process.env, VEDETTA_DATA_DIR: '', VEDETTA_LANG: 'it' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? res() : rej(new Error(`vedetta demo exited ${code}:\n${out}`))));
  });
}

/** The sign-in screen's one-click list of the demo's people. */
class DemoPeoplePage {
  constructor(readonly page: Page) {}
  get list() {
    return this.page.getByTestId('demo-people');
  }
  get people() {
    return this.page.getByTestId('demo-person');
  }
  person(username: string) {
    return this.page.locator(`[data-testid="demo-person"][data-username="${username}"]`);
  }
}

/** A contract call over HTTP, as the UI makes it: the page's token, and a session when given. */
async function rpc<T>(v: VedettaInstance, op: string, input: unknown, session?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${v.token}` };
  if (session) headers['x-vedetta-session'] = session;
  const res = await fetch(`${v.url}/api/v1/rpc/${op}`, { method: 'POST', headers, body: JSON.stringify(input) });
  if (res.status !== 200) throw new Error(`${op} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

describe('a workspace that is not a demo', () => {
  let v: VedettaInstance;
  let b: BrowserSession;
  beforeAll(async () => {
    v = await startVedetta();
    b = await openBrowser(v.uiUrl);
  });
  afterAll(async () => {
    await b?.close();
    await v?.stop();
  });

  it('offers nobody on the sign-in screen: only username and password', async () => {
    const s = new SignInPage(b.page);
    await s.screen.waitFor();
    await s.username.waitFor();
    expect(await new DemoPeoplePage(b.page).list.count()).toBe(0);
  });
});

describe('the demo workspace', () => {
  let dataDir: string;
  let v: VedettaInstance;
  let b: BrowserSession;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vedetta-e2e-demo-'));
    await buildDemo(dataDir);
    v = await startVedetta({ dataDir, users: [] });
    b = await openBrowser(v.uiUrl);
  }, 180_000);
  afterAll(async () => {
    await b?.close();
    await v?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists one person per role; one click signs in as the legal reviewer, who sees the audiences', async () => {
    const demo = new DemoPeoplePage(b.page);
    await demo.list.waitFor();
    expect(await demo.people.count()).toBe(6);
    const legal = demo.person('elena.legal');
    expect(await legal.getAttribute('aria-label')).toBe('Entra come Elena Greco, Legale');
    // Keyboard: the person is a button, Enter signs in.
    await legal.focus();
    await legal.press('Enter');
    await new SignInPage(b.page).screen.waitFor({ state: 'detached' });
    await new AppShell(b.page).ready;
    const chip = new SessionChip(b.page);
    await expect.poll(() => chip.chip.getAttribute('data-username')).toBe('elena.legal');
    expect(await chip.roles.textContent()).toBe('Legale');

    const risk = new RiskPage(b.page);
    await risk.nav.click();
    const audiences = b.page.getByTestId('audience-row');
    await expect.poll(() => audiences.count()).toBe(4);
    const names = await audiences.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    expect(names).toEqual(expect.arrayContaining(['Clienti Aurora', 'Indignati del boicottaggio', 'Settimana del Caffè', 'Reddit e forum del caffè']));
    await chip.signOut();
  });

  it('the administrator finds the manual channel and every role; replaying the demo brings fresh mentions, none ahead of the clock', async () => {
    const demo = new DemoPeoplePage(b.page);
    await demo.person('sara.admin').click();
    await new AppShell(b.page).ready;
    const shell = new AppShell(b.page);

    await b.page.getByTestId('nav-users').click();
    for (const u of ['sara.admin', 'luca.strategist', 'giulia.manager', 'elena.legal', 'marco.owner', 'anna.analyst']) {
      await b.page.locator(`[data-testid="user-row"][data-username="${u}"]`).waitFor();
    }

    await shell.nav('settings').click();
    const channels = new PublishChannelsSection(b.page);
    await channels.row('Instagram @caffeaurora (manuale)').waitFor();

    // Replay again, at the fastest pace the menu offers.
    const session = (await rpc<OpOutput<'auth.demoSignIn'>>(v, 'auth.demoSignIn', { username: 'anna.analyst' })).token;
    const list = (limit: number) => rpc<OpOutput<'mentions.list'>>(v, 'mentions.list', { query: {}, limit }, session);
    const before = (await list(1)).total;
    expect(before).toBe(STREAM_ITEMS);
    await b.page.getByTestId('settings-demo-speed').selectOption('1000');
    const ingested = await shell.ingestedEvents();
    await b.page.getByTestId('demo-start').click();
    await shell.waitForIngestedEvents(ingested + 1);
    await b.page.getByTestId('demo-stop').waitFor({ state: 'detached', timeout: 90_000 });
    const after = await list(1);
    // Fresh: every item of the stream stored again as a new mention, none refused as a duplicate.
    expect(after.total).toBe(2 * STREAM_ITEMS);
    const now = Date.now();
    const db = new Database(join(dataDir, 'vedetta.db'), { readonly: true });
    try {
      const row = db.prepare("SELECT COUNT(*) AS n, MAX(published_at) AS newest FROM mentions WHERE external_id LIKE '%-r2'").get() as { n: number; newest: number };
      expect(row.n).toBe(STREAM_ITEMS);
      expect(row.newest).toBeLessThanOrEqual(now);
    } finally {
      db.close();
    }
  });
});
