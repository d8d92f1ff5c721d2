// A scenario's workspace: the brand, its products and themes, and its own accounts. Everything
// that turns this declaration into API calls lives here: each own account is declared in the
// perimeter (issue #14, item 2) as the source its stream uses; a name alone counts for nothing.
import type { Stance, Swot } from '../../../src/shared/perimeters';
import { fold } from '../../../src/shared/text';

export interface ThemeSpec {
  name: string;
  query: string;
  swot: Swot;
  stance: Stance;
  /** The product it belongs to (by name), or the brand as a whole. */
  product?: string;
  weight?: number;
}

/** One of the brand's own accounts on a network, with the posts the streams comment under. */
export interface OwnedAccount {
  network: string;
  handle: string;
}

export interface WorkspaceSpec {
  brand: string;
  products: readonly string[];
  themes: readonly ThemeSpec[];
  owned: readonly OwnedAccount[];
}

/** The brand's handle as the scenarios name its accounts: its name folded, letters and digits only. */
export function brandHandle(brand: string): string {
  return `@${fold(brand).replace(/[^\p{L}\p{N}]/gu, '')}`;
}

/** The source name a stream uses for an owned account. */
export function ownedSource(a: OwnedAccount): string {
  return `${a.network} ${a.handle}`;
}

/** A contract call: `app.dispatch` in process, or an RPC over HTTP. */
export type Call = (op: string, input: unknown) => Promise<unknown>;

/** Creates the brand, its products and themes, and declares its own accounts. */
export async function setupWorkspace(call: Call, ws: WorkspaceSpec): Promise<{ brandId: number; themeIds: Map<string, number> }> {
  const brand = (await call('perimeters.brandCreate', { name: ws.brand })) as { id: number };
  const products = new Map<string, number>();
  for (const p of ws.products) products.set(p, ((await call('perimeters.productCreate', { brandId: brand.id, name: p })) as { id: number }).id);
  const themeIds = new Map<string, number>();
  for (const t of ws.themes) {
    const productId = t.product ? (products.get(t.product) ?? null) : null;
    const created = (await call('perimeters.themeCreate', {
      brandId: brand.id,
      productId,
      name: t.name,
      query: t.query,
      swot: t.swot,
      stance: t.stance,
      weight: t.weight ?? 0.8,
    })) as { id: number };
    themeIds.set(t.name, created.id);
  }
  for (const a of ws.owned) await call('perimeters.ownedAdd', { brandId: brand.id, type: 'source', value: ownedSource(a) });
  return { brandId: brand.id, themeIds };
}
