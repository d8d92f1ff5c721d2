// Page objects of Settings → Canali di pubblicazione and the Pubblicazioni list.
import type { Locator, Page } from 'playwright-core';

export class PublishChannelsSection {
  constructor(readonly page: Page) {}
  get root(): Locator {
    return this.page.getByTestId('publish-channels');
  }
  get addButton(): Locator {
    return this.page.getByTestId('publish-add');
  }
  get form(): Locator {
    return this.page.getByTestId('publish-form');
  }
  get kind(): Locator {
    return this.page.getByTestId('publish-kind');
  }
  field(label: string | RegExp): Locator {
    return this.form.getByLabel(label, { exact: typeof label === 'string' });
  }
  get testButton(): Locator {
    return this.page.getByTestId('publish-test');
  }
  get testResult(): Locator {
    return this.page.getByTestId('publish-test-result');
  }
  get save(): Locator {
    return this.page.getByTestId('publish-save');
  }
  get formError(): Locator {
    return this.page.getByTestId('publish-form-error');
  }
  row(name: string): Locator {
    return this.page.locator(`[data-testid="publish-channel-row"][data-name="${name}"]`);
  }
  get rows(): Locator {
    return this.page.getByTestId('publish-channel-row');
  }
}

export class OutboxSection {
  constructor(readonly page: Page) {}
  get root(): Locator {
    return this.page.getByTestId('publish-outbox');
  }
  byChannel(name: string): Locator {
    return this.page.locator(`[data-testid="outbox-row"][data-channel="${name}"]`);
  }
  copy(row: Locator): Locator {
    return row.getByTestId('outbox-copy');
  }
  urlInput(row: Locator): Locator {
    return row.getByTestId('outbox-url-input');
  }
  record(row: Locator): Locator {
    return row.getByTestId('outbox-record');
  }
  actionError(row: Locator): Locator {
    return row.getByTestId('outbox-action-error');
  }
  url(row: Locator): Locator {
    return row.getByTestId('outbox-url');
  }
}
