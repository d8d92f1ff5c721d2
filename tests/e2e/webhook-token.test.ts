// An administrator wires an outside system to the webhook: Impostazioni shows the address,
// the curl example and the token, masked until asked for, ready to copy. The token is never
// in the desktop app's output any more, so this is where it is read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { AppShell, WelcomePage } from './support/pages';
import type { VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';

let v: VedettaInstance;
let b: BrowserSession;

beforeEach(async () => {
  ({ v, b } = await startSignedIn());
});
afterEach(async () => {
  await stopSignedIn({ v, b });
});

describe('webhook settings', () => {
  it('shows the token to an administrator, masked until shown', async () => {
    await new WelcomePage(b.page).startEmpty.click();
    const shell = new AppShell(b.page);
    await shell.ready;
    await shell.nav('settings').click();
    const token = b.page.getByTestId('settings-webhook-token');
    await token.waitFor();
    expect(await token.textContent()).not.toContain(v.webhookToken);
    await b.page.getByTestId('settings-webhook-token-show').click();
    await expect.poll(() => token.textContent()).toBe(v.webhookToken);
    expect(await b.page.getByTestId('settings-webhook-url').textContent()).toBe(v.webhookUrl);
    expect(b.errors).toEqual([]);
  });
});
