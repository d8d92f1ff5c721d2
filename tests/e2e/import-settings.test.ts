// Import from the UI with a report of bad lines; filters; switching the UI to English.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { AppShell, ImportPage, InboxPage } from './support/pages';
import { postMentions, type VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';

let v: VedettaInstance;
let b: BrowserSession;

beforeEach(async () => {
  ({ v, b } = await startSignedIn({ empty: true }));
});
afterEach(async () => {
  await stopSignedIn({ v, b });
});

describe('import and settings', () => {
  it('imports a JSONL file from the UI, stores the good lines and lists the bad ones', async () => {
    const lines = [
      JSON.stringify({ source: 'Forum CaffèItalia', external_id: 'f1', text: 'Qualcuno ha provato la nuova miscela?', lang: 'it' }),
      '{ this is not json',
      JSON.stringify({ source: 'Forum CaffèItalia', external_id: 'f2', text: '' }),
      JSON.stringify({ source: 'Forum CaffèItalia', external_id: 'f3', text: 'Ottima, la consiglio', lang: 'it' }),
      JSON.stringify({ source: 'Forum CaffèItalia', external_id: 'f1', text: 'Qualcuno ha provato la nuova miscela?', lang: 'it' }),
    ];
    const shell = new AppShell(b.page);
    await shell.nav('import').click();
    const imp = new ImportPage(b.page);
    await imp.fileInput.setInputFiles({ name: 'forum.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(lines.join('\n')) });
    await imp.report.waitFor();
    await expect.poll(() => imp.rejectedRows.count()).toBe(2);
    const report = (await imp.report.textContent()) ?? '';
    expect(report).toMatch(/2/); // accepted
    const rejected = await imp.rejectedRows.allTextContents();
    expect(rejected.join('\n')).toMatch(/2/); // line 2: bad JSON
    expect(rejected.join('\n')).toMatch(/3/); // line 3: empty text

    await shell.nav('inbox').click();
    const inbox = new InboxPage(b.page);
    await inbox.rowWithText('Ottima, la consiglio').waitFor();
    expect(await inbox.rows.count()).toBe(2);
  });

  it('filters the inbox by source and by language', async () => {
    const now = Date.now();
    expect(
      (
        await postMentions(v, [
          { source: 'Reddit r/italy', external_id: 'r1', text: 'Le capsule Aurora sono care', lang: 'it', published_at: new Date(now - 3000).toISOString() },
          { source: 'Reddit r/coffee', external_id: 'r2', text: 'Aurora cold brew is great', lang: 'en', published_at: new Date(now - 2000).toISOString() },
          { source: 'Trustpilot', external_id: 't1', text: 'Servizio clienti pessimo', lang: 'it', published_at: new Date(now - 1000).toISOString() },
        ])
      ).status,
    ).toBe(202);
    const inbox = new InboxPage(b.page);
    await inbox.rowWithText('Servizio clienti').waitFor();
    expect(await inbox.rows.count()).toBe(3);

    await inbox.langFilter.selectOption('en');
    await expect.poll(() => inbox.rows.count()).toBe(1);
    expect(await inbox.rows.first().textContent()).toContain('cold brew');
    await inbox.langFilter.selectOption('');
    await expect.poll(() => inbox.rows.count()).toBe(3);

    const trust = await inbox.sourceFilter.locator('option', { hasText: 'Trustpilot' }).getAttribute('value');
    await inbox.sourceFilter.selectOption(trust ?? '');
    await expect.poll(() => inbox.rows.count()).toBe(1);
    expect(await inbox.rows.first().textContent()).toContain('Servizio clienti');
  });

  it('switches the interface to English and keeps it after a reload', async () => {
    const shell = new AppShell(b.page);
    await shell.nav('settings').click();
    await b.page.getByTestId('settings-locale').selectOption('en');
    await expect.poll(() => b.page.locator('html').getAttribute('lang')).toBe('en');
    await b.page.reload();
    await shell.ready;
    expect(await b.page.locator('html').getAttribute('lang')).toBe('en');
  });
});
