// An expired session signs the person out to the sign-in screen, saying why, in Italian —
// from any screen and from the lock screen. The server is told the session is over by
// deleting its row, as expiry does; nothing else in the workspace changes.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { AppShell, SignInPage, signIn } from './support/pages';
import type { TestUser, VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';

const ADMIN: TestUser = { username: 'anna', password: 'password-di-anna-1', roles: ['admin'], name: 'Anna Rossi' };
const EXPIRED = 'La sessione è scaduta: entra con il tuo nome utente e la password.';

let v: VedettaInstance;
let b: BrowserSession;

function expireSessions(): void {
  const db = new Database(join(v.dataDir, 'vedetta.db'));
  try {
    db.prepare('DELETE FROM sessions').run();
  } finally {
    db.close();
  }
}

/** With VEDETTA_SHOTS=<folder>, the screen is saved there to be looked at. */
async function shot(name: string): Promise<void> {
  const dir = process.env.VEDETTA_SHOTS;
  if (dir) await b.page.screenshot({ path: join(dir, `${name}.png`) });
}

beforeAll(async () => {
  ({ v, b } = await startSignedIn({ users: [ADMIN], empty: true }));
});
afterAll(async () => {
  await stopSignedIn({ v, b });
});

describe('an expired session', () => {
  it('the next call signs the person out to the sign-in screen with a clear message', async () => {
    expireSessions();
    const s = new SignInPage(b.page);
    // The next call: the click's, or a background one (the bell, presence, read marks) if it
    // comes first — either way the page goes to the sign-in screen.
    await Promise.race([new AppShell(b.page).nav('sources').click().catch(() => undefined), s.screen.waitFor()]);
    await s.screen.waitFor();
    await expect.poll(() => b.page.getByTestId('auth-notice').textContent()).toBe(EXPIRED);
    await shot('session-expired');
    await signIn(b.page, ADMIN.username, ADMIN.password);
    await new AppShell(b.page).ready;
    await b.page.getByTestId('auth-notice').waitFor({ state: 'detached' });
  });

  it('at the lock screen, the right password on an expired session signs out too (a wrong one would not)', async () => {
    await b.page.getByTestId('session-chip').click();
    await b.page.getByTestId('session-lock').click();
    await b.page.getByTestId('lock-screen').waitFor();
    expireSessions();
    // The unlock's call finds the session gone (or a background call already did).
    const unlock = async (): Promise<void> => {
      await b.page.getByTestId('lock-password').fill(ADMIN.password);
      await b.page.getByTestId('lock-password').press('Enter');
    };
    await Promise.race([unlock().catch(() => undefined), new SignInPage(b.page).screen.waitFor()]);
    await new SignInPage(b.page).screen.waitFor();
    await expect.poll(() => b.page.getByTestId('auth-notice').textContent()).toBe(EXPIRED);
  });
});
