// Page objects of the sentiment engine's state: the status bar's chips and Settings → Sentiment.
import type { Locator, Page } from 'playwright-core';

export class SentimentEngineUi {
  constructor(readonly page: Page) {}
  /** The status bar's chip when the model could not be loaded (rules fallback). */
  get fallbackChip(): Locator {
    return this.page.getByTestId('sentiment-engine-status');
  }
  /** The status bar's chip while stored mentions are re-scored. */
  get rescoreChip(): Locator {
    return this.page.getByTestId('sentiment-rescore-status');
  }
  get settingsSection(): Locator {
    return this.page.getByTestId('settings-sentiment');
  }
  get settingsEngine(): Locator {
    return this.page.getByTestId('settings-sentiment-engine');
  }
  get settingsError(): Locator {
    return this.page.getByTestId('settings-sentiment-error');
  }
  get settingsRescore(): Locator {
    return this.page.getByTestId('settings-sentiment-rescore');
  }
  /** The fallback line of an open "Perché…?" card. */
  get whyFallback(): Locator {
    return this.page.locator('[data-testid="sentiment-why"]:popover-open [data-testid="sentiment-fallback"]');
  }
}
