// Perimeter changes in the audit: brands, products, themes and owned accounts, created, renamed
// or deleted, recorded under the person of the call once the change has succeeded.
import type { perimetersOperations } from '../../shared/ops/perimeters';
import type { OwnedAccount } from '../../shared/perimeters';
import type { Handlers } from '../api/dispatch';
import type { AuditService } from './service';

type PerimeterHandlers = Pick<Handlers, keyof typeof perimetersOperations>;

/** `ownedOf` reads an owned account before its removal, so the log says which one went. */
export function auditedPerimeters(h: PerimeterHandlers, audit: AuditService, ownedOf: (id: number) => OwnedAccount | null = () => null): PerimeterHandlers {
  return {
    ...h,
    'perimeters.brandCreate': async (input, ctx) => {
      const b = await h['perimeters.brandCreate'](input, ctx);
      audit.record(ctx.actor, 'perimeters.brandCreate', `brand:${b.id}`, { name: b.name });
      return b;
    },
    'perimeters.brandUpdate': async (input, ctx) => {
      const b = await h['perimeters.brandUpdate'](input, ctx);
      audit.record(ctx.actor, 'perimeters.brandUpdate', `brand:${b.id}`, { name: b.name });
      return b;
    },
    'perimeters.brandDelete': async (input, ctx) => {
      const r = await h['perimeters.brandDelete'](input, ctx);
      audit.record(ctx.actor, 'perimeters.brandDelete', `brand:${input.id}`);
      return r;
    },
    'perimeters.productCreate': async (input, ctx) => {
      const p = await h['perimeters.productCreate'](input, ctx);
      audit.record(ctx.actor, 'perimeters.productCreate', `product:${p.id}`, { name: p.name, brandId: input.brandId });
      return p;
    },
    'perimeters.productUpdate': async (input, ctx) => {
      const p = await h['perimeters.productUpdate'](input, ctx);
      audit.record(ctx.actor, 'perimeters.productUpdate', `product:${p.id}`, { name: p.name });
      return p;
    },
    'perimeters.productDelete': async (input, ctx) => {
      const r = await h['perimeters.productDelete'](input, ctx);
      audit.record(ctx.actor, 'perimeters.productDelete', `product:${input.id}`);
      return r;
    },
    'perimeters.themeCreate': async (input, ctx) => {
      const t = await h['perimeters.themeCreate'](input, ctx);
      audit.record(ctx.actor, 'perimeters.themeCreate', `theme:${t.id}`, { ...input });
      return t;
    },
    'perimeters.themeUpdate': async (input, ctx) => {
      const t = await h['perimeters.themeUpdate'](input, ctx);
      audit.record(ctx.actor, 'perimeters.themeUpdate', `theme:${input.id}`, { ...input });
      return t;
    },
    'perimeters.ownedAdd': async (input, ctx) => {
      const a = await h['perimeters.ownedAdd'](input, ctx);
      audit.record(ctx.actor, 'perimeters.ownedAdd', `owned:${a.id}`, { brandId: a.brandId, type: a.type, value: a.value, platform: a.platform });
      return a;
    },
    'perimeters.ownedDelete': async (input, ctx) => {
      const before = ownedOf(input.id);
      const r = await h['perimeters.ownedDelete'](input, ctx);
      audit.record(ctx.actor, 'perimeters.ownedDelete', `owned:${input.id}`, before ? { brandId: before.brandId, type: before.type, value: before.value, platform: before.platform } : {});
      return r;
    },
    'perimeters.themeDelete': async (input, ctx) => {
      const r = await h['perimeters.themeDelete'](input, ctx);
      audit.record(ctx.actor, 'perimeters.themeDelete', `theme:${input.id}`);
      return r;
    },
  };
}
