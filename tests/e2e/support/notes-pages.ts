// The internal notes panel of the open mention (or moment): locators only, tests speak in actions.
import type { Locator, Page } from 'playwright-core';

export class NotesPanel {
  constructor(readonly page: Page) {}
  get panel(): Locator {
    return this.page.getByTestId('notes');
  }
  get items(): Locator {
    return this.panel.getByTestId('note');
  }
  get empty(): Locator {
    return this.panel.getByTestId('notes-empty');
  }
  get input(): Locator {
    return this.panel.getByTestId('note-input');
  }
  get send(): Locator {
    return this.panel.getByTestId('note-send');
  }
  get suggestions(): Locator {
    return this.panel.getByTestId('note-suggestions');
  }
  get readOnly(): Locator {
    return this.panel.getByTestId('notes-readonly');
  }
  get error(): Locator {
    return this.panel.getByTestId('note-error');
  }
}
