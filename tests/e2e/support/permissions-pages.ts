// Page objects of the "permissions up front" and "nothing lost" stories: an action a person
// may not take (aria-disabled, its tooltip), and the unsaved-edits question.
import type { Locator, Page } from 'playwright-core';

export class DeniedAction {
  constructor(readonly page: Page) {}
  /** The tooltip shown on hover or focus of a denied action. */
  get tip(): Locator {
    return this.page.locator('#gate-tip');
  }
  async isDenied(action: Locator): Promise<boolean> {
    return (await action.getAttribute('aria-disabled')) === 'true';
  }
  /** Hovers the action and reads its tooltip. */
  async tipOf(action: Locator): Promise<string> {
    await action.hover();
    await this.tip.waitFor({ state: 'visible' });
    return (await this.tip.textContent()) ?? '';
  }
  /** Every error shown where the person looks (an error box, an alert). */
  get errorBoxes(): Locator {
    return this.page.locator('.error-box, [role="alert"]');
  }
}

export class LeaveDialog {
  constructor(readonly page: Page) {}
  get dialog(): Locator {
    return this.page.getByTestId('leave-dialog');
  }
  get stay(): Locator {
    return this.page.getByTestId('leave-stay');
  }
  get leave(): Locator {
    return this.page.getByTestId('leave-discard');
  }
}
