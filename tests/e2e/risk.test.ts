// Audiences and the risk map through the real UI: a strategist defines the demo's audiences
// (one from the suggestions the stored mentions offer, others typed), the demo crisis lands in
// the strong risk area with an explanation naming the primary audience, the moment's checklist
// persists, and audiences filter the inbox and the moments list. A second test defines an
// audience before the stream arrives and sees the live risk alert.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser';
import { AppShell, InboxPage, MomentsPage } from './support/pages';
import { MomentRiskPanel, RiskPage } from './support/risk-pages';
import type { VedettaInstance } from '../support/vedetta-process';
import { startSignedIn, stopSignedIn } from './support/session';
import type { AudienceInput } from '../../src/shared/audiences';
import { holdCall, isCall } from './support/held-call';

let v: VedettaInstance;
let b: BrowserSession;

beforeEach(async () => {
  ({ v, b } = await startSignedIn({ empty: true }));
});
afterEach(async () => {
  await stopSignedIn({ v, b });
});

/** Replays the whole demo stream fast (its published times are kept) and waits for the end. */
async function replayDemo(): Promise<void> {
  await v.api('demo.start', { speed: 5_000 });
  await expect
    .poll(async () => (await v.api('demo.state', {})) as { running: boolean; emitted: number; total: number }, { timeout: 60_000, interval: 250 })
    .toMatchObject({ running: false, emitted: 5469 });
}

