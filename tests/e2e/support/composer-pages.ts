// Page objects of the composer's channel-aware parts (count, thread, templates, preview), the
// checks' warnings on a response and its manual publishing steps.
import type { Locator, Page } from 'playwright-core';
import type { TestUser, VedettaInstance } from '../../support/vedetta-process';

export class ComposerPage {
  constructor(readonly page: Page) {}
  get count(): Locator {
    return this.page.getByTestId('composer-count');
  }
  get context(): Locator {
    return this.page.getByTestId('composer-context');
  }
  contextPost(role: 'root' | 'parent' | 'mention'): Locator {
    return this.page.getByTestId(`context-${role}`);
  }
  get preview(): Locator {
    return this.page.getByTestId('reply-preview-text');
  }
  get previewCut(): Locator {
    return this.page.getByTestId('reply-preview-cut');
  }
  get templateSelect(): Locator {
    return this.page.getByTestId('template-select');
  }
  get templateInsert(): Locator {
    return this.page.getByTestId('template-insert');
  }
  get templateManage(): Locator {
    return this.page.getByTestId('template-manage');
  }
  get templateName(): Locator {
    return this.page.getByTestId('template-name');
  }
  get templateText(): Locator {
    return this.page.getByTestId('template-text');
  }
  get templateSave(): Locator {
    return this.page.getByTestId('template-save');
  }
  get templateMissing(): Locator {
    return this.page.getByTestId('template-missing');
  }
  get responseCount(): Locator {
    return this.page.getByTestId('response-count');
  }
}

export class WarningsPage {
  constructor(readonly page: Page) {}
  get panel(): Locator {
    return this.page.getByTestId('response-warnings');
  }
  get blocked(): Locator {
    return this.page.getByTestId('response-warnings-blocked');
  }
  warning(kind: 'forbiddenTheme' | 'sensitiveTiming'): Locator {
    return this.page.locator(`[data-testid="response-warning"][data-kind="${kind}"]`);
  }
}

export class ManualPublishPage {
  constructor(readonly page: Page) {}
  get copy(): Locator {
    return this.page.getByTestId('manual-copy');
  }
  get copied(): Locator {
    return this.page.getByTestId('manual-copied');
  }
  get open(): Locator {
    return this.page.getByTestId('manual-open');
  }
  get url(): Locator {
    return this.page.getByTestId('manual-url');
  }
  get record(): Locator {
    return this.page.getByTestId('manual-record');
  }
}

type Detail = { response: { id: number; state: string }; currentVersion: { id: number; contentHash: string }; steps: { id: number; role: string; state: string }[] };

/**
 * Takes a submitted response through its review steps over the API, each by a person of the
 * step's role (the stories here are about what comes after the approvals).
 */
export async function approveAll(v: VedettaInstance, id: number, byRole: Record<string, TestUser>): Promise<Detail> {
  let d = (await v.api('responses.get', { id })) as Detail;
  for (let i = 0; i < 5 && d.response.state === 'in_review'; i++) {
    const step = d.steps.find((s) => s.state === 'active');
    const who = step ? byRole[step.role] : undefined;
    if (!step || !who) throw new Error(`no reviewer for ${step?.role ?? 'no step'}`);
    d = (await v.apiAs(who, 'responses.decide', { id, stepId: step.id, decision: 'approve', versionId: d.currentVersion.id, contentHash: d.currentVersion.contentHash, comment: '' })) as Detail;
  }
  return d;
}
