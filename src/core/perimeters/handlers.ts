// Contract handlers of the perimeters ops.
import { ApiError } from '../../shared/contract';
import type { perimetersOperations } from '../../shared/ops/perimeters';
import { noteAudit } from '../api/call-scope';
import type { Handlers } from '../api/dispatch';
import type { MentionsRepo } from '../store/mentions-repo';
import type { PerimetersService } from './service';

type PerimeterHandlers = Pick<Handlers, keyof typeof perimetersOperations>;

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT_UNIQUE');
}

function unique<T>(f: () => T, taken: 'perimeters.brandNameTaken' | 'perimeters.productNameTaken'): T {
  try {
    return f();
  } catch (e) {
    if (isUniqueViolation(e)) throw new ApiError(taken);
    throw e;
  }
}

export function perimetersHandlers(svc: PerimetersService, mentions: MentionsRepo, now: () => number): PerimeterHandlers {
  const repo = svc.repo;
  return {
    'perimeters.list': () => ({ brands: repo.brands(), products: repo.products(), themes: repo.themes(), owned: svc.ownedRepo.list() }),
    'perimeters.brandCreate': ({ name }) => {
      const id = unique(() => repo.createBrand(name, now()), 'perimeters.brandNameTaken');
      svc.changed();
      return repo.brand(id)!;
    },
    'perimeters.brandUpdate': ({ id, name }) => {
      if (!unique(() => repo.renameBrand(id, name), 'perimeters.brandNameTaken')) throw new ApiError('perimeters.brandNotFound', { id });
      svc.changed();
      return repo.brand(id)!;
    },
    'perimeters.brandDelete': ({ id }) => {
      svc.deleteBrand(id);
      return { ok: true as const };
    },
    'perimeters.productCreate': ({ brandId, name }) => {
      if (!repo.brand(brandId)) throw new ApiError('perimeters.brandUnknown', { id: brandId });
      const id = unique(() => repo.createProduct(brandId, name, now()), 'perimeters.productNameTaken');
      svc.changed();
      return repo.product(id)!;
    },
    'perimeters.productUpdate': ({ id, name }) => {
      if (!unique(() => repo.renameProduct(id, name), 'perimeters.productNameTaken')) throw new ApiError('perimeters.productNotFound', { id });
      svc.changed();
      return repo.product(id)!;
    },
    'perimeters.productDelete': ({ id }) => {
      svc.deleteProduct(id);
      return { ok: true as const };
    },
    'perimeters.themeCreate': (input) => svc.createTheme(input),
    'perimeters.themeUpdate': ({ id, ...input }) => svc.updateTheme(id, input),
    'perimeters.themeDelete': ({ id }) => {
      svc.deleteTheme(id);
      return { ok: true as const };
    },
    'perimeters.ownedAdd': (input) => svc.addOwned(input),
    'perimeters.ownedDelete': ({ id }) => {
      const gone = svc.deleteOwned(id);
      // The log says which account went.
      noteAudit({ detail: { brandId: gone.brandId, type: gone.type, value: gone.value, platform: gone.platform } });
      return { ok: true as const };
    },
    'perimeters.ownedSuggestions': () => ({ items: svc.ownedSuggestions() }),
    'perimeters.testQuery': async ({ query, sample }) => {
      const res = await svc.testQuery(query, sample);
      if (!res.ok) return res;
      const items = res.sample.flatMap(({ mention, spans }) => {
        const m = mentions.get(mention.id);
        return m ? [{ mention: m, spans }] : [];
      });
      return { ok: true as const, count: res.count, scanned: res.scanned, total: res.total, sample: items };
    },
    'perimeters.rematchState': () => svc.rematchState(),
  };
}
