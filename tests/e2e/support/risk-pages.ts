// Page objects of the risk map, the audience maps and a moment's risk and checklist.
import type { Locator, Page } from 'playwright-core';

export class RiskPage {
  constructor(readonly page: Page) {}
  get nav(): Locator {
    return this.page.getByTestId('nav-risk');
  }
  get map(): Locator {
    return this.page.getByTestId('risk-map');
  }
  bubbles(filter: { kind?: 'crisis' | 'opportunity'; area?: 'strong' | 'weak' } = {}): Locator {
    let sel = '[data-testid="risk-bubble"]';
    if (filter.kind) sel += `[data-kind="${filter.kind}"]`;
    if (filter.area) sel += `[data-area="${filter.area}"]`;
    return this.page.locator(sel);
  }
  get figures(): Locator {
    return this.page.getByTestId('risk-figures');
  }
  get newAudience(): Locator {
    return this.page.getByTestId('audience-new');
  }
  field(name: 'name' | 'type' | 'override' | 'sources' | 'communities' | 'hashtags' | 'authorKeys'): Locator {
    return this.page.getByTestId(`audience-${name}`);
  }
  suggestion(field: 'sources' | 'communities' | 'hashtags', text: string): Locator {
    return this.page.getByTestId(`suggest-${field}`).filter({ hasText: text });
  }
  get save(): Locator {
    return this.page.getByTestId('audience-save');
  }
  get error(): Locator {
    return this.page.getByTestId('audience-error');
  }
  get form(): Locator {
    return this.page.getByTestId('audience-form');
  }
  audienceRow(name: string): Locator {
    return this.page.locator(`[data-testid="audience-row"][data-name="${name}"]`);
  }
}

export class MomentRiskPanel {
  constructor(readonly page: Page) {}
  get block(): Locator {
    return this.page.getByTestId('moment-risk');
  }
  get area(): Locator {
    return this.page.getByTestId('moment-risk-area');
  }
  get explanation(): Locator {
    return this.page.getByTestId('moment-risk-explain');
  }
  get audiences(): Locator {
    return this.page.getByTestId('moment-audiences');
  }
  check(item: 'timing' | 'pertinence' | 'coherence' | 'product'): Locator {
    return this.page.getByTestId(`check-${item}`);
  }
  note(item: 'timing' | 'pertinence' | 'coherence' | 'product'): Locator {
    return this.page.getByTestId(`check-note-${item}`);
  }
  get status(): Locator {
    return this.page.getByTestId('checklist-status');
  }
}
