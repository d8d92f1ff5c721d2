// Holds one API call of the page (browser mode: an HTTP request) until the test releases it:
// the way to put a server's answer after what the person does next, which a loaded machine
// does by chance.
import type { Page } from 'playwright-core';
import { RPC_PREFIX } from '../../../src/shared/transport/http-paths';

export interface HeldCall {
  /** Lets the held request (and any later one) through. */
  release(): void;
  /** Stops holding the op; a request already held goes through once released. */
  stop(): Promise<void>;
}

/** Every call of `op` waits, from now until `release()`, before it reaches the server. */
export async function holdCall(page: Page, op: string): Promise<HeldCall> {
  let release = (): void => {};
  const held = new Promise<void>((r) => (release = r));
  const pattern = `**${RPC_PREFIX}${op}`;
  await page.route(pattern, async (route) => {
    await held;
    await route.continue();
  });
  return { release, stop: () => page.unroute(pattern) };
}

/** Whether a request or response is the call of `op`. */
export function isCall(op: string): (r: { url(): string }) => boolean {
  return (r) => r.url().endsWith(`${RPC_PREFIX}${op}`);
}
