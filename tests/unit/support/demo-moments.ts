// Helpers for moment tests: the demo perimeter created through the contract, and the demo
// stream fed in slices of stream time as a replay would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreApp } from '../../../src/app/app';
import { DEMO_BRAND, DEMO_OWNED_SOURCE, DEMO_THEMES } from '../../../src/core/perimeters/demo-seed';
import { resourcesDir } from './core';

/**
 * Creates the demo perimeter (with the brand's own account) and waits for the moments' recompute that a perimeter change
 * starts. `flat`: the same themes placed directly under the brand, with no products (how a
 * strategist may well arrange it; detection must not depend on it).
 */
export async function createDemoPerimeter(app: CoreApp, opts: { flat?: boolean } = {}): Promise<void> {
  const rebuilt = new Promise<void>((resolve) => {
    const off = app.events.subscribe((e, p) => {
      if (e === 'moments.changed' && (p as { rebuilt: boolean }).rebuilt) {
        off();
        resolve();
      }
    });
  });
  const brand = (await app.dispatch('perimeters.brandCreate', { name: DEMO_BRAND })) as { id: number };
  const products = new Map<string, number>();
  for (const t of opts.flat ? [] : DEMO_THEMES) {
    if (t.product && !products.has(t.product)) {
      const p = (await app.dispatch('perimeters.productCreate', { brandId: brand.id, name: t.product })) as { id: number };
      products.set(t.product, p.id);
    }
  }
  for (const t of DEMO_THEMES) {
    await app.dispatch('perimeters.themeCreate', {
      brandId: brand.id,
      productId: t.product && !opts.flat ? products.get(t.product)! : null,
      name: t.name,
      query: t.query,
      swot: t.swot,
      stance: t.stance,
      weight: t.weight,
    });
  }
  // The comments under the brand's own Instagram posts, as the demo declares them.
  await app.dispatch('perimeters.ownedAdd', { brandId: brand.id, type: 'source', value: DEMO_OWNED_SOURCE });
  await rebuilt;
}

export interface StreamItem {
  published_at: string;
  [k: string]: unknown;
}

export function demoStream(): StreamItem[] {
  return readFileSync(join(resourcesDir, 'demo', 'stream.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as StreamItem);
}

/** Feeds items through the webhook path in slices of `sliceMs` of stream time; calls `after` after each. */
export function feedInSlices(app: CoreApp, items: readonly StreamItem[], sliceMs: number, after?: (streamAt: number) => void): void {
  let i = 0;
  while (i < items.length) {
    const start = Date.parse(items[i]!.published_at);
    const end = Math.floor(start / sliceMs) * sliceMs + sliceMs;
    let j = i;
    while (j < items.length && Date.parse(items[j]!.published_at) < end) j++;
    app.ingestWebhook(items.slice(i, j));
    after?.(Date.parse(items[j - 1]!.published_at));
    i = j;
  }
}
