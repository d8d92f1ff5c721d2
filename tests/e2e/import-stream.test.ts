// Import through the real UI: the file goes up in pieces and is read in the background; the
// screen shows progress and can cancel; the report names the encoding; a CSV with an
// unclosed quote is refused whole unless "store the good rows" is ticked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { AppShell, ImportPage } from './support/pages';
import type { VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';

// The worker thread starts and reads in the background: answers come in seconds, not at once.
const WAIT = { timeout: 30_000 };
let v: VedettaInstance;
let b: BrowserSession;

beforeEach(async () => {
  ({ v, b } = await startSignedIn({ empty: true }));
  await new AppShell(b.page).nav('import').click();
});
afterEach(async () => {
  await stopSignedIn({ v, b });
});

describe('import in the background', () => {
  it('a Windows-1252 CSV: the report says the encoding and keeps € “ ”', async () => {
    const imp = new ImportPage(b.page);
    const bytes = Buffer.concat([Buffer.from('source,external_id,text\nforum,c1,'), Buffer.from([0x80, 0x20, 0x93, 0x63, 0x69, 0x61, 0x6f, 0x94, 0x0a])]);
    await imp.fileInput.setInputFiles({ name: 'excel.csv', mimeType: 'text/csv', buffer: bytes });
    await imp.report.waitFor();
    await expect.poll(() => imp.reportMeta.textContent(), WAIT).toMatch(/codifica WINDOWS-1252/);
    expect(await imp.accepted.textContent()).toBe('1');
  });

  it('an unclosed quote refuses the CSV with line and column; "store the good rows" stores the others', async () => {
    const imp = new ImportPage(b.page);
    const csv = Buffer.from(['source,external_id,text', 'forum,a,uno', 'forum,b,"mai chiusa', 'forum,c,tre', ''].join('\n'));
    await imp.fileInput.setInputFiles({ name: 'rotto.csv', mimeType: 'text/csv', buffer: csv });
    await imp.report.waitFor();
    await expect.poll(() => imp.report.textContent(), WAIT).toMatch(/Riga 3, colonna 3: virgolette aperte e mai chiuse/);
    expect(await imp.accepted.textContent()).toBe('0');

    await imp.keepGoodRows.check();
    await imp.fileInput.setInputFiles({ name: 'rotto.csv', mimeType: 'text/csv', buffer: csv });
    await expect.poll(() => imp.accepted.textContent(), WAIT).toBe('1');
    expect(await imp.rejectedRows.allTextContents()).toEqual([expect.stringMatching(/^3virgolette aperte/)]);
  });

  it('shows progress while a large file is read and stored, and cancel ends it with a report', { timeout: 180_000 }, async () => {
    const imp = new ImportPage(b.page);
    const rows = Array.from({ length: 40_000 }, (_, i) =>
      JSON.stringify({ source: 'Forum', external_id: `g${i}`, text: `Messaggio ${i} sulla nuova miscela di caffè, con qualche parola in più`, published_at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(), lang: 'it' }),
    );
    await imp.fileInput.setInputFiles({ name: 'grande.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(rows.join('\n')) });
    await imp.progress.waitFor();
    // The busy line says what it is doing: reading, then saving; cancel while saving.
    await expect.poll(() => imp.progress.textContent(), { timeout: 120_000 }).toMatch(/Salvo grande\.jsonl: [\d.]+ di 40\.000/);
    await imp.cancel.click();
    await imp.report.waitFor({ timeout: 120_000 });
    await expect.poll(() => imp.reportMeta.textContent(), WAIT).toMatch(/codifica UTF-8.*annullato/);
    const accepted = Number((await imp.accepted.textContent())?.replace(/\./g, ''));
    expect(accepted).toBeLessThan(40_000);
    expect(await imp.report.textContent()).toMatch(/Import annullato/);
  });
});
