import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, openApp, openReadOnly, type CoreApp } from '../../src/app/app';
import { APP_VERSION } from '../../src/core/version';
import { LATEST_SCHEMA_VERSION } from '../../src/core/store/migrations';
import { ApiError, type EventName, type OpOutput } from '../../src/shared/contract';
import { expectApiError, tempDir, testApp, testPlatform, onClose } from './support/core';
import { importContent } from '../support/import-content';

type Ev = { event: EventName; payload: unknown };
function record(app: CoreApp): Ev[] {
  const seen: Ev[] = [];
  app.events.subscribe((event, payload) => seen.push({ event, payload }));
  return seen;
}

const mention = (i: number, extra: Record<string, unknown> = {}) => ({
  source: 'Webhook test',
  external_id: `m${i}`,
  author: `autore${i}`,
  text: `Messaggio numero ${i}`,
  published_at: new Date(Date.UTC(2026, 0, 1, 12, 0, i)).toISOString(),
  ...extra,
});

describe('dispatcher', () => {
  it('rejects unknown operations and bad input with ApiError invalid, in Italian', async () => {
    const { app } = testApp();
    await expectApiError(app.dispatch('nope', {}), 'invalid');
    const e = await expectApiError(app.dispatch('mentions.list', { limit: 'tanti' }), 'invalid');
    expect(e.message).toMatch(/Richiesta non valida/);
    expect(e.details?.length).toBeGreaterThan(0);
    await expectApiError(app.dispatch('mentions.get', { id: 1.5 }), 'invalid');
    await expectApiError(app.dispatch('settings.update', { theme: 'neon' }), 'invalid');
    await expectApiError(app.dispatch('settings.get', { extra: 1 }), 'invalid');
    await expectApiError(app.dispatch('mentions.list', { after: { publishedAt: 'ieri', id: 1 } }), 'invalid');
  });

  it('serves app.info, settings and missing mentions', async () => {
    const { app, dataDir } = testApp();
    app.setWebhookEndpoints({ mentionsUrl: 'http://127.0.0.1:1/api/v1/webhook/mentions', metricsUrl: 'http://127.0.0.1:1/api/v1/webhook/metrics' });
    expect(await app.dispatch('app.info', {})).toEqual({
      version: APP_VERSION, dataDir, mode: 'browser', webhookUrl: 'http://127.0.0.1:1/api/v1/webhook/mentions', mentionCount: 0, credentialsBackend: 'local_key', team: null,
    });
    expect(await app.dispatch('settings.get', {})).toEqual({ locale: 'it', theme: 'system', onboarded: false, lockMinutes: 15, timeZone: 'Europe/Rome', authorHandles: { enabled: false, legalBasis: null, by: null, at: null } });
    expect(await app.dispatch('settings.update', { onboarded: true, theme: 'dark' })).toEqual({ locale: 'it', theme: 'dark', onboarded: true, lockMinutes: 15, timeZone: 'Europe/Rome', authorHandles: { enabled: false, legalBasis: null, by: null, at: null } });
    await expectApiError(app.dispatch('mentions.get', { id: 999 }), 'not_found');
    await expectApiError(app.dispatch('mentions.setStatus', { id: 999, status: 'read' }), 'not_found');
  });

  it('APP_VERSION follows package.json', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(APP_VERSION).toBe(pkg.version);
  });
});

