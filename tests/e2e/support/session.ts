// The start most E2E stories share: a fresh instance, a browser on it, signed in (as the
// administrator unless told), and with `empty` past the welcome screen into an empty workspace.
import { openBrowser, type BrowserSession } from './browser';
import { AppShell, WelcomePage, signIn } from './pages';
import { ADMIN, startVedetta, type StartOptions, type TestUser, type VedettaInstance } from '../../support/vedetta-process';

export interface SignedIn {
  v: VedettaInstance;
  b: BrowserSession;
}

/** Signs in as `as`, else as the first of `users` (a story that names its users signs in as one of them), else ADMIN. */
export async function startSignedIn(opts: StartOptions & { as?: TestUser; empty?: boolean } = {}): Promise<SignedIn> {
  const { as = opts.users?.[0] ?? ADMIN, empty = false, ...start } = opts;
  const v = await startVedetta(start);
  let b: BrowserSession | undefined;
  try {
    b = await openBrowser(v.uiUrl);
    await signIn(b.page, as.username, as.password);
    if (empty) {
      await new WelcomePage(b.page).startEmpty.click();
      await new AppShell(b.page).ready;
    }
    return { v, b };
  } catch (e) {
    // Half started: nothing is left running for the next test.
    await b?.close();
    await v.stop();
    throw e;
  }
}

/** Closes what startSignedIn opened; either may be missing when the start failed. */
export async function stopSignedIn(s: Partial<SignedIn>): Promise<void> {
  await s.b?.close();
  await s.v?.stop();
}
