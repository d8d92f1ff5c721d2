// Access and audit of saved searches. Everyone signed in lists and saves their own (a personal
// search changes nothing anyone else sees); sharing one, and who may change a shared one, the
// service decides (analysts do not share; a shared one is its author's or an admin's to change).
// Every change is a row: a shared search steers what colleagues look at.
import type { searchesOperations } from '../../shared/ops/searches';
import type { OpDeclarations } from '../api/call-scope';
import { READ } from '../auth/permissions';

export const searchesOps: OpDeclarations<keyof typeof searchesOperations> = {
  'searches.list': { access: READ, mutates: false, audit: false },
  'searches.create': { access: READ, mutates: true, audit: (_in, out) => ({ subject: `search:${out.id}` }) },
  'searches.update': { access: READ, mutates: true, target: ({ id }) => `search:${id}`, audit: ({ id }) => ({ subject: `search:${id}` }) },
  'searches.delete': { access: READ, mutates: true, target: ({ id }) => `search:${id}`, audit: ({ id }) => ({ subject: `search:${id}` }) },
  'searches.counts': { access: READ, mutates: false, audit: false },
  'warroom.snapshot': { access: READ, mutates: false, audit: false },
};
