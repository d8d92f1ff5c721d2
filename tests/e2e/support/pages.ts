// Page objects: locators live here, tests speak in user actions.
import type { Locator, Page } from 'playwright-core';

export class AppShell {
  constructor(readonly page: Page) {}
  get ready(): Promise<void> {
    return this.page.waitForFunction(() => document.documentElement.dataset.ready === 'true').then(() => undefined);
  }
  nav(name: 'inbox' | 'moments' | 'perimeters' | 'sources' | 'import' | 'settings' | 'tier2'): Locator {
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
  /** Bot/spam badges on the rendered rows. */
  get flagBadges(): Locator {
    return this.page.getByTestId('flag-badge');
  }
  get detailFlag(): Locator {
    return this.page.getByTestId('detail-flag');
  }
  get langFilter(): Locator {
    return this.page.getByTestId('lang-filter');
  }
  get sentimentFilter(): Locator {
    return this.page.getByTestId('sentiment-filter');
  }
  /** The sentiment badge of a row, or of the detail pane. */
  sentimentBadge(scope: Locator): Locator {
    return scope.getByTestId('sentiment-badge');
  }
  /** The open "Perché negativo?" card (a top-layer popover). */
  get sentimentWhy(): Locator {
    return this.page.locator('[data-testid="sentiment-why"]:popover-open');
  }
  get detailDrivers(): Locator {
    return this.page.getByTestId('detail-drivers');
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
  get progress(): Locator {
    return this.page.getByTestId('import-progress');
  }
  get cancel(): Locator {
    return this.page.getByTestId('import-cancel');
  }
  get keepGoodRows(): Locator {
    return this.page.getByTestId('import-keep-good-rows');
  }
  get reportMeta(): Locator {
    return this.page.getByTestId('import-report-meta');
  }
  get accepted(): Locator {
    return this.page.getByTestId('import-accepted');
  }
}

export class SourcesPage {
  constructor(readonly page: Page) {}
  get addButton(): Locator {
    return this.page.getByTestId('source-add');
  }
  get rows(): Locator {
    return this.page.getByTestId('source-row');
  }
  row(name: string): Locator {
    return this.page.locator(`[data-testid="source-row"][data-name="${name}"]`);
  }
  state(name: string): Locator {
    return this.row(name).getByTestId('source-state');
  }
  error(name: string): Locator {
    return this.row(name).getByTestId('source-error');
  }
  lastHour(name: string): Locator {
    return this.row(name).getByTestId('source-last-hour');
  }
  action(name: string, action: 'test' | 'poll' | 'pause' | 'resume' | 'edit' | 'delete'): Locator {
    return this.row(name).getByTestId(`source-${action}`);
  }
  get pausedNotice(): Locator {
    return this.page.getByTestId('source-paused-notice');
  }
  get pausedAlert(): Locator {
    return this.page.getByTestId('source-paused-alert');
  }
  get deleteDialog(): Locator {
    return this.page.getByTestId('source-delete-dialog');
  }
  get deleteConfirm(): Locator {
    return this.page.getByTestId('source-delete-confirm');
  }
  get previewDialog(): Locator {
    return this.page.getByTestId('source-preview-dialog');
  }
}

export class SourceFormDialog {
  constructor(readonly page: Page) {}
  get root(): Locator {
    return this.page.getByTestId('source-form');
  }
  get kind(): Locator {
    return this.root.getByTestId('source-form-kind');
  }
  get url(): Locator {
    return this.root.getByTestId('source-form-url');
  }
  get name(): Locator {
    return this.root.getByTestId('source-form-name');
  }
  get interval(): Locator {
    return this.root.getByTestId('source-form-interval');
  }
  get test(): Locator {
    return this.root.getByTestId('source-form-test');
  }
  get save(): Locator {
    return this.root.getByTestId('source-form-save');
  }
  get error(): Locator {
    return this.root.getByTestId('source-form-error');
  }
  get redditHint(): Locator {
    return this.root.getByTestId('source-form-reddit-hint');
  }
  get preview(): Locator {
    return this.root.getByTestId('source-preview');
  }
  get previewItems(): Locator {
    return this.root.getByTestId('source-preview-item');
  }
  get previewError(): Locator {
    return this.root.getByTestId('source-preview-error');
  }
  /** A field by its visible (Italian) label, as a user finds it: "Istanza", "Hashtag"… */
  field(label: string): Locator {
    return this.root.getByLabel(label, { exact: true });
  }
  /** A credential field (password input) of the chosen kind. */
  secret(name: 'clientSecret' | 'password' | 'refreshToken' | 'apiKey' | 'accessToken'): Locator {
    return this.root.getByTestId(`source-form-secret-${name}`);
  }
}

export class PerimetersPage {
  constructor(readonly page: Page) {}
  get view(): Locator {
    return this.page.getByTestId('perimeters-view');
  }
  get newBrand(): Locator {
    return this.page.getByTestId('brand-new');
  }
  get brandName(): Locator {
    return this.page.getByTestId('brand-name');
  }
  get brandAdd(): Locator {
    return this.page.getByTestId('brand-add');
  }
  brand(name: string): Locator {
    return this.page.locator(`[data-testid="brand-node"][data-name="${name}"]`);
  }
  newThemeIn(brand: string): Locator {
    return this.brand(brand).getByTestId('theme-new');
  }
  get themeRows(): Locator {
    return this.page.getByTestId('theme-row');
  }
  get themeName(): Locator {
    return this.page.getByTestId('theme-name');
  }
  get query(): Locator {
    return this.page.getByTestId('theme-query');
  }
  get queryError(): Locator {
    return this.page.getByTestId('query-error');
  }
  get testCount(): Locator {
    return this.page.getByTestId('test-count');
  }
  get samples(): Locator {
    return this.page.getByTestId('test-sample');
  }
  swot(value: 'strength' | 'weakness' | 'opportunity' | 'threat'): Locator {
    return this.page.getByTestId(`swot-${value}`);
  }
  stance(value: 'in_perimeter' | 'sensitive' | 'forbidden'): Locator {
    return this.page.getByTestId(`stance-${value}`);
  }
  get save(): Locator {
    return this.page.getByTestId('theme-save');
  }
  get saveError(): Locator {
    return this.page.getByTestId('theme-save-error');
  }
  /** How many stored mentions the live tester reports. */
  async liveCount(): Promise<number | null> {
    if ((await this.testCount.count()) === 0) return null;
    return Number(await this.testCount.getAttribute('data-count'));
  }
}

export class ThemeInbox {
  constructor(readonly page: Page) {}
  get filter(): Locator {
    return this.page.getByTestId('theme-filter');
  }
  get sort(): Locator {
    return this.page.getByTestId('sort-select');
  }
  chipsOf(row: Locator): Locator {
    return row.getByTestId('theme-chip');
  }
  get detailHits(): Locator {
    return this.page.getByTestId('detail-pane').getByTestId('hit');
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
  get acknowledge(): Locator {
    return this.page.getByTestId('moment-acknowledge');
  }
  get acknowledged(): Locator {
    return this.page.getByTestId('moment-acknowledged');
  }
  /** "base di riferimento di N minuti": the moment opened on a young baseline. */
  get youngBaseline(): Locator {
    return this.page.getByTestId('moment-young-baseline');
  }
}

/** The red band under the top bar while an open crisis has not been taken in charge. */
export class CrisisBanner {
  constructor(readonly page: Page) {}
  get root(): Locator {
    return this.page.getByTestId('crisis-banner');
  }
  get title(): Locator {
    return this.page.getByTestId('crisis-banner-title');
  }
  get open(): Locator {
    return this.page.getByTestId('crisis-banner-open');
  }
  get acknowledge(): Locator {
    return this.page.getByTestId('crisis-banner-ack');
  }
  get readOnly(): Locator {
    return this.page.getByTestId('crisis-banner-readonly');
  }
  get youngBaseline(): Locator {
    return this.page.getByTestId('crisis-banner-young');
  }
}

export class SignInPage {
  constructor(readonly page: Page) {}
  get screen(): Locator {
    return this.page.getByTestId('signin-screen');
  }
  get setupScreen(): Locator {
    return this.page.getByTestId('setup-screen');
  }
  get username(): Locator {
    return this.page.getByTestId('auth-username');
  }
  get displayName(): Locator {
    return this.page.getByTestId('auth-display-name');
  }
  get password(): Locator {
    return this.page.getByTestId('auth-password');
  }
  get confirm(): Locator {
    return this.page.getByTestId('auth-confirm');
  }
  get submit(): Locator {
    return this.page.getByTestId('auth-submit');
  }
  get error(): Locator {
    return this.page.getByTestId('auth-error');
  }
}

/** Signs in through the real sign-in screen (keyboard: type, Enter) and waits for it to go. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  const s = new SignInPage(page);
  await s.username.fill(username);
  await s.password.fill(password);
  await s.password.press('Enter');
  await s.screen.waitFor({ state: 'detached' });
}

export class SessionChip {
  constructor(readonly page: Page) {}
  get chip(): Locator {
    return this.page.getByTestId('session-chip');
  }
  get roles(): Locator {
    return this.page.getByTestId('session-roles');
  }
  async signOut(): Promise<void> {
    await this.chip.click();
    await this.page.getByTestId('session-signout').click();
    await new SignInPage(this.page).screen.waitFor();
  }
}

export class UsersPage {
  constructor(readonly page: Page) {}
  get newUsername(): Locator {
    return this.page.getByTestId('user-new-username');
  }
  get newName(): Locator {
    return this.page.getByTestId('user-new-name');
  }
  get newPassword(): Locator {
    return this.page.getByTestId('user-new-password');
  }
  role(r: string): Locator {
    return this.page.getByTestId(`user-new-role-${r}`);
  }
  get create(): Locator {
    return this.page.getByTestId('user-create');
  }
  get createError(): Locator {
    return this.page.getByTestId('user-create-error');
  }
  row(username: string): Locator {
    return this.page.locator(`[data-testid="user-row"][data-username="${username}"]`);
  }
}

export class AuditPage {
  constructor(readonly page: Page) {}
  get rows(): Locator {
    return this.page.getByTestId('audit-row');
  }
  get filterActor(): Locator {
    return this.page.getByTestId('audit-filter-actor');
  }
  get subjectFilter(): Locator {
    return this.page.getByTestId('audit-filter-subject');
  }
  get verify(): Locator {
    return this.page.getByTestId('audit-verify');
  }
  get verifyOk(): Locator {
    return this.page.getByTestId('audit-verify-result');
  }
  get brokenBanner(): Locator {
    return this.page.getByTestId('audit-broken-banner');
  }
  get exportButton(): Locator {
    return this.page.getByTestId('audit-export');
  }
}
