// The inbox's selection bar, its tag picker, the tag filter and the undo toast: locators only,
// tests speak in actions.
import type { Locator, Page } from 'playwright-core';

export class BulkBar {
  constructor(readonly page: Page) {}
  get root(): Locator {
    return this.page.getByTestId('bulk-bar');
  }
  get count(): Locator {
    return this.page.getByTestId('bulk-count');
  }
  get selectPage(): Locator {
    return this.page.getByTestId('bulk-select-page');
  }
  get tag(): Locator {
    return this.page.getByTestId('bulk-tag');
  }
  get assign(): Locator {
    return this.page.getByTestId('bulk-assign');
  }
  get read(): Locator {
    return this.page.getByTestId('bulk-read');
  }
  get hide(): Locator {
    return this.page.getByTestId('bulk-hide');
  }
  sentiment(label: 'positive' | 'neutral' | 'negative'): Locator {
    return this.page.getByTestId(`bulk-sentiment-${label}`);
  }
  get readOnly(): Locator {
    return this.page.getByTestId('bulk-read-only');
  }
  get toast(): Locator {
    return this.page.getByTestId('bulk-toast');
  }
  /** The toast's «Annulla» / «Ripeti». */
  get toastButton(): Locator {
    return this.toast.locator('button.primary');
  }
  get picker(): Locator {
    return this.page.getByTestId('tag-picker');
  }
  get pickerInput(): Locator {
    return this.page.getByTestId('tag-picker-input');
  }
  get createOption(): Locator {
    return this.page.getByTestId('tag-create');
  }
  /** The rows ticked. */
  get picked(): Locator {
    return this.page.locator('[data-testid="inbox-row"].picked');
  }
}

export class TagFilter {
  constructor(readonly page: Page) {}
  get button(): Locator {
    return this.page.getByTestId('tag-filter');
  }
  get panel(): Locator {
    return this.page.getByTestId('tag-filter-panel');
  }
  row(name: string): Locator {
    return this.panel.getByTestId('tag-filter-row').filter({ hasText: name });
  }
}
