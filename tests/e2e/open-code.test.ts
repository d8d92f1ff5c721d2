// Browser mode opens from a one-time code, never from the token itself: the address `npm
// start` hands to Chromium (visible in `ps`) and the one `vedetta serve` prints carry
// `#code=…`, which the page trades once for the per-run token. A second page with the same
// address gets the gate and why; the first keeps working across a reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { SignInPage, signIn, WelcomePage } from './support/pages';
import { startVedetta, type VedettaInstance, ADMIN } from '../support/vedetta-process';

let v: VedettaInstance;
const opened: BrowserSession[] = [];
const open = async (url: string): Promise<BrowserSession> => {
  const b = await openBrowser(url);
  opened.push(b);
  return b;
};

beforeAll(async () => {
  v = await startVedetta();
});
afterAll(async () => {
  for (const b of opened) await b.close();
  await v?.stop();
});

describe('opening browser mode from a one-time code', () => {
  it('the launcher’s address opens the app, then leaves neither code nor token in the address bar', async () => {
    expect(v.openUrl).toMatch(/#code=/);
    expect(v.openUrl).not.toContain(v.token);
    const b = await open(v.openUrl);
    await signIn(b.page, ADMIN.username, ADMIN.password);
    await new WelcomePage(b.page).startEmpty.waitFor();
    expect(b.page.url()).not.toContain('#');
    // The token lives in this tab's sessionStorage: a reload stays in, the spent code notwithstanding.
    await b.page.reload();
    await new WelcomePage(b.page).startEmpty.waitFor();
    expect(b.errors).toEqual([]);
  });

  it('the same address in a second browser shows the gate, saying the address was already used', async () => {
    const b = await open(v.openUrl);
    const gate = b.page.getByTestId('gate');
    await gate.waitFor();
    expect(await gate.getAttribute('data-kind')).toBe('code-spent');
    expect(await gate.textContent()).toMatch(/già stato usato o è scaduto/);
    expect(b.page.url()).not.toContain('#code=');
  });

  it('the address printed by serve for a person has a code of its own', async () => {
    const printed = /Interfaccia: +(\S+)/.exec(v.output())?.[1] ?? '';
    expect(printed).toMatch(/#code=/);
    expect(printed).not.toBe(v.openUrl);
    const b = await open(printed);
    await new SignInPage(b.page).username.waitFor();
    expect(await b.page.getByTestId('gate').count()).toBe(0);
    expect(b.errors).toEqual([]);
  });
});
