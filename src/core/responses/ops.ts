// Access and audit of the response policy and the responses workflow. The exact roles
// (manager drafts and publishes, legal decides legal steps, admin/strategist edit the policy,
// nobody approves their own draft…) are checked in the responses service, which notes every
// refusal for the call's row; here only analysts stop. Each step's facts (version, content
// hash, approvals voided…) are noted by the service and merged into the row.
import type { OpName } from '../../shared/contract';
import type { AuditDescriber, OpDeclarations } from '../api/call-scope';
import { EDITORS, READ } from '../auth/permissions';

type ResponseStep = Extract<OpName, 'responses.create' | 'responses.edit' | 'responses.submit' | 'responses.comment' | 'responses.checklist' | 'responses.publish' | 'responses.recordManual' | 'responses.override'>;

const step: AuditDescriber<ResponseStep> = (_input, out) => ({ subject: `response:${out.response.id}` });
const byId = (i: { id: number }): string => `response:${i.id}`;

export const responsesOps: OpDeclarations<Extract<OpName, `responses.${string}` | `policy.${string}`>> = {
  'policy.get': { access: READ, mutates: false, audit: false },
  // The service notes the policy before and after.
  'policy.update': { access: EDITORS, mutates: true, audit: () => ({ subject: 'policy' }) },
  'policy.preview': { access: READ, mutates: false, audit: false },
  'responses.list': { access: READ, mutates: false, audit: false },
  'responses.get': { access: READ, mutates: false, audit: false },
  'responses.channels': { access: READ, mutates: false, audit: false },
  'responses.create': { access: EDITORS, mutates: true, audit: step },
  // Saving the same text again changes nothing and writes nothing.
  'responses.edit': { access: EDITORS, mutates: true, target: byId, audit: step },
  'responses.submit': { access: EDITORS, mutates: true, target: byId, audit: step },
  // Recorded as the decision taken: responses.approve, responses.reject, responses.request_changes.
  'responses.decide': { access: EDITORS, mutates: true, target: byId, audit: (i, out) => ({ action: `responses.${i.decision}`, subject: `response:${out.response.id}` }) },
  'responses.comment': { access: EDITORS, mutates: true, target: byId, audit: step },
  'responses.checklist': { access: EDITORS, mutates: true, target: byId, audit: step },
  'responses.publish': { access: EDITORS, mutates: true, target: byId, audit: step },
  'responses.recordManual': { access: EDITORS, mutates: true, target: byId, audit: step },
  // Who overrode which warning, with the reason and the themes it covered (noted by the service).
  'responses.override': { access: EDITORS, mutates: true, target: byId, audit: step },
  'responses.context': { access: READ, mutates: false, audit: false },
  'responses.templates': { access: READ, mutates: false, audit: false },
  // The service notes the template's name (and text when saved); a new one is found by its name.
  'responses.templateSave': {
    access: EDITORS,
    mutates: true,
    target: (i) => (i.id !== undefined ? `template:${i.id}` : 'template'),
    audit: (i, out) => ({ subject: `template:${i.id ?? out.find((t) => t.name.toLowerCase() === i.name.toLowerCase())?.id ?? ''}` }),
  },
  'responses.templateDelete': { access: EDITORS, mutates: true, target: (i) => `template:${i.id}`, audit: (i) => ({ subject: `template:${i.id}` }) },
};
