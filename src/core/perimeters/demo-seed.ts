// The demo workspace's perimeter for the fictional "Caffè Aurora" (resources/demo/README.md):
// its products, the themes the recorded stream's episodes and background talk touch, and the
// brand's own account (the Instagram comments under its posts), so the demo shows theme chips,
// filters, relevance and owned-thread moments from the first minute.
import type { Stance, Swot } from '../../shared/perimeters';
import type { PerimetersService } from './service';

interface SeedTheme {
  name: string;
  product: string | null;
  query: string;
  swot: Swot;
  stance: Stance;
  weight: number;
}

export const DEMO_BRAND = 'Caffè Aurora';
const PRODUCTS = ['Aurora Crema', 'Aurora Fredda', 'Aurora Club'];
/** The stream's source of comments under the brand's own Instagram posts. */
export const DEMO_OWNED_SOURCE = 'Instagram @caffeaurora';

export const DEMO_THEMES: readonly SeedTheme[] = [
  {
    name: 'Muffa nelle capsule',
    product: 'Aurora Crema',
    query: '(muffa OR ammuffit* OR mould OR mouldy OR mold) AND (capsul* OR pods OR crema OR confezione OR aurora)',
    swot: 'threat',
    stance: 'sensitive',
    weight: 1,
  },
  {
    name: 'Boicottaggio e proteste',
    product: null,
    query: '#boicottaaurora OR boicott* OR vergogn* OR shameful OR "mai più aurora" OR "addio aurora"',
    swot: 'threat',
    stance: 'sensitive',
    weight: 0.9,
  },
  {
    name: 'Cold brew e Giulia Marchetti',
    product: 'Aurora Fredda',
    query: '"aurora fredda" OR "cold brew" OR #coldbrew OR "giulia marchetti"',
    swot: 'opportunity',
    stance: 'in_perimeter',
    weight: 0.9,
  },
  {
    name: 'Settimana del Caffè',
    product: null,
    query: '#settimanadelcaffe OR "settimana del caffè"',
    swot: 'opportunity',
    stance: 'in_perimeter',
    weight: 0.7,
  },
  {
    name: 'App Aurora Club',
    product: 'Aurora Club',
    query: '"aurora club" OR ("app" NEAR/3 aurora)',
    swot: 'weakness',
    stance: 'in_perimeter',
    weight: 0.7,
  },
  {
    name: 'Esperienza al bar',
    product: null,
    query: 'aurora AND (barista OR cappuccino OR cornett* OR personale OR fila OR locale)',
    swot: 'strength',
    stance: 'in_perimeter',
    weight: 0.6,
  },
  {
    name: 'Servizio clienti',
    product: null,
    query: '"servizio clienti" OR "customer service" OR assistenza OR (nessuno NEAR/3 risponde) OR "never answers"',
    swot: 'weakness',
    stance: 'in_perimeter',
    weight: 0.7,
  },
  {
    name: 'Prezzi e listini',
    product: null,
    query: '(prezz* OR listin* OR rincar* OR price*) AND (aurora OR caffè OR coffee)',
    swot: 'weakness',
    stance: 'in_perimeter',
    weight: 0.5,
  },
  {
    name: 'Concorrenti',
    product: null,
    query: 'borealis OR meridiana',
    swot: 'threat',
    stance: 'forbidden',
    weight: 0.4,
  },
];

/** Creates the demo perimeter unless a perimeter already exists (never touches the user's). */
export function seedDemoPerimeter(svc: PerimetersService, now: number): boolean {
  const repo = svc.repo;
  if (repo.brands().length > 0) return false;
  const brandId = repo.createBrand(DEMO_BRAND, now);
  const products = new Map<string, number>();
  for (const p of PRODUCTS) products.set(p, repo.createProduct(brandId, p, now));
  for (const t of DEMO_THEMES) {
    svc.createTheme({
      brandId,
      productId: t.product ? (products.get(t.product) ?? null) : null,
      name: t.name,
      query: t.query,
      swot: t.swot,
      stance: t.stance,
      weight: t.weight,
    });
  }
  svc.addOwned({ brandId, type: 'source', value: DEMO_OWNED_SOURCE, platform: null });
  return true;
}