describe('webhook ingest', () => {
  it('a mixed batch: good stored, duplicate counted, invalid listed with index and reason', async () => {
    const { app } = testApp();
    const ev = record(app);
    const res = app.ingestWebhook([mention(1), mention(2), mention(1, { text: 'stesso id, altre parole' }), { source: 'x', text: '   ' }, 'testo', { text: 'senza fonte' }]);
    expect(res.accepted).toBe(2);
    expect(res.duplicates).toBe(1);
    expect(res.ids).toHaveLength(2);
    expect(res.rejected.map((r) => r.index)).toEqual([3, 4, 5]);
    expect(res.rejected[0]!.reason).toBe('text: servono text o title');
    expect(res.rejected[1]!.reason).toMatch(/oggetto/);
    expect(res.rejected[2]!.reason).toMatch(/^source: /);

    const added = ev.filter((e) => e.event === 'mentions.added');
    expect(added).toHaveLength(1);
    const items = (added[0]!.payload as { items: OpOutput<'mentions.get'>['mention'][] }).items;
    expect(items.map((m) => m.externalId)).toEqual(['m1', 'm2']);
    expect(items[0]).toMatchObject({ sourceName: 'Webhook test', sourceKind: 'webhook', status: 'new', text: 'Messaggio numero 1', lang: 'it' });
    expect(items[0]!.authorKey).toMatch(/^[0-9a-f]{16}$/);
    expect(ev.filter((e) => e.event === 'sources.changed')).toHaveLength(1);

    // The event carries exactly what a later read returns.
    const stored = await app.dispatch('mentions.get', { id: items[0]!.id });
    expect((stored as OpOutput<'mentions.get'>).mention).toEqual(items[0]);

    const again = app.ingestWebhook([mention(1), mention(2)]);
    expect(again).toMatchObject({ accepted: 0, duplicates: 2, rejected: [], ids: [] });
    expect(ev.filter((e) => e.event === 'mentions.added')).toHaveLength(1);
    expect(ev.filter((e) => e.event === 'sources.changed')).toHaveLength(1);
  });

  it('one object works as well as a list; a non-object body or an oversized list is refused', () => {
    const { app } = testApp();
    expect(app.ingestWebhook(mention(1)).accepted).toBe(1);
    expect(() => app.ingestWebhook('ciao')).toThrow(ApiError);
    expect(() => app.ingestWebhook(null)).toThrow(ApiError);
    try {
      app.ingestWebhook(Array.from({ length: 5_001 }, (_, i) => mention(i)));
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).code).toBe('too_large');
    }
  });

  it('a batch whose transaction fails stores nothing, announces nothing, and throws', async () => {
    const { app, dataDir } = testApp();
    app.ingestWebhook([mention(0)]);
    // Sabotage from outside: a trigger that aborts on one particular row.
    const raw = new Database(join(dataDir, 'vedetta.db'));
    raw.exec(`CREATE TRIGGER boom BEFORE INSERT ON mentions WHEN new.text = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;`);
    raw.close();
    const ev = record(app);
    expect(() => app.ingestWebhook([mention(1), mention(2), mention(3, { text: 'boom', source: 'Nuova fonte' })])).toThrow(/boom/);
    expect(ev).toEqual([]);
    const list = (await app.dispatch('mentions.list', {})) as OpOutput<'mentions.list'>;
    expect(list.total).toBe(1);
    expect(((await app.dispatch('sources.list', {})) as OpOutput<'sources.list'>).map((s) => s.name)).toEqual(['Webhook test']);
  });

  it('keeps script and HTML inert', async () => {
    const { app } = testApp();
    const { ids } = app.ingestWebhook([mention(1, { text: '<script>alert(1)</script><b>Attenzione</b> &lt;img src=x onerror=alert(2)&gt;', title: '<i>Titolo</i>' })]);
    const { mention: m } = (await app.dispatch('mentions.get', { id: ids[0]! })) as OpOutput<'mentions.get'>;
    expect(m.text).toBe('Attenzione <img src=x onerror=alert(2)>');
    expect(m.title).toBe('Titolo');
  });
});

