// Access and audit of perimeters: brands, products, themes and owned accounts, created,
// renamed or deleted, recorded under the person of the call once the change has succeeded.
import type { perimetersOperations } from '../../shared/ops/perimeters';
import type { OpDeclarations } from '../api/call-scope';
import { EDITORS, READ } from '../auth/permissions';

export const perimetersOps: OpDeclarations<keyof typeof perimetersOperations> = {
  'perimeters.list': { access: READ, mutates: false, audit: false },
  'perimeters.brandCreate': { access: EDITORS, mutates: true, audit: (_i, b) => ({ subject: `brand:${b.id}`, detail: { name: b.name } }) },
  'perimeters.brandUpdate': { access: EDITORS, mutates: true, target: (i) => `brand:${i.id}`, audit: (_i, b) => ({ subject: `brand:${b.id}`, detail: { name: b.name } }) },
  'perimeters.brandDelete': { access: EDITORS, mutates: true, target: (i) => `brand:${i.id}`, audit: (i) => ({ subject: `brand:${i.id}` }) },
  'perimeters.productCreate': { access: EDITORS, mutates: true, audit: (i, p) => ({ subject: `product:${p.id}`, detail: { name: p.name, brandId: i.brandId } }) },
  'perimeters.productUpdate': { access: EDITORS, mutates: true, target: (i) => `product:${i.id}`, audit: (_i, p) => ({ subject: `product:${p.id}`, detail: { name: p.name } }) },
  'perimeters.productDelete': { access: EDITORS, mutates: true, target: (i) => `product:${i.id}`, audit: (i) => ({ subject: `product:${i.id}` }) },
  'perimeters.themeCreate': { access: EDITORS, mutates: true, audit: (i, t) => ({ subject: `theme:${t.id}`, detail: { ...i } }) },
  'perimeters.themeUpdate': { access: EDITORS, mutates: true, target: (i) => `theme:${i.id}`, audit: (i) => ({ subject: `theme:${i.id}`, detail: { ...i } }) },
  'perimeters.themeDelete': { access: EDITORS, mutates: true, target: (i) => `theme:${i.id}`, audit: (i) => ({ subject: `theme:${i.id}` }) },
  // Which accounts are the brand's own decides owned-thread moments and replies on them.
  'perimeters.ownedAdd': {
    access: EDITORS,
    mutates: true,
    audit: (_i, a) => ({ subject: `owned:${a.id}`, detail: { brandId: a.brandId, type: a.type, value: a.value, platform: a.platform } }),
  },
  // The handler notes which account went (read before its removal).
  'perimeters.ownedDelete': { access: EDITORS, mutates: true, target: (i) => `owned:${i.id}`, audit: (i) => ({ subject: `owned:${i.id}` }) },
  'perimeters.ownedSuggestions': { access: READ, mutates: false, audit: false },
  // Reads only: runs a query against stored mentions without saving anything.
  'perimeters.testQuery': { access: READ, mutates: false, audit: false },
  'perimeters.rematchState': { access: READ, mutates: false, audit: false },
};
