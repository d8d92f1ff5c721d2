// Access and audit of the webhook keys: administrators only, every change worth a row (the
// token itself never is: the audit keeps the last four characters).
import type { webhooksOperations } from '../../shared/ops/webhooks';
import type { OpDeclarations } from '../api/call-scope';
import { ADMINS } from '../auth/permissions';

export const webhooksOps: OpDeclarations<keyof typeof webhooksOperations> = {
  'webhooks.list': { access: ADMINS, mutates: false, audit: false },
  'webhooks.create': { access: ADMINS, mutates: true, audit: (_in, out) => ({ subject: `webhook:${out.key.name}` }) },
  'webhooks.rotate': { access: ADMINS, mutates: true, target: ({ id }) => `webhook#${id}`, audit: (_in, out) => ({ subject: `webhook:${out.key.name}` }) },
  'webhooks.remove': { access: ADMINS, mutates: true, target: ({ id }) => `webhook#${id}`, audit: ({ id }, _out, call) => ({ subject: call.note?.subject ?? `webhook#${id}` }) },
};
