// Access and audit of audiences and risk. Audience maps are the strategist's (PRODUCT.md);
// the pre-intervention checklist is filled by the team.
import type { audiencesOperations } from '../../shared/ops/audiences';
import type { OpDeclarations } from '../api/call-scope';
import { EDITORS, READ, STRATEGISTS } from '../auth/permissions';

export const audiencesOps: OpDeclarations<keyof typeof audiencesOperations> = {
  'audiences.list': { access: READ, mutates: false, audit: false },
  'audiences.create': { access: STRATEGISTS, mutates: true, audit: (i, a) => ({ subject: `audience:${a.id}`, detail: { ...i } }) },
  'audiences.update': { access: STRATEGISTS, mutates: true, target: (i) => `audience:${i.id}`, audit: ({ id, audience }) => ({ subject: `audience:${id}`, detail: { ...audience } }) },
  'audiences.delete': { access: STRATEGISTS, mutates: true, target: (i) => `audience:${i.id}`, audit: ({ id }) => ({ subject: `audience:${id}` }) },
  'audiences.suggestions': { access: READ, mutates: false, audit: false },
  'risk.moment': { access: READ, mutates: false, audit: false },
  'risk.map': { access: READ, mutates: false, audit: false },
  'risk.checklistSet': {
    access: EDITORS,
    mutates: true,
    target: (i) => `moment:${i.momentId}`,
    audit: ({ momentId, item, done, note }) => ({ subject: `moment:${momentId}`, detail: { item, done, note } }),
  },
};
