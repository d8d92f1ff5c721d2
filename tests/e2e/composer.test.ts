// The composer that knows the channel (issue #17, item 3) and the checks that block publishing
// (item 5) through the real UI and the real `vedetta serve`: a reply over X's 280 characters
// is refused with the count in red; a saved template's placeholders are filled on insertion;
// a manual channel is published from the response itself (copy, open, paste the URL); a
// forbidden theme and a live crisis block publishing until a legal reviewer overrides them
// with a reason, which the audit log shows.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, AuditPage, InboxPage, WelcomePage, signIn } from './support/pages';
import { ResponsesPage } from './support/responses-pages';
import { approveAll, ComposerPage, ManualPublishPage, WarningsPage } from './support/composer-pages';
import { ADMIN, postMentions, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

const GIULIA: TestUser = { username: 'giulia', password: 'password-di-giulia', roles: ['manager'], name: 'Giulia Rossi' };
const LAURA: TestUser = { username: 'laura', password: 'password-di-laura', roles: ['legal'], name: 'Laura Bianchi' };
const OSCAR: TestUser = { username: 'oscar', password: 'password-di-oscar', roles: ['owner'], name: 'Oscar Verdi' };
const SARA: TestUser = { username: 'sara', password: 'password-di-sara', roles: ['strategist'], name: 'Sara Neri' };
const REVIEWERS = { legal: LAURA, owner: OSCAR, strategist: SARA };

let v: VedettaInstance;
let brandId = 0;
const browsers: BrowserSession[] = [];

beforeEach(async () => {
  v = await startVedetta({ users: [ADMIN, GIULIA, LAURA, OSCAR, SARA] });
  brandId = ((await v.api('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number }).id;
  await v.api('perimeters.themeCreate', { brandId, name: 'Capsule', query: 'capsule', swot: 'strength', stance: 'in_perimeter' });
});
afterEach(async () => {
  for (const b of browsers.splice(0)) await b.close();
  await v?.stop();
});

async function signedIn(user: TestUser, first = true): Promise<BrowserSession> {
  const b = await openBrowser(v.uiUrl);
  browsers.push(b);
  await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: v.url });
  await signIn(b.page, user.username, user.password);
  if (first) await new WelcomePage(b.page).startEmpty.click();
  await new AppShell(b.page).ready;
  return b;
}

async function manualChannel(name: string, platform: 'x' | 'instagram'): Promise<void> {
  await v.api('publishing.channelCreate', { kind: 'manual', name, config: { platform } });
}

async function replyFromInbox(b: BrowserSession, text: string): Promise<ResponsesPage> {
  await new InboxPage(b.page).rowWithText(text).first().click();
  await b.page.getByTestId('detail-reply').click();
  const r = new ResponsesPage(b.page);
  await r.composer.waitFor();
  return r;
}

const colorOf = (l: { evaluate: (f: (e: Element) => string) => Promise<string> }): Promise<string> => l.evaluate((e) => getComputedStyle(e).color);
const dangerColor = (b: BrowserSession): Promise<string> =>
  b.page.evaluate(() => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--c-danger)';
    document.body.append(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c;
  });

describe('the composer knows the channel', () => {
  it("a reply over X's 280 characters: the count turns red, submitting is refused (in the UI and by the server), a shorter one goes", async () => {
    await manualChannel('X Aurora', 'x');
    expect((await postMentions(v, [{ source: 'X @caffeaurora', external_id: 'x1', url: 'https://x.com/mario/status/1', text: 'Le capsule Aurora sono finite ovunque?', lang: 'it', published_at: new Date().toISOString() }])).status).toBe(202);
    const b = await signedIn(GIULIA);
    const r = await replyFromInbox(b, 'sono finite ovunque');
    const c = new ComposerPage(b.page);
    await expect.poll(() => r.composerChannel.locator('option').allTextContents()).toContain('X Aurora');
    await r.composerChannel.selectOption({ label: 'X Aurora' });
    const long = `${'Ciao! Le capsule tornano in negozio la prossima settimana, '.repeat(5)}grazie.`;
    expect([...long].length).toBe(302);
    await r.composerText.fill(long);
    await expect.poll(() => c.count.getAttribute('data-over')).toBe('true');
    expect(await c.count.textContent()).toMatch(/302 \/ 280\s*22 oltre il limite di «X Aurora»/);
    expect(await colorOf(c.count)).toBe(await dangerColor(b));
    expect(await r.saveAndSubmit.isDisabled()).toBe(true);
    // What the platform would refuse is marked in the preview.
    expect((await c.previewCut.textContent())?.length).toBe(22);

    // Saved as a draft it stays over the limit: red in the detail, not sendable, refused by the server.
    await r.saveDraft.click();
    await r.text.waitFor();
    expect(await c.responseCount.getAttribute('data-over')).toBe('true');
    expect(await r.submit.isDisabled()).toBe(true);
    const list = (await v.apiAs(GIULIA, 'responses.list', { queue: 'mine' })) as { items: { id: number }[] };
    await expect(v.apiAs(GIULIA, 'responses.submit', { id: list.items[0]!.id })).rejects.toThrow(/Testo troppo lungo per «X Aurora»: 302 caratteri su 280\. Accorcialo di 22\./);

    // Shortened, it goes to approval.
    await r.edit.click();
    await r.editText.fill('Ciao! Le capsule tornano in negozio la prossima settimana ☕');
    await expect.poll(() => b.page.getByTestId('response-edit-count').getAttribute('data-over')).toBe('false');
    await r.saveVersion.click();
    await expect.poll(() => c.responseCount.textContent()).toMatch(/59 \/ 280/);
    await r.submit.click();
    await expect.poll(() => r.state.getAttribute('data-state')).toBe('in_review');
    expect(b.errors.filter((e) => !/status of 40\d/.test(e))).toEqual([]);
  });

  it('a saved template is inserted with its placeholders filled, beside the thread it answers', async () => {
    const now = Date.now();
    expect((await postMentions(v, [
      { source: 'Reddit r/italy', external_id: 't3_abc', url: 'https://www.reddit.com/r/italy/comments/abc/capsule/', title: 'Capsule Aurora introvabili', text: 'Qualcuno sa dove trovarle a Milano?', lang: 'it', published_at: new Date(now - 600_000).toISOString() },
      { source: 'Reddit r/italy', external_id: 't1_c1', thread_id: 't3_abc', parent_id: 't3_abc', url: 'https://www.reddit.com/r/italy/comments/abc/_/c1/', text: 'Anche io cerco le capsule da giorni, nessuna risposta dal brand', lang: 'it', published_at: new Date(now - 60_000).toISOString() },
    ])).status).toBe(202);
    const b = await signedIn(GIULIA);
    const r = await replyFromInbox(b, 'nessuna risposta dal brand');
    const c = new ComposerPage(b.page);
    // The thread: the post it answers, then the mention.
    await c.context.waitFor();
    expect(await c.contextPost('parent').textContent()).toContain('Qualcuno sa dove trovarle a Milano?');
    expect(await c.contextPost('mention').textContent()).toContain('nessuna risposta dal brand');

    // A manager keeps a template...
    await c.templateManage.click();
    await c.templateName.fill('Contatto privato');
    await c.templateText.fill('Ciao {autore}, qui {brand}: ti rispondiamo in privato su {link}');
    await c.templateSave.click();
    await expect.poll(() => c.templateSelect.locator('option').allTextContents()).toContain('Contatto privato');
    // ...and inserts it: brand and link filled, the author (a key, no readable name yet) left to complete.
    await r.composerText.fill('');
    await c.templateSelect.selectOption({ label: 'Contatto privato' });
    await c.templateInsert.click();
    const filled = 'Ciao {autore}, qui Caffè Aurora: ti rispondiamo in privato su https://www.reddit.com/r/italy/comments/abc/_/c1/';
    await expect.poll(() => r.composerText.inputValue()).toBe(filled);
    expect(await c.templateMissing.textContent()).toContain('{autore}');
    expect(await c.preview.textContent()).toBe(filled);
    // Someone without the role may not change the templates (the server says so).
    await expect(v.apiAs(LAURA, 'responses.templateSave', { name: 'Mio', text: 'x' })).rejects.toThrow(/Solo social media manager e strategist/);
    await r.composerText.fill(filled.replace('{autore}', 'ciao'));
    await r.saveDraft.click();
    await expect.poll(() => r.text.textContent()).toContain('Caffè Aurora: ti rispondiamo in privato');
    expect(b.errors.filter((e) => !/status of 40\d/.test(e))).toEqual([]);
  });

  it('manual publishing is completed from the response: copy the text, open the post, paste its URL → published and audited', async () => {
    await manualChannel('Instagram (a mano)', 'instagram');
    expect((await postMentions(v, [{ source: 'Instagram @caffeaurora', external_id: 'ig1', url: 'https://www.instagram.com/p/Aurora1/', text: 'Le nuove capsule sono buonissime!', lang: 'it', published_at: new Date().toISOString() }])).status).toBe(202);
    const text = 'Grazie mille! Felici che le capsule ti piacciano.';
    const channels = (await v.apiAs(GIULIA, 'responses.channels', {})) as { id: number; name: string }[];
    const mentions = (await v.api('mentions.list', {})) as { items: { id: number }[] };
    let d = (await v.apiAs(GIULIA, 'responses.create', { targetKind: 'mention', targetId: mentions.items[0]!.id, channelId: channels[0]!.id, text })) as { response: { id: number } };
    const id = d.response.id;
    await v.apiAs(GIULIA, 'responses.submit', { id });
    const approved = await approveAll(v, id, REVIEWERS);
    await v.apiAs(GIULIA, 'responses.checklist', { id, versionId: approved.currentVersion.id, checklist: { timing: true, pertinence: true, brandImage: true, product: true } });

    const b = await signedIn(GIULIA);
    const r = new ResponsesPage(b.page);
    await r.open();
    await r.queue('publishing').click();
    await r.rowWithText('Felici che le capsule').first().click();
    await r.publish.click();
    await expect.poll(() => b.page.getByTestId('response-outbox').getAttribute('data-state')).toBe('awaiting_manual');
    const m = new ManualPublishPage(b.page);
    await m.copy.click();
    await expect.poll(() => m.copied.textContent()).toBe('Testo copiato.');
    expect(await b.page.evaluate(() => navigator.clipboard.readText())).toBe(text);
    // The post opens outside the app, through the app's link policy.
    expect(await m.open.getAttribute('href')).toBe('https://www.instagram.com/p/Aurora1/');
    expect(await m.open.getAttribute('target')).toBe('_blank');
    expect(await m.open.getAttribute('rel')).toContain('noopener');
    // A bad address is refused where the person looks; what was typed stays.
    await m.url.fill('instagram, post di ieri');
    await m.record.click();
    await expect.poll(async () => (await r.error.textContent()) ?? '').toMatch(/indirizzo/i);
    expect(await m.url.inputValue()).toBe('instagram, post di ieri');
    await m.url.fill('https://www.instagram.com/p/Aurora1/c/risposta/');
    await m.url.press('Enter');
    await expect.poll(() => r.state.getAttribute('data-state')).toBe('published');
    expect(await r.publishedUrl.getAttribute('href')).toBe('https://www.instagram.com/p/Aurora1/c/risposta/');
    d = (await v.apiAs(GIULIA, 'responses.get', { id })) as { response: { id: number; state: string } };
    expect(d.response).toMatchObject({ state: 'published' });
    const db = new Database(join(v.dataDir, 'vedetta.db'), { readonly: true });
    try {
      const rows = db.prepare(`SELECT actor, action, detail FROM audit_log WHERE subject = ? ORDER BY id`).all(`response:${id}`) as { actor: string; action: string; detail: string }[];
      // The settlement is written inside the call, the call's own row once it returns.
      expect(rows.map((x) => `${x.actor} ${x.action}`).slice(-3)).toEqual(['giulia responses.publish', 'sistema responses.published', 'giulia responses.recordManual']);
      expect(JSON.parse(rows.at(-1)!.detail)).toMatchObject({ url: 'https://www.instagram.com/p/Aurora1/c/risposta/' });
    } finally {
      db.close();
    }
    expect(b.errors.filter((e) => !/status of 40\d/.test(e))).toEqual([]);
  });
});

describe('the checks block publishing', () => {
  it('a forbidden theme in the crisis blocks publishing until a legal reviewer overrides it with a reason, shown in the audit log', { timeout: 180_000 }, async () => {
    await v.api('perimeters.themeCreate', { brandId, name: 'Muffa nelle capsule', query: 'muffa', swot: 'threat', stance: 'sensitive' });
    await v.api('perimeters.themeCreate', { brandId, name: 'Concorrenza', query: 'lavazza', swot: 'threat', stance: 'forbidden' });
    await manualChannel('Instagram (a mano)', 'instagram');
    const start = Date.now() - 3 * 3_600_000;
    const quiet = Array.from({ length: 72 }, (_, i) => ({
      source: 'Reddit r/italy', external_id: `q${i}`, text: `Il barista di Caffè Aurora fa un cappuccino ${['ottimo', 'buono', 'normale'][i % 3]}`, lang: 'it',
      published_at: new Date(start + i * 50_000).toISOString(),
    }));
    expect((await postMentions(v, quiet)).status).toBe(202);
    const burst = Array.from({ length: 18 }, (_, i) => ({
      source: 'Instagram @caffeaurora', external_id: `b${i}`,
      text: i % 9 === 0 ? 'Muffa nelle capsule Aurora, meglio Lavazza. Vergogna' : ['Muffa nelle capsule, che schifo! Vergogna', 'Ho trovato la muffa nelle capsule Aurora, inaccettabile'][i % 2], lang: 'it',
      published_at: new Date(start + 72 * 50_000 + i * 10_000).toISOString(),
    }));
    expect((await postMentions(v, burst)).status).toBe(202);
    let moment: { id: number } | undefined;
    await expect.poll(async () => {
      moment = ((await v.api('moments.list', { kind: 'crisis' })) as { items: { id: number }[] }).items[0];
      return moment !== undefined;
    }, { timeout: 30_000 }).toBe(true);
    const channels = (await v.apiAs(GIULIA, 'responses.channels', {})) as { id: number }[];
    const text = 'Stiamo verificando i lotti segnalati: scriveteci in privato.';
    const created = (await v.apiAs(GIULIA, 'responses.create', { targetKind: 'moment', targetId: moment!.id, channelId: channels[0]!.id, text })) as { response: { id: number }; warnings: { kind: string }[] };
    const id = created.response.id;
    expect(created.warnings.map((w) => w.kind)).toEqual(['forbiddenTheme', 'sensitiveTiming']);
    await v.apiAs(GIULIA, 'responses.submit', { id });
    const approved = await approveAll(v, id, REVIEWERS);
    await v.apiAs(GIULIA, 'responses.checklist', { id, versionId: approved.currentVersion.id, checklist: { timing: true, pertinence: true, brandImage: true, product: true } });

    // The manager sees why it is blocked and who may lift it; the server refuses too.
    const a = await signedIn(GIULIA);
    const ra = new ResponsesPage(a.page);
    await ra.open();
    await ra.queue('publishing').click();
    await ra.rowWithText('Stiamo verificando').first().click();
    const wa = new WarningsPage(a.page);
    await wa.blocked.waitFor();
    expect(await wa.blocked.textContent()).toContain('2 avvisi');
    expect(await wa.warning('forbiddenTheme').textContent()).toMatch(/Tema vietato.*Concorrenza[\s\S]*Può sbloccarlo: Legale/);
    expect(await wa.warning('sensitiveTiming').textContent()).toMatch(/Muffa nelle capsule[\s\S]*Può sbloccarlo: Legale, /);
    expect(await ra.publish.count()).toBe(0);
    const v1 = approved.currentVersion;
    await expect(v.apiAs(GIULIA, 'responses.publish', { id, versionId: v1.id, contentHash: v1.contentHash })).rejects.toThrow(
      /Pubblicazione bloccata dalle verifiche prima di intervenire: tema vietato nel momento, crisi in corso su un tema sensibile\. Serve lo sblocco motivato di: legale, strategist\./,
    );

    // Legal overrides each warning with a reason, at her own browser.
    const b = await signedIn(LAURA, false);
    const rb = new ResponsesPage(b.page);
    await rb.open();
    await rb.queue('all').click();
    await rb.rowWithText('Stiamo verificando').first().click();
    const wb = new WarningsPage(b.page);
    for (const [kind, reason] of [
      ['forbiddenTheme', 'La risposta non nomina il concorrente: solo assistenza sui lotti.'],
      ['sensitiveTiming', 'Rispondere ora limita il danno: testo concordato con il legale.'],
    ] as const) {
      await wb.warning(kind).getByTestId('override-reason').fill(reason);
      await wb.warning(kind).getByTestId('override-submit').click();
      await expect.poll(() => wb.warning(kind).getAttribute('data-overridden')).toBe('true');
      expect(await wb.warning(kind).getByTestId('response-warning-override').textContent()).toContain(reason);
    }

    // The manager's screen follows: publishing is open.
    await ra.publish.waitFor();
    await ra.publish.click();
    await expect.poll(() => a.page.getByTestId('response-outbox').getAttribute('data-state')).toBe('awaiting_manual');

    // The audit log shows who overrode what, when, and why.
    await b.page.getByTestId('nav-audit').click();
    const audit = new AuditPage(b.page);
    await audit.subjectFilter.fill(`response:${id}`);
    await audit.subjectFilter.press('Enter');
    const overrides = audit.rows.filter({ hasText: 'responses.override' });
    await expect.poll(() => overrides.count()).toBe(2);
    expect(await overrides.first().textContent()).toMatch(/laura[\s\S]*Rispondere ora limita il danno/);
    expect(await overrides.last().textContent()).toMatch(/laura[\s\S]*forbiddenTheme[\s\S]*non nomina il concorrente/);
    expect(a.errors.filter((e) => !/status of 40\d/.test(e))).toEqual([]);
    expect(b.errors.filter((e) => !/status of 40\d/.test(e))).toEqual([]);
  });
});
