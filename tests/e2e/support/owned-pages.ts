// Page object of a brand's own accounts in Perimetri (locators apart from the story's actions).
import type { Locator, Page } from 'playwright-core';

export class OwnedAccountsPanel {
  readonly card: Locator;
  constructor(
    readonly page: Page,
    brand: string,
  ) {
    this.card = page.locator(`[data-testid="brand-node"][data-name="${brand}"]`);
  }
  get section(): Locator {
    return this.card.getByTestId('owned-section');
  }
  get add(): Locator {
    return this.card.getByTestId('owned-new');
  }
  get type(): Locator {
    return this.card.getByTestId('owned-type');
  }
  get value(): Locator {
    return this.card.getByTestId('owned-value');
  }
  get platform(): Locator {
    return this.card.getByTestId('owned-platform');
  }
  get submit(): Locator {
    return this.card.getByTestId('owned-add');
  }
  get error(): Locator {
    return this.card.getByTestId('owned-error');
  }
  get empty(): Locator {
    return this.card.getByTestId('owned-empty');
  }
  get rows(): Locator {
    return this.card.getByTestId('owned-row');
  }
  row(value: string): Locator {
    return this.card.locator(`[data-testid="owned-row"][data-value="${value}"]`);
  }
  removeOf(value: string): Locator {
    return this.row(value).getByTestId('owned-remove');
  }
  suggestion(value: string): Locator {
    return this.card.locator(`[data-testid="owned-suggestion"][data-value="${value}"]`);
  }
  acceptOf(value: string): Locator {
    return this.suggestion(value).getByTestId('owned-accept');
  }
  /** The declared rows as [type, value], in the order shown. */
  async list(): Promise<[string, string][]> {
    return this.rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-type') ?? '', e.getAttribute('data-value') ?? ''] as [string, string]));
  }
}
