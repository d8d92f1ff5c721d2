// An administrator keeps a copy of the audit anchor in a folder outside the data folder
// (Registro → "Copia dell'ancora"): a bad path is refused where it is typed, a good one is
// written at once and with every change, and someone who cuts the newest rows AND re-signs
// the data folder's anchor is still caught by the copy. An analyst does not see the choice.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANCHOR_COPY_FILE, ANCHOR_FILE, readAnchorKey, signAnchor, writeAnchor } from '../../src/core/audit';
import type { BrowserSession } from './support/browser';
import { AuditPage, SessionChip, signIn } from './support/pages';
import { ADMIN, type TestUser, type VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';
import { holdCall, isCall } from './support/held-call';

const ANALYST: TestUser = { username: 'aldo', password: 'password-di-prova-aldo', roles: ['analyst'], name: 'Aldo Analista' };

let v: VedettaInstance;
let b: BrowserSession;
let outside: string;

beforeAll(async () => {
  outside = mkdtempSync(join(tmpdir(), 'vedetta-anchor-share-'));
  ({ v, b } = await startSignedIn({ users: [ADMIN, ANALYST], empty: true }));
});
afterAll(async () => {
  await stopSignedIn({ v, b });
  rmSync(outside, { recursive: true, force: true });
});

describe('the audit anchor’s copy folder', () => {
  it('refuses a path it cannot use where it is typed: relative, missing, the data folder itself', async () => {
    // The stored folder's answer is held until a path is typed: under load it came after the
    // typing and emptied the field, and the save then stopped the copy instead of refusing.
    const stored = await holdCall(b.page, 'audit.anchorCopy');
    const answered = b.page.waitForResponse(isCall('audit.anchorCopy'));
    await b.page.getByTestId('nav-audit').click();
    const input = b.page.getByTestId('anchor-copy-dir');
    await input.fill('archivio');
    stored.release();
    await answered;
    await stored.stop();
    await b.page.getByTestId('anchor-copy-save').click();
    await expect.poll(() => b.page.getByTestId('anchor-copy-error').textContent()).toMatch(/percorso completo/);
    expect(await input.inputValue()).toBe('archivio');
    await input.fill(join(outside, 'manca'));
    await b.page.getByTestId('anchor-copy-save').click();
    await expect.poll(() => b.page.getByTestId('anchor-copy-error').textContent()).toMatch(/non esiste/);
    await input.fill(v.dataDir);
    await b.page.getByTestId('anchor-copy-save').click();
    await expect.poll(() => b.page.getByTestId('anchor-copy-error').textContent()).toMatch(/non protegge nulla/);
  });

  it('takes a good path and writes the copy at once; the choice and the refused paths are in the log', async () => {
    const input = b.page.getByTestId('anchor-copy-dir');
    await input.fill(outside);
    await b.page.getByTestId('anchor-copy-save').click();
    await expect.poll(() => b.page.getByTestId('anchor-copy-status').textContent()).toMatch(/ultima scrittura/);
    expect(existsSync(join(outside, ANCHOR_COPY_FILE))).toBe(true);
    const audit = new AuditPage(b.page);
    await audit.verify.click();
    await expect.poll(() => audit.verifyOk.getAttribute('data-anchor-copy')).toBe('ok');
    expect(await audit.verifyOk.textContent()).toMatch(/Copia nella cartella scelta confermata/);
    // The choice is in the log with its folder, and so are the three refused paths.
    const choices = audit.rows.filter({ hasText: 'audit.setAnchorCopy' });
    await expect.poll(() => choices.count()).toBe(4);
    expect(await choices.first().textContent()).toContain(outside);
    expect(await choices.filter({ hasText: 'fallito' }).count()).toBe(3);
  });

  it('is rewritten with every change', async () => {
    const before = JSON.parse(readFileSync(join(outside, ANCHOR_COPY_FILE), 'utf8')) as { entries: number };
    await v.api('settings.update', { theme: 'dark' });
    await expect.poll(() => (JSON.parse(readFileSync(join(outside, ANCHOR_COPY_FILE), 'utf8')) as { entries: number }).entries).toBeGreaterThan(before.entries);
  });

  it('catches the newest rows cut by someone who also re-signed the data folder’s anchor', async () => {
    const db = new Database(join(v.dataDir, 'vedetta.db'));
    const last = db.prepare('SELECT MAX(id) AS id FROM audit_log').get() as { id: number };
    db.prepare('DELETE FROM audit_log WHERE id > ?').run(last.id - 2);
    const head = db.prepare('SELECT COUNT(*) AS entries, MAX(id) AS lastId FROM audit_log').get() as { entries: number; lastId: number };
    const { hash } = db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(head.lastId) as { hash: string };
    db.close();
    // The attacker holds the data folder, key included: the folder's own anchor agrees with the cut log.
    writeAnchor(join(v.dataDir, ANCHOR_FILE), signAnchor(readAnchorKey(v.dataDir)!, { entries: head.entries, lastId: head.lastId, lastHash: hash }, Date.now()));

    const audit = new AuditPage(b.page);
    await audit.verify.click();
    await audit.brokenBanner.waitFor();
    expect(await audit.brokenBanner.getAttribute('data-where')).toBe('copy');
    expect(await audit.brokenBanner.getAttribute('data-anchor')).toBe('truncated');
    expect(await audit.brokenBanner.textContent()).toMatch(/Registro accorciato: la copia dell’ancora nella cartella scelta/);
    expect(b.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('an analyst reads the log but is not offered the folder choice', async () => {
    await new SessionChip(b.page).signOut();
    await signIn(b.page, ANALYST.username, ANALYST.password);
    await b.page.getByTestId('nav-audit').click();
    await new AuditPage(b.page).rows.first().waitFor();
    expect(await b.page.getByTestId('anchor-copy').count()).toBe(0);
    await expect(v.apiAs(ANALYST, 'audit.setAnchorCopy', { dir: outside })).rejects.toThrow(/403/);
  });
});