describe('audiences and the risk map', () => {
  it('a strategist defines audiences; the demo crisis lands in the strong risk area, explained by the primary audience; filters work', async () => {
    await replayDemo();
    // The demo ships audiences of its own: this strategist draws their own map, from none.
    for (const a of ((await v.api('audiences.list', {})) as { items: { id: number }[] }).items) await v.api('audiences.delete', { id: a.id });
    const risk = new RiskPage(b.page);
    await risk.nav.click();
    await b.page.getByTestId('audiences-empty').waitFor();

    // A bad audience: no rule. The reason is shown in Italian and nothing is saved.
    await risk.newAudience.click();
    await risk.field('name').fill('Senza regole');
    await risk.save.click();
    await expect.poll(async () => (await risk.error.textContent()) ?? '', { timeout: 15_000 }).toMatch(/Pubblico non salvato: serve almeno una regola/);
    expect(((await v.api('audiences.list', {})) as { items: unknown[] }).items).toHaveLength(0);

    // The primary audience from the suggestions: the brand's Instagram and Trustpilot.
    await risk.field('name').fill('Clienti Aurora');
    await risk.suggestion('sources', 'Instagram @caffeaurora').click();
    await risk.suggestion('sources', 'Trustpilot').click();
    expect(await risk.field('sources').inputValue()).toBe('Instagram @caffeaurora\nTrustpilot');
    await risk.save.click();
    await risk.audienceRow('Clienti Aurora').waitFor();
    await risk.form.waitFor({ state: 'detached' });

    // The secondary audience: coffee lovers, typed (r/coffee, the forum, the week's hashtag).
    await risk.newAudience.click();
    await risk.field('name').fill('Appassionati di caffè');
    await risk.field('type').selectOption('secondary');
    await risk.field('communities').fill('r/coffee');
    await risk.field('sources').fill('Forum CaffèItalia');
    await risk.field('hashtags').fill('#SettimanaDelCaffè');
    await risk.save.click();
    await risk.audienceRow('Appassionati di caffè').waitFor();

    // The generic audience: Italian Reddit.
    await risk.newAudience.click();
    await risk.field('name').fill('Reddit Italia');
    await risk.field('type').selectOption('generic');
    await risk.suggestion('communities', 'r/italy').click();
    await risk.suggestion('communities', 'r/italia').click();
    await risk.save.click();
    await risk.audienceRow('Reddit Italia').waitFor();

    // Strength and its figures are shown; the primary audience is strong.
    await expect.poll(async () => (await risk.audienceRow('Clienti Aurora').textContent()) ?? '', { timeout: 20_000 }).toMatch(/2\.?032 menzioni/);
    expect(await risk.audienceRow('Clienti Aurora').getByTestId('audience-strength').textContent()).toMatch(/Forte/);

    // The strategist's override: Reddit Italia marked weak; the computed strength stays shown.
    await expect.poll(async () => (await risk.audienceRow('Reddit Italia').getByTestId('audience-strength').textContent()) ?? '', { timeout: 20_000 }).toMatch(/Forte/);
    await risk.audienceRow('Reddit Italia').getByRole('button', { name: 'Modifica' }).click();
    await risk.field('override').selectOption('weak');
    await risk.save.click();
    await risk.form.waitFor({ state: 'detached' });
    await expect.poll(async () => (await risk.audienceRow('Reddit Italia').textContent()) ?? '', { timeout: 15_000 }).toMatch(/Debole.*dai numeri: Forte/s);

    // The crisis is in the strong area of the map; its figures name the audience on hover.
    const strongCrisis = risk.bubbles({ kind: 'crisis', area: 'strong' }).first();
    await strongCrisis.waitFor({ timeout: 20_000 });
    await strongCrisis.hover();
    await expect.poll(async () => (await risk.figures.textContent()) ?? '', { timeout: 15_000 }).toMatch(/forte: \d+% de(i commenti|lle menzioni) dal pubblico primario «Clienti Aurora»/);
    // Keyboard: the bubbles are focusable and Enter opens the moment.
    await strongCrisis.focus();
    await b.page.keyboard.press('Enter');
    const moments = new MomentsPage(b.page);
    const panel = new MomentRiskPanel(b.page);
    await panel.block.waitFor();
    expect(await panel.area.textContent()).toContain('Rischio forte');
    expect(await panel.explanation.textContent()).toMatch(/^forte: \d+% .*«Clienti Aurora», [\d,]+\/min/);
    expect(await panel.audiences.textContent()).toContain('Clienti Aurora');
    const title = (await moments.title.textContent()) ?? '';

    // The checklist: ticked items and a note persist (read back after a reload).
    await panel.check('timing').check();
    await panel.note('timing').fill('Rispondere entro 30 minuti, dopo il legale');
    await panel.note('timing').press('Tab');
    await panel.check('product').check();
    await expect.poll(async () => (await panel.status.textContent()) ?? '', { timeout: 15_000 }).toBe('2 di 4');
    await b.page.reload();
    await new AppShell(b.page).ready;
    await risk.nav.click();
    await risk.bubbles({ kind: 'crisis', area: 'strong' }).first().click();
    await panel.block.waitFor();
    expect(await moments.title.textContent()).toBe(title);
    await expect.poll(async () => panel.note('timing').inputValue(), { timeout: 15_000 }).toBe('Rispondere entro 30 minuti, dopo il legale');
    expect(await panel.check('timing').isChecked()).toBe(true);
    expect(await panel.check('pertinence').isChecked()).toBe(false);

    // A refresh of the moment's risk read while a tick is being saved carries the checklist
    // from before the tick: it must not untick the box under the pointer. The save is held
    // back until an audience edit has made the server announce new risks and the refresh has
    // been answered.
    const save = await holdCall(b.page, 'risk.checklistSet');
    await panel.check('pertinence').check();
    const [aurora] = ((await v.api('audiences.list', {})) as { items: (AudienceInput & { id: number })[] }).items.filter((a) => a.name === 'Clienti Aurora');
    const refresh = b.page.waitForRequest(isCall('risk.moment'));
    await v.api('audiences.update', { id: aurora!.id, audience: { name: aurora!.name, type: aurora!.type, rules: aurora!.rules, override: aurora!.override } });
    await (await refresh).response();
    // The refresh's answer is applied in the page's next tasks: a round trip through the page lets them run.
    await b.page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    expect(await panel.check('pertinence').isChecked()).toBe(true);
    save.release();
    await expect.poll(async () => (await panel.status.textContent()) ?? '', { timeout: 15_000 }).toBe('3 di 4');
    await save.stop();

    // The moments list filtered by the generic audience, then by the primary one.
    const audFilter = b.page.getByTestId('moment-audience-filter');
    await audFilter.selectOption({ label: 'Clienti Aurora' });
    await expect.poll(async () => (await moments.rows.allTextContents()).join('|'), { timeout: 15_000 }).toContain(title);

    // The inbox filtered by an audience shows only its mentions.
    await new AppShell(b.page).nav('inbox').click();
    const inbox = new InboxPage(b.page);
    await b.page.getByTestId('audience-filter').selectOption({ label: 'Reddit Italia' });
    await expect.poll(async () => (await inbox.total.textContent()) ?? '', { timeout: 15_000 }).toMatch(/1\.?093/);
    const sources = await b.page.locator('[data-testid="inbox-row"]').evaluateAll((rows) => rows.slice(0, 30).map((r) => r.textContent ?? ''));
    expect(sources.length).toBeGreaterThan(5);
    for (const s of sources) expect(s).toMatch(/r\/(italy|Italia)/);
    expect(b.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  }, 180_000);

  it('with audiences defined before the stream, the crisis entering the strong area raises an alert that opens it', async () => {
    const risk = new RiskPage(b.page);
    await risk.nav.click();
    await risk.newAudience.click();
    await risk.field('name').fill('Clienti Aurora');
    await risk.field('sources').fill('Instagram @caffeaurora, Trustpilot');
    await risk.save.click();
    await risk.audienceRow('Clienti Aurora').waitFor();

    // The demo's perimeter first (the demo seeds it on its first start), so the stream that
    // follows is tracked live rather than found again by the recompute a perimeter edit starts.
    await v.api('demo.start', { speed: 1 });
    await v.api('demo.stop', {});
    await expect.poll(async () => ((await v.api('perimeters.list', {})) as { themes: unknown[] }).themes.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(async () => ((await v.api('perimeters.rematchState', {})) as { running: boolean }).running, { timeout: 15_000 }).toBe(false);
    await new Promise((r) => setTimeout(r, 1_500));
    await replayDemo();
    const toast = b.page.getByTestId('risk-toast').first();
    await toast.waitFor({ timeout: 30_000 });
    expect(await toast.textContent()).toMatch(/Rischio forte: .*forte: \d+% .*«Clienti Aurora»/);
    await toast.getByRole('button', { name: 'Apri' }).click();
    const panel = new MomentRiskPanel(b.page);
    await panel.block.waitFor();
    await expect.poll(async () => (await panel.area.textContent()) ?? '', { timeout: 15_000 }).toContain('Rischio forte');
    await b.page.getByTestId('nav-risk').click();
    await risk.bubbles({ kind: 'crisis', area: 'strong' }).first().waitFor();
    expect(b.errors).toEqual([]);
  }, 120_000);
});