describe('import', () => {
  it('a JSONL file with bad lines: good lines stored, each bad line listed, report kept and announced', async () => {
    const { app } = testApp();
    const ev = record(app);
    const content = [
      JSON.stringify(mention(1, { source: 'Forum' })),
      '{ rotto',
      JSON.stringify({ source: 'Forum', text: '' }),
      '',
      JSON.stringify(mention(2, { source: 'Forum', likes: -1 })),
      JSON.stringify(mention(3, { source: 'Forum', url: 'https://x.it/a?utm_source=nl' })),
      JSON.stringify(mention(1, { source: 'Forum' })),
    ].join('\n');
    const report = await importContent(app, 'dati.jsonl', content);
    expect(report).toMatchObject({ fileName: 'dati.jsonl', format: 'jsonl', lines: 6, accepted: 2, duplicates: 1, error: null });
    expect(report.rejected.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(report.rejected[0]!.reason).toMatch(/JSON non valido/);
    expect(report.rejected[1]!.reason).toBe('text: servono text o title');
    expect(report.rejected[2]!.reason).toBe('likes: non può essere negativo');
    expect(ev.find((e) => e.event === 'import.finished')?.payload).toEqual(report);
    expect(await app.dispatch('import.reports', {})).toEqual([report]);
    const sources = (await app.dispatch('sources.list', {})) as OpOutput<'sources.list'>;
    expect(sources).toEqual([expect.objectContaining({ kind: 'import', name: 'Forum', mentionCount: 2 })]);

    // Re-importing the same file stores nothing twice.
    const again = (await app.dispatch('import.file', { fileName: 'dati.jsonl', content })) as OpOutput<'import.file'>;
    expect(again).toMatchObject({ accepted: 0, duplicates: 3 });
  });

  it('a CSV import goes through the same pipeline', async () => {
    const { app } = testApp();
    const r = await importContent(app, 'clienti.csv', 'author;text;likes\nada;Ottimo servizio;4\nbob;;1\n');
    expect(r).toMatchObject({ format: 'csv', lines: 2, accepted: 1, duplicates: 0 });
    expect(r.rejected).toEqual([{ index: 1, line: 3, reason: 'text: servono text o title' }]);
  });

  it('an unreadable file gives a report with an error and stores nothing', async () => {
    const { app } = testApp();
    const r = await importContent(app, 'contatti.csv', 'nome,email\nmario,m@x.it\n');
    expect(r.error).toMatch(/colonna "text"/);
    expect(r.accepted).toBe(0);
    const bin = await importContent(app, 'foglio.xlsx', 'PK\u0003\u0004\u0000\u0000\u0000', 'csv');
    expect(bin.error).toMatch(/binario/);
    expect(((await app.dispatch('mentions.list', {})) as OpOutput<'mentions.list'>).total).toBe(0);
    expect(await app.dispatch('import.reports', {})).toHaveLength(2);
  });
});

describe('data folder lock and read-only access', () => {
  it('a second instance is refused while read-only access works; the lock goes with close', () => {
    const { app, dataDir } = testApp();
    app.ingestWebhook([mention(1, { author: 'Mario Rossi', text: 'Testo con "virgolette", virgole\ne a capo' }), mention(2, { text: '=HYPERLINK("http://x")' })]);
    expect(() => openApp({ platform: testPlatform(dataDir), mode: 'cli' })).toThrow(DataDirLockedError);
    expect(() => openApp({ platform: testPlatform(dataDir), mode: 'cli' })).toThrow(/Un'altra istanza di Vedetta sta già usando la cartella dati/);

    const ro = openReadOnly(dataDir);
    onClose(() => ro.close());
    expect(ro.status()).toEqual({ dataDir, schemaVersion: LATEST_SCHEMA_VERSION, mentions: 2, sources: 1, lockedBy: process.pid });
    let jsonl = '';
    expect(ro.exportMentions('jsonl', (c) => (jsonl += c))).toBe(2);
    const rows = jsonl.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.external_id)).toEqual(['m2', 'm1']);
    expect(rows[1]!.author_key).toMatch(/^[0-9a-f]{16}$/);
    expect(jsonl).not.toContain('Mario');
    let csv = '';
    ro.exportMentions('csv', (c) => (csv += c));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,source,source_kind,external_id,url,author_key,title,text,lang,published_at,fetched_at,thread_id,parent_id,likes,comments,shares,score,status,sentiment_score,sentiment_label');
    expect(csv).toContain('"Testo con ""virgolette"", virgole\ne a capo"');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).not.toContain('Mario');

    app.close();
    expect(existsSync(join(dataDir, 'vedetta.lock'))).toBe(false);
    expect(ro.status().lockedBy).toBeNull();
    const again = openApp({ platform: testPlatform(dataDir), mode: 'cli' });
    again.close();
  });

  it('a stale lock left by a dead process is taken over', () => {
    const dataDir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dataDir, 'vedetta.lock'), JSON.stringify({ pid: dead, startedAt: 'ieri', token: 'x' }));
    const app = openApp({ platform: testPlatform(dataDir), mode: 'cli' });
    expect(JSON.parse(readFileSync(join(dataDir, 'vedetta.lock'), 'utf8')).pid).toBe(process.pid);
    app.close();
  });

  it('read-only access refuses a folder without a database', () => {
    expect(() => openReadOnly(tempDir())).toThrow(/Nessun database/);
  });
});

