// Responses through the real UI: the policy editor, "Rispondi" from the inbox and from a
// moment, internal notes on a forbidden theme.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, InboxPage, MomentsPage, WelcomePage, signIn } from './support/pages';
import { PolicyEditorPage, ResponsesPage } from './support/responses-pages';
import { ADMIN, postMentions, startVedetta, type TestUser, type VedettaInstance } from '../support/vedetta-process';

/** A social media manager who is also the brand strategist: drafts responses and edits the policy. */
const GIULIA: TestUser = { username: 'giulia', password: 'password-di-giulia', roles: ['manager', 'strategist'], name: 'Giulia Rossi' };

let v: VedettaInstance;
let b: BrowserSession;

beforeEach(async () => {
  v = await startVedetta({ users: [ADMIN, GIULIA] });
  b = await openBrowser(v.uiUrl);
  await signIn(b.page, GIULIA.username, GIULIA.password);
  await new WelcomePage(b.page).startEmpty.click();
  await new AppShell(b.page).ready;
});
afterEach(async () => {
  await b?.close();
  await v?.stop();
});

describe('responses', () => {
  it('the policy editor saves legal rules, a second approver and SLA minutes; a bad number says why in Italian and saves nothing', async () => {
    const responses = new ResponsesPage(b.page);
    await responses.open();
    const policy = new PolicyEditorPage(b.page);
    await policy.open();
    await expect.poll(() => policy.sla('critical', 'legal').inputValue()).toBe('15');
    await policy.sla('critical', 'legal').fill('dieci');
    await policy.save.click();
    await expect.poll(async () => (await policy.error.textContent()) ?? '').toMatch(/«Revisione legale · Critica» deve essere un numero intero di minuti/);
    expect(await v.api('policy.get', {})).toMatchObject({ sla: { critical: { legal: 15 } } });
    await policy.sla('critical', 'legal').fill('0');
    await policy.save.click();
    await expect.poll(async () => (await policy.error.textContent()) ?? '').toMatch(/Policy non salvata: .*almeno 1 minuto/);
    await policy.sla('critical', 'legal').fill('10');
    await policy.second.selectOption('strategist');
    await policy.flag('legalOnStrongRisk').uncheck();
    await policy.save.click();
    await b.page.getByText('Policy salvata.').waitFor();
    expect(await v.api('policy.get', {})).toMatchObject({ secondApproverRole: 'strategist', legalOnStrongRisk: false, sla: { critical: { legal: 10 } } });
    // What the policy asks for now, through the same engine the workflow uses.
    const decision = (await v.api('policy.preview', { facts: { themes: [{ id: 1, name: 'Muffa', stance: 'sensitive' }], severity: 'critical', channel: null, riskArea: 'strong' } })) as { steps: { kind: string; slaMinutes: number }[] };
    expect(decision.steps.map((s) => [s.kind, s.slaMinutes])).toEqual([['legal', 10], ['second', 15], ['owner', 15]]);
    expect(b.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });

  it('"Rispondi" on an inbox mention with a forbidden theme drafts an internal note that cannot be submitted', async () => {
    const brand = (await v.api('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    await v.api('perimeters.themeCreate', { brandId: brand.id, name: 'Politica', query: 'elezioni', swot: 'threat', stance: 'forbidden' });
    expect((await postMentions(v, [{ source: 'Reddit r/italy', external_id: 'p1', text: 'Caffè Aurora cosa pensa delle elezioni?', lang: 'it', published_at: new Date().toISOString() }])).status).toBe(202);
    const inbox = new InboxPage(b.page);
    await inbox.rowWithText('elezioni').first().click();
    await b.page.getByTestId('detail-reply').click();
    const responses = new ResponsesPage(b.page);
    await responses.composer.waitFor();
    expect(await responses.composerTarget.textContent()).toContain('elezioni');
    await responses.composerText.fill('Nota interna: su questo non rispondiamo.');
    await responses.saveDraft.click();
    await responses.blockers.waitFor();
    expect(await responses.blockers.textContent()).toContain('Tema vietato «Politica»: solo note interne');
    expect(await responses.submit.count()).toBe(0);
    await responses.queue('mine').click();
    await responses.rowWithText('su questo non rispondiamo').getByTestId('response-row-blocked').waitFor();
    expect(b.errors).toEqual([]);
  });

  it('"Rispondi" on a crisis moment drafts a critical response to the moment', async () => {
    const brand = (await v.api('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
    await v.api('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa nelle capsule', query: 'muffa AND capsul*', swot: 'threat', stance: 'sensitive' });
    await v.api('perimeters.themeCreate', { brandId: brand.id, name: 'Esperienza al bar', query: 'barista OR cappuccino', swot: 'strength', stance: 'in_perimeter' });
    const start = Date.parse('2026-11-20T08:00:00Z');
    const quiet = Array.from({ length: 72 }, (_, i) => ({
      source: 'Reddit r/italy', external_id: `q${i}`, text: `Il barista di Caffè Aurora fa un cappuccino ${['ottimo', 'buono', 'normale'][i % 3]}`, lang: 'it',
      published_at: new Date(start + i * 50_000).toISOString(),
    }));
    expect((await postMentions(v, quiet)).status).toBe(202);
    const burst = Array.from({ length: 18 }, (_, i) => ({
      source: 'Instagram @caffeaurora', external_id: `b${i}`, text: ['Muffa nelle capsule, che schifo! Vergogna', 'Ho trovato la muffa nelle capsule Aurora, inaccettabile'][i % 2], lang: 'it',
      published_at: new Date(start + 72 * 50_000 + i * 10_000).toISOString(),
    }));
    expect((await postMentions(v, burst)).status).toBe(202);
    await new AppShell(b.page).nav('moments').click();
    const moments = new MomentsPage(b.page);
    await moments.crisisRows().first().click();
    await b.page.getByTestId('moment-reply').click();
    const responses = new ResponsesPage(b.page);
    await responses.composer.waitFor();
    expect(await responses.composerTarget.textContent()).toContain('Muffa nelle capsule');
    await responses.composerText.fill('Stiamo verificando i lotti segnalati: scriveteci in privato.');
    await responses.saveDraft.click();
    await responses.text.waitFor();
    expect(await b.page.getByTestId('response-detail').textContent()).toMatch(/Critica[\s\S]*Momento/);
    const list = (await v.api('responses.list', { queue: 'all' })) as { items: { targetKind: string; severity: string }[] };
    expect(list.items).toEqual([expect.objectContaining({ targetKind: 'moment', severity: 'critical' })]);
    expect(b.errors).toEqual([]);
  });
});
