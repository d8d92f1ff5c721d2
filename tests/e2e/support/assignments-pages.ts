// The bell and the assignment control: locators only, tests speak in actions.
import type { Locator, Page } from 'playwright-core';

export class Bell {
  constructor(readonly page: Page) {}
  get button(): Locator {
    return this.page.getByTestId('bell');
  }
  /** The unread count on the bell (absent when none). */
  get count(): Locator {
    return this.page.getByTestId('bell-count');
  }
  get panel(): Locator {
    return this.page.getByTestId('bell-panel');
  }
  get items(): Locator {
    return this.panel.getByTestId('notification');
  }
  get markAll(): Locator {
    return this.page.getByTestId('bell-mark-all');
  }
  /** The unread count the bell holds, 0 when it shows none. */
  async unread(): Promise<number> {
    return Number((await this.button.getAttribute('data-unread')) ?? '0');
  }
}

/** The «Assegnato a» control of the open detail (mention, moment or response). */
export class AssignControl {
  constructor(readonly page: Page) {}
  get root(): Locator {
    return this.page.getByTestId('assignee');
  }
  get button(): Locator {
    return this.root.getByTestId('assign-button');
  }
  get menu(): Locator {
    return this.root.getByTestId('assign-menu');
  }
  option(name: string): Locator {
    return this.menu.getByTestId('assign-option').filter({ hasText: name });
  }
  /** The name shown to those who may not assign. */
  get readOnlyName(): Locator {
    return this.root.getByTestId('assignee-name');
  }
}
