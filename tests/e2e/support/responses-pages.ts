// Page objects of the Responses view, its composer and the policy editor.
import type { Locator, Page } from 'playwright-core';
import type { FakeReddit } from '../../support/fake-reddit';
import { postMentions, type VedettaInstance } from '../../support/vedetta-process';

export class ResponsesPage {
  constructor(readonly page: Page) {}
  async open(): Promise<void> {
    await this.page.getByTestId('nav-responses').click();
    await this.page.getByTestId('response-detail').waitFor();
  }
  queue(name: 'toApprove' | 'mine' | 'publishing' | 'published' | 'all'): Locator {
    return this.page.getByTestId(`queue-${name}`);
  }
  get rows(): Locator {
    return this.page.getByTestId('response-row');
  }
  rowWithText(text: string): Locator {
    return this.rows.filter({ hasText: text });
  }
  get empty(): Locator {
    return this.page.getByTestId('responses-empty');
  }
  // Composer
  get composer(): Locator {
    return this.page.getByTestId('response-composer');
  }
  get composerTarget(): Locator {
    return this.page.getByTestId('composer-target');
  }
  get composerChannel(): Locator {
    return this.page.getByTestId('composer-channel');
  }
  get composerText(): Locator {
    return this.page.getByTestId('composer-text');
  }
  get saveDraft(): Locator {
    return this.page.getByTestId('composer-save');
  }
  get saveAndSubmit(): Locator {
    return this.page.getByTestId('composer-submit');
  }
  get composerError(): Locator {
    return this.page.getByTestId('composer-error');
  }
  // Detail
  get state(): Locator {
    return this.page.getByTestId('response-state');
  }
  get text(): Locator {
    return this.page.getByTestId('response-text');
  }
  get blockers(): Locator {
    return this.page.getByTestId('response-blockers');
  }
  get error(): Locator {
    return this.page.getByTestId('response-error');
  }
  get edit(): Locator {
    return this.page.getByTestId('response-edit');
  }
  get editText(): Locator {
    return this.page.getByTestId('response-edit-text');
  }
  get saveVersion(): Locator {
    return this.page.getByTestId('response-save-version');
  }
  get submit(): Locator {
    return this.page.getByTestId('response-submit');
  }
  get steps(): Locator {
    return this.page.getByTestId('response-step');
  }
  step(kind: 'legal' | 'second' | 'owner'): Locator {
    return this.page.locator(`[data-testid="response-step"][data-kind="${kind}"]`);
  }
  get decisionComment(): Locator {
    return this.page.getByTestId('decision-comment');
  }
  get approve(): Locator {
    return this.page.getByTestId('decision-approve');
  }
  get reject(): Locator {
    return this.page.getByTestId('decision-reject');
  }
  get requestChanges(): Locator {
    return this.page.getByTestId('decision-changes');
  }
  get diff(): Locator {
    return this.page.getByTestId('response-diff');
  }
  get comments(): Locator {
    return this.page.getByTestId('response-comments');
  }
  check(item: 'timing' | 'pertinence' | 'brandImage' | 'product'): Locator {
    return this.page.getByTestId(`check-${item}`);
  }
  get confirmChecklist(): Locator {
    return this.page.getByTestId('checklist-confirm');
  }
  get publish(): Locator {
    return this.page.getByTestId('response-publish');
  }
  get published(): Locator {
    return this.page.getByTestId('response-published');
  }
  get publishedUrl(): Locator {
    return this.page.getByTestId('response-published-url');
  }
  get sla(): Locator {
    return this.page.getByTestId('response-sla');
  }
  get toast(): Locator {
    return this.page.getByTestId('response-toast');
  }
}

export class PolicyEditorPage {
  constructor(readonly page: Page) {}
  async open(): Promise<void> {
    await this.page.getByTestId('policy-toggle').click();
    await this.page.getByTestId('policy-save').waitFor();
  }
  flag(name: 'legalOnSensitiveTheme' | 'legalOnStrongRisk' | 'legalOnChannel' | 'authorMayApprove'): Locator {
    return this.page.getByTestId(`policy-${name}`);
  }
  get second(): Locator {
    return this.page.getByTestId('policy-second');
  }
  sla(severity: 'critical' | 'high' | 'moderate' | 'low', step: 'legal' | 'second' | 'owner'): Locator {
    return this.page.getByTestId(`policy-sla-${severity}-${step}`);
  }
  get save(): Locator {
    return this.page.getByTestId('policy-save');
  }
  get error(): Locator {
    return this.page.getByTestId('policy-error');
  }
}

/**
 * The set-up the response stories share, made by the administrator over the API: a brand with
 * a sensitive theme (so legal reviews, then the owner), a Reddit channel on the local
 * Reddit-shaped server, and the post to answer (`t3_<postId>`, about "muffa nelle capsule").
 */
export async function sensitiveRedditPost(
  v: VedettaInstance,
  reddit: FakeReddit,
  postId: string,
): Promise<{ status: number }> {
  const brand = (await v.api('perimeters.brandCreate', { name: 'Caffè Aurora' })) as { id: number };
  await v.api('perimeters.themeCreate', { brandId: brand.id, name: 'Muffa nelle capsule', query: 'muffa', swot: 'threat', stance: 'sensitive' });
  await v.api('publishing.channelCreate', {
    kind: 'reddit',
    name: 'Reddit Aurora',
    config: { clientId: reddit.app.clientId, username: reddit.app.username },
    secrets: { clientSecret: reddit.app.clientSecret, password: reddit.app.password },
  });
  return postMentions(v, [{ source: 'Reddit r/italy', external_id: `t3_${postId}`, url: `https://www.reddit.com/r/italy/comments/${postId}/muffa/`, text: 'Ho trovato la muffa nelle capsule Aurora. Che faccio?', lang: 'it', published_at: new Date().toISOString() }]);
}
