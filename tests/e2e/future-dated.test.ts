// Issue 14, bad input, through the real UI in Debian's Chromium against the real `vedetta
// serve`: a source whose clock runs days ahead. The manager imports a file with such lines
// and the import report lists them as stored with a warning; Fonti says the source's clock is
// wrong; the inbox row and the detail say the date is in the future and does not count in the
// moments. Nothing is lost: every line is stored and shown.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { AppShell, ImportPage, InboxPage, SourcesPage } from './support/pages';
import type { VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';

let v: VedettaInstance;
let b: BrowserSession;

beforeEach(async () => {
  ({ v, b } = await startSignedIn({ empty: true }));
});
afterEach(async () => {
  await stopSignedIn({ v, b });
});

/** With VEDETTA_SHOTS=<folder>, the screens are saved there to be looked at. */
async function shot(name: string): Promise<void> {
  const dir = process.env.VEDETTA_SHOTS;
  if (dir) await b.page.screenshot({ path: join(dir, `${name}.png`) });
}

describe('a source with its clock days ahead', () => {
  it('is imported whole, with the future-dated lines listed as warnings, flagged on the source, the row and the detail', async () => {
    const day = 86_400_000;
    const now = Date.now();
    const line = (id: string, text: string, at: number): string =>
      JSON.stringify({ source: 'Blog Orologio Avanti', external_id: id, text, lang: 'it', published_at: new Date(at).toISOString() });
    const lines = [
      line('ok1', 'Recensione onesta delle capsule Aurora', now - 60_000),
      line('fut1', 'Capsule Aurora arrivate rotte, che delusione', now + 3 * day),
      line('ok2', 'Il nuovo gusto Aurora mi piace', now - 30_000),
      line('fut2', 'Servizio clienti Aurora mai così lento', now + 40 * day),
    ];
    const shell = new AppShell(b.page);
    await shell.nav('import').click();
    const imp = new ImportPage(b.page);
    await imp.fileInput.setInputFiles({ name: 'orologio.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(lines.join('\n')) });
    await imp.report.waitFor();
    await expect.poll(() => b.page.getByTestId('import-accepted').textContent()).toBe('4');
    expect(await b.page.getByTestId('import-warnings').textContent()).toBe('2');
    const warned = b.page.getByTestId('import-warning-row');
    expect(await warned.count()).toBe(2);
    const rows = await warned.allTextContents();
    expect(rows[0]).toMatch(/^2\s*data di pubblicazione nel futuro .* non conta nei momenti/);
    expect(rows[1]).toMatch(/^4\s*data di pubblicazione nel futuro/);
    expect(await imp.rejectedRows.count()).toBe(0);
    await shot('future-import-report');

    await shell.nav('sources').click();
    const sources = new SourcesPage(b.page);
    const warning = sources.row('Blog Orologio Avanti').getByTestId('source-future');
    await expect.poll(() => warning.textContent()).toMatch(/Nelle ultime 24 ore 2 menzioni con la data nel futuro .*Controlla l’orologio della fonte/);
    await shot('future-sources');

    await shell.nav('inbox').click();
    const inbox = new InboxPage(b.page);
    await inbox.rowWithText('Servizio clienti Aurora').waitFor();
    expect(await inbox.rows.count()).toBe(4);
    expect(await inbox.rowWithText('Servizio clienti Aurora').getByTestId('future-badge').textContent()).toMatch(/data nel futuro/);
    expect(await inbox.rowWithText('Il nuovo gusto').getByTestId('future-badge').count()).toBe(0);
    await inbox.rowWithText('Capsule Aurora arrivate rotte').click();
    const note = b.page.getByTestId('detail-future');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/Data di pubblicazione nel futuro.*non conta nei momenti/);
    await shot('future-detail');
  });
});
