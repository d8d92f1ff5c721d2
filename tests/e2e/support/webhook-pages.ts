// Page object of the webhook section of Impostazioni: the addresses, the keys, the one-time token.
import type { Locator, Page } from 'playwright-core';

export class WebhookKeysPage {
  constructor(readonly page: Page) {}
  async open(): Promise<void> {
    await this.page.getByTestId('nav-settings').click();
    await this.page.getByTestId('settings-webhook').waitFor();
  }
  get section(): Locator {
    return this.page.getByTestId('settings-webhook');
  }
  get panel(): Locator {
    return this.page.getByTestId('webhook-keys');
  }
  get adminsOnly(): Locator {
    return this.page.getByTestId('webhook-keys-admins-only');
  }
  get mentionsUrl(): Locator {
    return this.page.getByTestId('settings-webhook-url');
  }
  get metricsUrl(): Locator {
    return this.page.getByTestId('settings-metrics-url');
  }
  get curl(): Locator {
    return this.page.getByTestId('settings-curl');
  }
  get rows(): Locator {
    return this.page.getByTestId('webhook-key-row');
  }
  row(name: string): Locator {
    return this.page.locator(`[data-testid="webhook-key-row"][data-name="${name}"]`);
  }
  get name(): Locator {
    return this.page.getByTestId('webhook-key-name');
  }
  get createError(): Locator {
    return this.page.getByTestId('webhook-key-create-error');
  }
  get reveal(): Locator {
    return this.page.getByTestId('webhook-key-reveal');
  }
  get token(): Locator {
    return this.page.getByTestId('webhook-key-token');
  }
  get done(): Locator {
    return this.page.getByTestId('webhook-key-done');
  }
  get confirmRow(): Locator {
    return this.page.getByTestId('webhook-key-confirm-row');
  }
  get confirm(): Locator {
    return this.page.getByTestId('webhook-key-confirm');
  }
  /** Types a name and presses Enter, then reads the token from the box that appears. */
  async create(name: string): Promise<string> {
    await this.name.fill(name);
    await this.name.press('Enter');
    await this.reveal.and(this.page.locator(`[data-name="${name}"]`)).waitFor();
    return (await this.token.textContent()) ?? '';
  }
}
