// `vedetta sources add|list|test` as an admin scripts them, and `vedetta serve` polling
// what was added, against a feed server on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceView } from '../../src/shared/ops/sources';
import { startVedetta } from '../support/vedetta-process';
import { tempDir } from './support/app';
import { vedetta } from './support/cli';



let server: http.Server;
let base = '';
const FEED = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Blog</title>
<item><title>Primo articolo</title><link>/a/1</link><guid>a1</guid><description>Il caffè</description></item>
<item><title>Secondo articolo</title><link>/a/2</link><guid>a2</guid><description>La città</description></item>
</channel></rss>`;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/feed') res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(FEED);
    else if (req.url === '/broken') res.writeHead(500).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('vedetta sources', () => {
  it('test is a dry run that needs no data folder and prints the preview', async () => {
    const ok = await vedetta(['sources', 'test', '--url', `${base}/feed`]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Prova riuscita: 2 elementi verrebbero salvati \(nulla è stato salvato\)/);
    expect(ok.stdout).toMatch(/Primo articolo/);
    expect(ok.stdout).toContain(`${base}/a/1`);
    const json = await vedetta(['sources', 'test', '--url', `${base}/feed`, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, total: 2 });
    const bad = await vedetta(['sources', 'test', '--url', `${base}/broken`]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/Prova non riuscita: il feed ha risposto 500/);
  }, 90_000);

  it('add validates in Italian, list shows health as JSON, and serve polls what was added', async () => {
    const data = tempDir('vedetta-cli-sources-');
    try {
      const usage = await vedetta(['sources', 'add', '--kind', 'rss', '--url', 'ftp://x', '--data', data]);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/l’indirizzo deve iniziare con http:\/\/ o https:\/\//);
      const short = await vedetta(['sources', 'add', '--kind', 'rss', '--url', `${base}/feed`, '--interval', '10', '--data', data]);
      expect(short.code).toBe(2);
      expect(short.stderr).toMatch(/l’intervallo minimo è 60 secondi/);
      const noKind = await vedetta(['sources', 'add', '--data', data]);
      expect(noKind.stderr).toMatch(/Manca --kind/);

      const add = await vedetta(['sources', 'add', '--kind', 'rss', '--url', `${base}/feed`, '--name', 'Blog', '--interval', '600', '--data', data]);
      expect(add.code, add.stderr).toBe(0);
      expect(add.stdout).toMatch(/Fonte aggiunta: #\d+ «Blog» \(rss\), controllo ogni 600 s/);
      const dup = await vedetta(['sources', 'add', '--kind', 'rss', '--url', `${base}/feed`, '--name', 'Blog', '--data', data]);
      expect(dup.code).toBe(1);
      expect(dup.stderr).toMatch(/Esiste già una fonte chiamata «Blog»/);
      // A feed takes no credentials: given from the environment they are refused, not kept.
      const secret = await vedetta(['sources', 'add', '--kind', 'rss', '--url', `${base}/feed`, '--name', 'Con chiave', '--data', data], { VEDETTA_SECRET_API_KEY: 'k' });
      expect(secret.code).toBe(1);
      expect(secret.stderr).toMatch(/credenziali/);

      const before = JSON.parse((await vedetta(['sources', 'list', '--format', 'json', '--data', data])).stdout) as SourceView[];
      expect(before).toHaveLength(1);
      expect(before[0]).toMatchObject({ name: 'Blog', kind: 'rss', intervalSec: 600, config: { url: `${base}/feed` } });
      expect(before[0]?.health).toMatchObject({ state: 'pending', lastSuccessAt: null, lastError: null, itemsLastHour: 0 });

      // serve polls every enabled source; list works beside it (read-only), add is refused with a way out.
      const v = await startVedetta({ dataDir: data });
      try {
        let after: SourceView[] = [];
        await expect
          .poll(
            async () => {
              after = JSON.parse((await vedetta(['sources', 'list', '--format', 'json', '--data', data])).stdout) as SourceView[];
              return after[0]?.health.state;
            },
            { timeout: 20_000, interval: 500 },
          )
          .toBe('ok');
        expect(after[0]).toMatchObject({ mentionCount: 2 });
        expect(after[0]?.health.itemsLastHour).toBe(2);
        expect(Date.parse(after[0]!.health.nextPollAt!)).toBeGreaterThan(Date.parse(after[0]!.health.lastSuccessAt!) + 590_000);

        const text = await vedetta(['sources', 'list', '--data', data]);
        expect(text.stdout).toMatch(/#\d+ Blog \(rss\) — attiva/);

        const locked = await vedetta(['sources', 'add', '--kind', 'rss', '--url', `${base}/broken`, '--data', data]);
        expect(locked.code).toBe(1);
        expect(locked.stderr).toMatch(/La fonte non è stata aggiunta: aggiungila dall'interfaccia/);
      } finally {
        await v.stop();
      }
      const final = JSON.parse((await vedetta(['sources', 'list', '--format', 'json', '--data', data])).stdout) as SourceView[];
      expect(final).toHaveLength(1);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
    // A dozen CLI processes: minutes on a loaded two-core machine.
  }, 180_000);
});
