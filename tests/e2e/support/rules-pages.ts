// Page objects of issue #17 items 2 and 6: the authors' aliases in the inbox, Impostazioni →
// Fuso orario e autori, and the audit log's times and actions.
import type { Locator, Page } from 'playwright-core';

export class AuthorsInInbox {
  constructor(readonly page: Page) {}
  get rowAuthors(): Locator {
    return this.page.getByTestId('row-author');
  }
  get alias(): Locator {
    return this.page.getByTestId('detail-author-alias');
  }
  get handle(): Locator {
    return this.page.getByTestId('detail-author-handle');
  }
  get author(): Locator {
    return this.page.getByTestId('detail-author');
  }
  get theirMentions(): Locator {
    return this.page.getByTestId('detail-author-filter');
  }
}

export class WorkspaceRulesPage {
  constructor(readonly page: Page) {}
  get root(): Locator {
    return this.page.getByTestId('settings-rules');
  }
  get zone(): Locator {
    return this.page.getByTestId('settings-timezone');
  }
  get saveZone(): Locator {
    return this.page.getByTestId('settings-timezone-save');
  }
  get zoneError(): Locator {
    return this.page.getByTestId('settings-timezone-error');
  }
  get zoneSaved(): Locator {
    return this.page.getByTestId('settings-timezone-saved');
  }
  get handlesState(): Locator {
    return this.page.getByTestId('settings-handles-state');
  }
  get basisInput(): Locator {
    return this.page.getByTestId('settings-handles-basis-input');
  }
  get enable(): Locator {
    return this.page.getByTestId('settings-handles-on');
  }
  get handlesError(): Locator {
    return this.page.getByTestId('settings-handles-error');
  }
  get basis(): Locator {
    return this.page.getByTestId('settings-handles-basis');
  }
  get disable(): Locator {
    return this.page.getByTestId('settings-handles-off');
  }
  get disableConfirm(): Locator {
    return this.page.getByTestId('settings-handles-off-confirm');
  }
  async setZone(zone: string): Promise<void> {
    await this.zone.fill(zone);
    await this.zone.press('Enter');
  }
}

export class AuditRows {
  constructor(readonly page: Page) {}
  row(action: string): Locator {
    return this.page.locator(`[data-testid="audit-row"][data-action="${action}"]`);
  }
  /** The shown time and the instant it stands for. */
  async when(row: Locator): Promise<{ text: string; iso: string }> {
    const t = row.getByTestId('audit-when').locator('time');
    return { text: ((await t.textContent()) ?? '').trim(), iso: (await t.getAttribute('datetime')) ?? '' };
  }
  action(row: Locator): Locator {
    return row.getByTestId('audit-action');
  }
}
