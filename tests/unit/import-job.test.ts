// Background imports: a real worker thread reads the file, this thread stores it. Published
// order kept (a file written newest first is stored oldest first), a refused file stores
// nothing, a cancel stops at a chunk boundary, progress comes as events, uploads in pieces.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../src/shared/schemas';
import { tempDir, testApp } from './support/core';

const mention = (i: number, minute: number): string =>
  JSON.stringify({ source: 'Forum', external_id: `m${i}`, text: `Menzione numero ${i} sul caffè`, published_at: new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString(), lang: 'it' });

const storedOrder = async (app: ReturnType<typeof testApp>['app']): Promise<string[]> => {
  const page = (await app.dispatch('mentions.list', { limit: 1000 })) as { items: { externalId: string | null; id: number }[] };
  // Ids follow the order of storing.
  return [...page.items].sort((a, b) => a.id - b.id).map((m) => m.externalId ?? '');
};

describe('background import', () => {
  it('stores a file written newest first in published order, with progress and the report', async () => {
    const { app } = testApp();
    const file = join(tempDir(), 'rovescio.jsonl');
    writeFileSync(file, Array.from({ length: 50 }, (_, i) => mention(i, 59 - i)).join('\n'));
    const progress: ImportProgress[] = [];
    app.events.on('import.progress', (p) => progress.push(p));
    const report = await app.importFile({ path: file, fileName: 'rovescio.jsonl' }).done;
    expect(report).toMatchObject({ accepted: 50, lines: 50, error: null, encoding: 'utf-8', cancelled: false });
    expect(await storedOrder(app)).toEqual(Array.from({ length: 50 }, (_, i) => `m${49 - i}`));
    expect(progress.at(-1)).toMatchObject({ phase: 'done', reportId: report.id, stored: 50 });
  });

  it('a CSV refused for an unterminated quote stores nothing', async () => {
    const { app } = testApp();
    const file = join(tempDir(), 'rotto.csv');
    writeFileSync(file, ['source,external_id,text', 'forum,a,uno', 'forum,b,"due', ...Array.from({ length: 100 }, (_, i) => `forum,c${i},tre`)].join('\n'));
    const report = await app.importFile({ path: file, fileName: 'rotto.csv' }).done;
    expect(report.error).toMatch(/^Riga 3, colonna 3: virgolette/);
    expect(report.accepted).toBe(0);
    expect(await storedOrder(app)).toEqual([]);
    const kept = await app.importFile({ path: file, fileName: 'rotto.csv', keepGoodRows: true }).done;
    expect(kept).toMatchObject({ accepted: 1, error: null });
  });

  it('a CSV read in blocks keeps its line numbers across block boundaries', async () => {
    const { app } = testApp();
    const file = join(tempDir(), 'grande.csv');
    const rows = Array.from({ length: 30_000 }, (_, i) => `forum,r${i},"riga ${i}, con virgola e testo abbastanza lungo da riempire più blocchi",2026-11-20T10:00:00Z`);
    rows[25_000] = 'forum,bad,"non chiusa';
    writeFileSync(file, ['source,external_id,text,published_at', ...rows, ''].join('\n'));
    const report = await app.importFile({ path: file, fileName: 'grande.csv' }).done;
    // The quote runs on to the next line's first quote: a record with too many columns, where it starts.
    expect(report.error).toMatch(/^Riga 25002, colonna 5: la riga ha 5 colonne/);
    expect(report.accepted).toBe(0);
  });

  it('a cancel while reading stores nothing and says so', async () => {
    const { app } = testApp();
    const file = join(tempDir(), 'lungo.jsonl');
    writeFileSync(file, Array.from({ length: 20_000 }, (_, i) => mention(i, i % 60)).join('\n'));
    const job = app.importFile({ path: file, fileName: 'lungo.jsonl' });
    expect(app.importJobs.cancel(job.id)).toBe(true);
    const report = await job.done;
    expect(report).toMatchObject({ cancelled: true, accepted: 0, error: 'Import annullato prima di salvare: nessuna riga è stata salvata.' });
    expect(app.importJobs.cancel(job.id)).toBe(false);
  });

  it('a cancel while storing keeps whole chunks, a prefix in published order, and a second import completes it', async () => {
    const { app } = testApp();
    const file = join(tempDir(), 'lungo.jsonl');
    writeFileSync(file, Array.from({ length: 3_000 }, (_, i) => mention(i, Math.floor(i / 50))).join('\n'));
    const job = app.importFile({ path: file, fileName: 'lungo.jsonl' });
    const off = app.events.on('import.progress', (p) => {
      if (p.jobId === job.id && p.phase === 'storing') app.importJobs.cancel(job.id);
    });
    const report = await job.done;
    off();
    expect(report.cancelled).toBe(true);
    expect(report.accepted).toBeLessThan(3_000);
    const order = await storedOrder(app);
    expect(order).toEqual(Array.from({ length: report.accepted }, (_, i) => `m${i}`));
    const again = await app.importFile({ path: file, fileName: 'lungo.jsonl' }).done;
    expect(again).toMatchObject({ accepted: 3_000 - report.accepted, duplicates: report.accepted, cancelled: false });
  });

  it('a file sent in pieces (import.begin / chunk / end) is imported like a path; pieces out of order are refused', async () => {
    const { app } = testApp();
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('source,external_id,text\nforum,w1,caffè\nforum,w2,tè\n', 'utf16le')]);
    const { uploadId } = (await app.dispatch('import.begin', { fileName: 'u.csv', size: bytes.length, keepGoodRows: false })) as { uploadId: string };
    await app.dispatch('import.chunk', { uploadId, offset: 0, data: bytes.subarray(0, 10).toString('base64') });
    await expect(app.dispatch('import.chunk', { uploadId, offset: 0, data: 'AA==' })).rejects.toMatchObject({ key: 'import.uploadOrder' });
    await app.dispatch('import.chunk', { uploadId, offset: 10, data: bytes.subarray(10).toString('base64') });
    const finished = new Promise((r) => app.events.on('import.finished', r));
    const { jobId } = (await app.dispatch('import.end', { uploadId })) as { jobId: string };
    expect(jobId).toMatch(/-/);
    expect(await finished).toMatchObject({ fileName: 'u.csv', accepted: 2, encoding: 'utf-16le' });
  });
});

