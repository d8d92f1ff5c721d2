// Vitest global setup of the e2e project: one Chromium for the whole run, which every test
// file reaches over its WebSocket (a launch costs seconds; each test still gets its own fresh
// context), plus the data-folder templates of tests/support/global-setup.ts.
import { chromium } from 'playwright-core';
import templates from '../../support/global-setup';
import { CHROMIUM, CHROMIUM_ARGS, CHROMIUM_WS_ENV } from './browser';

export default async function setup(): Promise<() => Promise<void>> {
  const dropTemplates = templates();
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  process.env[CHROMIUM_WS_ENV] = server.wsEndpoint();
  return async () => {
    await server.close();
    dropTemplates();
  };
}
