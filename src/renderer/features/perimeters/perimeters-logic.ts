// Pure helpers of the perimeters UI (no Svelte; no DOM but the confirm dialog): the brand →
// product → theme tree, splitting a text into plain and highlighted runs for matched spans.
import type { Brand, MatchSpanDto, Perimeters, PerimeterTheme, Product } from '../../../shared/perimeters';

export interface TreeProduct {
  product: Product | null;
  themes: PerimeterTheme[];
}
/** What is being renamed in the tree: one brand or product at a time, across brands. */
export type Renaming = { kind: 'brand' | 'product'; id: number; value: string } | null;

export interface TreeBrand {
  brand: Brand;
  /** First the themes of the whole brand (product null), then one entry per product. */
  groups: TreeProduct[];
}

const byName = (locale: string) => (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, locale);

export function buildTree(p: Perimeters, locale = 'it'): TreeBrand[] {
  const cmp = byName(locale);
  return [...p.brands].sort(cmp).map((brand) => {
    const themes = p.themes.filter((t) => t.brandId === brand.id);
    const groups: TreeProduct[] = [{ product: null, themes: themes.filter((t) => t.productId === null).sort(cmp) }];
    for (const product of p.products.filter((x) => x.brandId === brand.id).sort(cmp)) {
      groups.push({ product, themes: themes.filter((t) => t.productId === product.id).sort(cmp) });
    }
    return { brand, groups };
  });
}

export interface Segment {
  text: string;
  mark: boolean;
}

/**
 * The text cut into runs, marked where a span of `field` covers it. Spans may overlap, be
 * out of order or out of range (stored offsets of an edited text): they are clamped and
 * merged, never trusted. The result is rendered as text nodes, never as HTML.
 */
export function highlightSegments(text: string, spans: readonly MatchSpanDto[] | undefined, field: 'title' | 'text'): Segment[] {
  const rs = (spans ?? [])
    .filter((s) => s.field === field)
    .map((s) => [Math.max(0, Math.min(s.start, text.length)), Math.max(0, Math.min(s.end, text.length))] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const out: Segment[] = [];
  let at = 0;
  for (const [a, b] of rs) {
    const start = Math.max(a, at);
    if (b <= start) continue;
    if (start > at) out.push({ text: text.slice(at, start), mark: false });
    out.push({ text: text.slice(start, b), mark: true });
    at = b;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), mark: false });
  return out;
}

/** All spans of a mention's themes, for highlighting (optionally only one theme's). */
export function spansOf(themes: readonly { themeId: number; spans: MatchSpanDto[] }[] | undefined, themeId: number | null = null): MatchSpanDto[] {
  const out: MatchSpanDto[] = [];
  for (const t of themes ?? []) if (themeId === null || t.themeId === themeId) out.push(...t.spans);
  return out;
}

/** A relevance or weight in [0, 1] with two decimals, in the UI's locale ("0,85"). */
export function score(n: number, locale: string): string {
  return new Intl.NumberFormat(locale === 'it' ? 'it-IT' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

/** Asks before a deletion (the browser's dialog; where there is none, as in tests, yes). */
export function confirmDelete(text: string): boolean {
  return typeof confirm === 'function' ? confirm(text) : true;
}
