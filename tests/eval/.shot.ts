import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const url = 'http://127.0.0.1:4931/#token=shot4';
const out = '/tmp/wt4-shots';
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'wt4-chr-')), {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1440, height: 900 }, locale: 'it-IT',
});
const page = ctx.pages()[0] ?? await ctx.newPage();
await page.goto(url);
const demo = page.getByTestId('welcome-demo');
if (await demo.isVisible({ timeout: 3000 }).catch(() => false)) { await demo.click(); await page.waitForTimeout(6000); }
await page.getByTestId('inbox-list').waitFor();
for (const theme of ['light', 'dark']) {
  await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
  await page.mouse.move(5, 5);
  await page.screenshot({ path: `${out}/inbox-${theme}.png` });
  const badge = page.getByTestId('inbox-row').nth(2).getByTestId('sentiment-badge');
  await badge.hover();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/inbox-hover-${theme}.png` });
  await page.getByTestId('inbox-row').nth(2).click();
  await page.keyboard.press('Enter');
  await page.getByTestId('detail-pane').waitFor();
  await page.waitForTimeout(300);
  await page.mouse.move(5, 5);
  await page.screenshot({ path: `${out}/detail-${theme}.png` });
  await page.keyboard.press('Escape');
}
await ctx.close();