describe('the import worker’s memory', () => {
  it('a .json document too large for the worker’s heap is refused with what to do, storing nothing; the same mentions as JSONL are read whole within it', async () => {
    const { app } = testApp({ testHooks: { importWorkerHeapMb: 24 } });
    const dir = tempDir();
    const items = Array.from({ length: 60_000 }, (_, i) => mention(i, i % 60));
    writeFileSync(join(dir, 'tutto.json'), `[${items.join(',\n')}]`);
    const report = await app.importFile({ path: join(dir, 'tutto.json'), fileName: 'tutto.json' }).done;
    expect(report.error).toMatch(/^Il file non si legge senza superare 24 MiB di memoria: .*Salvalo come JSONL/);
    expect(report.accepted).toBe(0);
    expect(await storedOrder(app)).toEqual([]);
    // A line at a time, the same heap reads all of them: the worker reaches the storing
    // phase (then this test cancels, as storing 60,000 mentions would only cost time).
    writeFileSync(join(dir, 'tutto.jsonl'), items.join('\n'));
    const job = app.importFile({ path: join(dir, 'tutto.jsonl'), fileName: 'tutto.jsonl' });
    const read: number[] = [];
    app.events.on('import.progress', (p) => {
      if (p.jobId !== job.id || p.phase !== 'storing' || read.length > 0) return;
      read.push(p.total);
      app.importJobs.cancel(job.id);
    });
    const lines = await job.done;
    expect(read).toEqual([60_000]);
    expect(lines).toMatchObject({ error: expect.not.stringMatching(/memoria/), cancelled: true });
  });
});
