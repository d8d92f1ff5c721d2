// Page objects: locators live here, tests speak in user actions.
import type { Locator, Page } from 'playwright-core';

export class AppShell {
  constructor(readonly page: Page) {}
  get ready(): Promise<void> {
    return this.page.waitForFunction(() => document.documentElement.dataset.ready === 'true').then(() => undefined);
  }
  nav(name: 'inbox' | 'moments' | 'sources' | 'import' | 'settings'): Locator {
    return this.page.getByTestId(`nav-${name}`);
  }
  get connection(): Locator {
    return this.page.getByTestId('connection-status');
  }
  /** How many mentions.added events the UI has applied so far. */
  async ingestedEvents(): Promise<number> {
    return this.page.evaluate(() => Number(document.documentElement.dataset.ingested ?? '0'));
  }
  async waitForIngestedEvents(atLeast: number): Promise<void> {
    await this.page.waitForFunction((n) => Number(document.documentElement.dataset.ingested ?? '0') >= n, atLeast);
  }
}

export class WelcomePage {
  constructor(readonly page: Page) {}
  get openDemo(): Locator {
    return this.page.getByTestId('welcome-demo');
  }
  get startEmpty(): Locator {
    return this.page.getByTestId('welcome-empty');
  }
}

export class InboxPage {
  constructor(readonly page: Page) {}
  get list(): Locator {
    return this.page.getByTestId('inbox-list');
  }
  get rows(): Locator {
    return this.page.getByTestId('inbox-row');
  }
  row(id: number): Locator {
    return this.page.locator(`[data-testid="inbox-row"][data-id="${id}"]`);
  }
  rowWithText(text: string): Locator {
    return this.rows.filter({ hasText: text });
  }
  get search(): Locator {
    return this.page.getByTestId('search-input');
  }
  get newPill(): Locator {
    return this.page.getByTestId('new-pill');
  }
  get total(): Locator {
    return this.page.getByTestId('inbox-total');
  }
  get detail(): Locator {
    return this.page.getByTestId('detail-pane');
  }
  get detailText(): Locator {
    return this.page.getByTestId('detail-text');
  }
  get sourceFilter(): Locator {
    return this.page.getByTestId('source-filter');
  }
  get langFilter(): Locator {
    return this.page.getByTestId('lang-filter');
  }
  async searchFor(text: string): Promise<void> {
    await this.page.keyboard.press('/');
    await this.search.fill(text);
    await this.search.press('Enter');
  }
  /** Ids of the rows currently rendered, top to bottom (the list is virtualized). */
  async visibleIds(): Promise<number[]> {
    return this.rows.evaluateAll((els) =>
      els
        .map((e) => ({ id: Number((e as HTMLElement).dataset.id), top: e.getBoundingClientRect().top }))
        .sort((a, b) => a.top - b.top)
        .map((r) => r.id),
    );
  }
  /** The first row whose top edge is inside the list's viewport. */
  async firstVisibleId(): Promise<number | null> {
    return this.list.evaluate((list) => {
      const box = list.getBoundingClientRect();
      const rows = [...list.querySelectorAll<HTMLElement>('[data-testid="inbox-row"]')]
        .map((e) => ({ id: Number(e.dataset.id), top: e.getBoundingClientRect().top }))
        .filter((r) => r.top >= box.top - 1 && r.top < box.bottom)
        .sort((a, b) => a.top - b.top);
      return rows[0]?.id ?? null;
    });
  }
  async selectedId(): Promise<number | null> {
    const sel = this.page.locator('[data-testid="inbox-row"][aria-selected="true"]');
    if ((await sel.count()) === 0) return null;
    return Number(await sel.first().getAttribute('data-id'));
  }
}

export class ImportPage {
  constructor(readonly page: Page) {}
  get fileInput(): Locator {
    return this.page.getByTestId('import-file-input');
  }
  get report(): Locator {
    return this.page.getByTestId('import-report');
  }
  get rejectedRows(): Locator {
    return this.page.getByTestId('import-rejected-row');
  }
}

export class MomentsPage {
  constructor(readonly page: Page) {}
  get rows(): Locator {
    return this.page.getByTestId('moment-row');
  }
  crisisRows(): Locator {
    return this.page.locator('[data-testid="moment-row"][data-kind="crisis"]');
  }
  get selectedRow(): Locator {
    return this.page.locator('[data-testid="moment-row"][aria-selected="true"]');
  }
  get title(): Locator {
    return this.page.getByTestId('moment-title');
  }
  get timeline(): Locator {
    return this.page.getByTestId('moment-timeline');
  }
  get topMentions(): Locator {
    return this.page.getByTestId('moment-top-mentions');
  }
  get themes(): Locator {
    return this.page.getByTestId('moment-themes');
  }
  get seeMentions(): Locator {
    return this.page.getByTestId('moment-see-mentions');
  }
  get toast(): Locator {
    return this.page.getByTestId('moment-toast');
  }
  get empty(): Locator {
    return this.page.getByTestId('moments-empty');
  }
}