describe('mentions.list', () => {
  it('pages with a cursor return every row exactly once, even with equal times and new arrivals', async () => {
    const { app } = testApp();
    const n = 1_234;
    // Many rows share a timestamp: the id breaks the tie.
    app.ingestWebhook(Array.from({ length: n }, (_, i) => mention(i, { published_at: new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(i / 7))).toISOString() })));
    const seen: number[] = [];
    let after: OpOutput<'mentions.list'>['next'] = null;
    let pages = 0;
    do {
      const page = (await app.dispatch('mentions.list', { limit: 100, ...(after ? { after } : {}) })) as OpOutput<'mentions.list'>;
      expect(page.total).toBe(pages === 0 ? n : n + 5);
      seen.push(...page.items.map((m) => m.id));
      after = page.next;
      // Newer mentions arriving meanwhile do not shift the pages being read.
      if (pages++ === 0) app.ingestWebhook(Array.from({ length: 5 }, (_, i) => mention(10_000 + i, { published_at: '2027-01-01T00:00:00Z' })));
    } while (after);
    expect(pages).toBe(13);
    expect(seen).toHaveLength(n);
    expect(new Set(seen).size).toBe(n);
  });

  it('full-text search with and without accents, combined with filters', async () => {
    const { app } = testApp();
    app.ingestWebhook([
      mention(1, { text: 'Perché il caffè è così amaro?', lang: 'it' }),
      mention(2, { text: 'perche non rispondete', lang: 'it' }),
      mention(3, { text: 'Why is the coffee so bitter? perché', lang: 'en', source: 'Altra' }),
      mention(4, { text: 'Niente da dire', lang: 'it' }),
    ]);
    const q = async (query: Record<string, unknown>) =>
      ((await app.dispatch('mentions.list', { query })) as OpOutput<'mentions.list'>).items.map((m) => m.externalId);
    expect(await q({ text: 'perche' })).toEqual(['m3', 'm2', 'm1']);
    expect(await q({ text: 'perché' })).toEqual(['m3', 'm2', 'm1']);
    expect(await q({ text: 'CAFFE amaro' })).toEqual(['m1']);
    expect(await q({ text: 'caf' })).toEqual(['m1']);
    expect(await q({ text: 'perche', langs: ['en'] })).toEqual(['m3']);
    const sources = (await app.dispatch('sources.list', {})) as OpOutput<'sources.list'>;
    const altra = sources.find((s) => s.name === 'Altra')!;
    expect(await q({ text: 'perche', sourceIds: [altra.id] })).toEqual(['m3']);
    expect(await q({ text: '"); DROP TABLE mentions; --' })).toEqual([]);
    expect(await q({ text: '   ' })).toHaveLength(4);
  });

  it('setStatus changes the status and get returns the thread', async () => {
    const { app } = testApp();
    const { ids } = app.ingestWebhook([mention(1), mention(2, { thread_id: 'm1', parent_id: 'm1' })]);
    const m = (await app.dispatch('mentions.setStatus', { id: ids[0]!, status: 'read' })) as OpOutput<'mentions.setStatus'>;
    expect(m.status).toBe('read');
    const got = (await app.dispatch('mentions.get', { id: ids[1]! })) as OpOutput<'mentions.get'>;
    expect(got.thread.map((t) => t.externalId)).toEqual(['m1', 'm2']);
  });
});

describe('demo and replay', () => {
  it('demo.start without the bundled stream is not_found with a clear message', async () => {
    const { app } = testApp({ resourcesDir: tempDir() });
    const e = await expectApiError(app.dispatch('demo.start', {}), 'not_found');
    expect(e.message).toMatch(/demo/);
    expect(await app.dispatch('demo.state', {})).toEqual({ running: false, name: null, speed: 1, emitted: 0, total: 0 });
  });

  it('demo.start replays the bundled stream as a replay source and reports progress', async () => {
    const resourcesDir = tempDir();
    mkdirSync(join(resourcesDir, 'demo'));
    const lines = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ source: 'Demo forum', external_id: `d${i}`, text: `Post demo ${i}`, published_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() }),
    );
    writeFileSync(join(resourcesDir, 'demo', 'stream.jsonl'), lines.join('\n'));
    const { app } = testApp({ resourcesDir });
    const finished = new Promise<void>((res) =>
      app.events.subscribe((event, payload) => {
        if (event === 'replay.state' && !(payload as { running: boolean }).running) res();
      }),
    );
    const started = (await app.dispatch('demo.start', { speed: 10_000 })) as OpOutput<'demo.start'>;
    expect(started).toMatchObject({ name: 'demo', speed: 10_000, total: 30 });
    await finished;
    expect(await app.dispatch('demo.state', {})).toEqual({ running: false, name: 'demo', speed: 10_000, emitted: 30, total: 30 });
    const list = (await app.dispatch('mentions.list', {})) as OpOutput<'mentions.list'>;
    expect(list.total).toBe(30);
    expect(list.items[0]).toMatchObject({ sourceKind: 'replay', sourceName: 'Demo forum', externalId: 'd29' });
    // The demo's perimeter declares the brand's own Instagram account (owned-thread moments).
    const perimeter = (await app.dispatch('perimeters.list', {})) as OpOutput<'perimeters.list'>;
    expect(perimeter.owned.map((o) => [o.type, o.value])).toEqual([['source', 'Instagram @caffeaurora']]);
  });

  it('replayFile resolves when done; close() stops a running replay', async () => {
    const dir = tempDir();
    const file = join(dir, 'stream.jsonl');
    writeFileSync(file, [0, 1, 2].map((i) => JSON.stringify({ source: 'R', external_id: `r${i}`, text: `r${i}`, published_at: new Date(i * 3_600_000).toISOString() })).join('\n'));
    const { app } = testApp();
    const ev = record(app);
    // Hours apart at speed 1: only the first is due; close() must end it.
    const p = app.replayFile(file, 1);
    // Wait for the first item (not a fixed delay: a loaded machine may need more than 50 ms).
    for (let i = 0; i < 500 && !ev.some((e) => e.event === 'mentions.added'); i++) await new Promise((r) => setTimeout(r, 10));
    app.close();
    await p;
    expect(ev.filter((e) => e.event === 'mentions.added')).toHaveLength(1);
  });
});
