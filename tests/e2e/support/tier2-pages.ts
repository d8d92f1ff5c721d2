// Page objects of the Tier 2 view and the notification settings.
import type { Locator, Page } from 'playwright-core';

export class Tier2Page {
  constructor(readonly page: Page) {}
  async open(): Promise<void> {
    await this.page.getByTestId('nav-tier2').click();
    await this.page.getByTestId('tier2').waitFor();
  }
  tab(name: 'panels' | 'alerts' | 'content' | 'import' | 'rules'): Locator {
    return this.page.getByTestId(`tier2-tab-${name}`);
  }
  channel(c: string): Locator {
    return this.page.getByTestId(`tier2-channel-${c}`);
  }
  kpiValue(metric: string): Locator {
    return this.page.locator(`[data-testid="tier2-kpi"][data-metric="${metric}"] [data-testid="tier2-kpi-value"]`);
  }
  get openCount(): Locator {
    return this.page.getByTestId('tier2-open-count');
  }
  get csvInput(): Locator {
    return this.page.getByTestId('tier2-csv-input');
  }
  mapColumn(name: string): Locator {
    return this.page.locator(`[data-testid="tier2-map-col"][data-column="${name}"]`);
  }
  alert(text: string): Locator {
    return this.page.getByTestId('tier2-alert').filter({ hasText: text });
  }
  get toasts(): Locator {
    return this.page.getByTestId('tier2-toast');
  }
  /** How many times the panel has been (re)loaded: a pushed point bumps it. */
  async panelLoads(): Promise<number> {
    return this.page.evaluate(() => Number(document.documentElement.dataset.tier2Panel ?? '0'));
  }
}
