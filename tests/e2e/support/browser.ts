// Debian's Chromium driven by playwright-core (never a downloaded browser build).
// One Chromium serves a whole run (started by the e2e project's global setup, reached over
// its WebSocket) or, without it, one test file; every openBrowser gets a fresh incognito
// context — its own cookies, storage and permissions — so tests stay as independent as with a
// browser each, without paying for a browser launch each.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.VEDETTA_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Set by tests/e2e/support/global-setup.ts for the test files of one run. */
export const CHROMIUM_WS_ENV = 'VEDETTA_TEST_CHROMIUM_WS';

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, so tests can assert none happened. */
  errors: string[];
  close(): Promise<void>;
}

let shared: Promise<Browser> | null = null;

function browser(): Promise<Browser> {
  if (!shared) {
    const ws = process.env[CHROMIUM_WS_ENV];
    shared = ws ? chromium.connect(ws) : chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // A browser that went away (crashed, or the run ends) is launched or reached again next time.
    void shared.then(
      (b) => b.on('disconnected', () => (shared = null)),
      () => (shared = null),
    );
  }
  return shared;
}

/**
 * Closes the Chromium this process launched (a test file's or a bench's), so the process can
 * end; one reached over the run's WebSocket belongs to the global setup and is left alone.
 */
export async function closeSharedBrowser(): Promise<void> {
  const b = shared;
  shared = null;
  if (b && !process.env[CHROMIUM_WS_ENV]) await (await b.catch(() => null))?.close();
}

/** `trustSelfSigned`: a team server's own certificate (the test's server, made at its first start). */
export async function openBrowser(url: string, viewport = { width: 1440, height: 900 }, o: { trustSelfSigned?: boolean } = {}): Promise<BrowserSession> {
  const context = await (await browser()).newContext({ viewport, locale: 'it-IT', timezoneId: 'Europe/Rome', ...(o.trustSelfSigned ? { ignoreHTTPSErrors: true } : {}) });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
    },
  };
}

export type { Browser, Page };
