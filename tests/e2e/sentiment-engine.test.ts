// Issue #13, "Bad input": a corrupt sentiment model file stops nothing. The real `vedetta
// serve` starts on a resources folder whose model.bin is garbage; the status bar and
// Settings say so in Italian, new mentions are scored by the rules, and their badges are
// marked as estimated by the fallback rules.
// Before a model ships, the rules are simply the engine: then nothing may claim a fallback.
import { afterEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { AppShell, InboxPage, WelcomePage, signIn } from './support/pages';
import { SentimentEngineUi } from './support/sentiment-pages';
import { resourcesWithModel, type BrokenResources } from '../support/resources';
import { ADMIN, postMentions, startVedetta, type VedettaInstance } from '../support/vedetta-process';

let v: VedettaInstance | undefined;
let b: BrowserSession | undefined;
let resources: BrokenResources | undefined;

afterEach(async () => {
  await b?.close();
  await v?.stop();
  resources?.remove();
});

type Status = { engine: 'model' | 'rules'; modelId: string; error: string | null };

describe('a corrupt sentiment model', () => {
  it('stops nothing: the app starts, says so in the status bar and Settings, scores with the rules and marks the badges', async () => {
    resources = resourcesWithModel('corrupt');
    v = await startVedetta({ env: { VEDETTA_RESOURCES_DIR: resources.dir } });
    const status = (await v.api('sentiment.status', {})) as Status;
    expect(status).toMatchObject({ engine: 'rules', modelId: 'rules' });
    const fallback = status.error !== null;

    b = await openBrowser(v.uiUrl);
    await signIn(b.page, ADMIN.username, ADMIN.password);
    await new WelcomePage(b.page).startEmpty.click();
    const shell = new AppShell(b.page);
    await shell.ready;
    const inbox = new InboxPage(b.page);
    await inbox.list.waitFor();

    // Ingest goes on.
    const res = await postMentions(v, [
      { source: 'E2E modello', external_id: 'neg', text: 'Capsule arrivate rotte e nessuno risponde. Che vergogna!', lang: 'it' },
      { source: 'E2E modello', external_id: 'pos', text: 'Il nuovo blend è buonissimo, grazie!', lang: 'it' },
    ]);
    expect(res.status).toBe(202);
    await expect.poll(() => inbox.rows.count(), { timeout: 10_000 }).toBe(2);
    const badge = inbox.sentimentBadge(inbox.rowWithText('Capsule arrivate rotte'));
    expect(await badge.getAttribute('data-label')).toBe('negative');

    const ui = new SentimentEngineUi(b.page);
    if (fallback) {
      // The status bar says it, in Italian, with the reason on hover.
      await expect.poll(() => ui.fallbackChip.textContent(), { timeout: 10_000 }).toContain('Sentiment con le regole di riserva');
      expect(await ui.fallbackChip.getAttribute('title')).toContain(status.error);
      // Each badge scored by the fallback is marked, and its card says why.
      expect(await badge.getAttribute('data-fallback')).toBe('true');
      await badge.hover();
      await expect.poll(() => ui.whyFallback.textContent()).toBe('Stimato con le regole di riserva: il modello non era disponibile.');
      await b.page.mouse.move(5, 5);
    } else {
      expect(await ui.fallbackChip.count()).toBe(0);
      expect(await badge.getAttribute('data-fallback')).toBe('false');
    }

    // Settings → Sentiment: the engine in use and, on a fallback, the reason in Italian.
    await (fallback ? ui.fallbackChip.click() : shell.nav('settings').click());
    await ui.settingsSection.waitFor();
    if (fallback) {
      expect(await ui.settingsEngine.textContent()).toContain('Regole di riserva');
      const error = (await ui.settingsError.textContent()) ?? '';
      expect(error).toContain('Il modello non è stato caricato');
      expect(error).toContain(status.error);
    } else {
      expect(await ui.settingsEngine.textContent()).toContain('Regole sui lessici');
      expect(await ui.settingsError.count()).toBe(0);
    }
    expect(await ui.settingsRescore.getAttribute('data-running')).toBe('false');
    expect(b.errors).toEqual([]);
  });
});
