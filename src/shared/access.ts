// Who may call each op, as one table both sides read: the UI hides or disables what a person
// may not do, the server enforces it — the dispatcher from each feature's declaration (its
// ops.ts), and for the few ops in SERVICE_REFINED the service's own role check on top, which
// keeps its worded refusal and audit row. tests/unit/access-table.test.ts calls the real
// dispatcher as each role to keep this table equal to what is enforced, for every op.
// Rules that depend on data (legal approves only legal steps, nobody approves their own
// draft) stay in their service, which tells the UI through the answer (ResponseDetail.can).
import { MOMENT_ACKNOWLEDGERS, SENTIMENT_CORRECTORS, TAG_KEEPERS, type Role } from './auth';
import type { OpName } from './contract';

export type Access = 'public' | 'signed-in' | readonly Role[];

/** Everyone who may change things: every role except analyst. */
export const EDITORS: readonly Role[] = ['admin', 'strategist', 'manager', 'legal', 'owner'];
export const ADMINS: readonly Role[] = ['admin'];
/** Who keeps perimeters' companions, the audience maps, and the publishing channels. */
export const STRATEGISTS: readonly Role[] = ['admin', 'strategist'];
/** Everyone signed in, analysts included: reads. */
export const READ = 'signed-in' as const;
/** Who writes, edits and submits responses (the social media manager, the strategist). */
export const AUTHORS: readonly Role[] = ['manager', 'strategist'];
/** Who confirms the pre-publication checklist and publishes a response. */
export const PUBLISHERS: readonly Role[] = ['manager'];
/** Who records a manual publication or retries one from the outbox. */
export const POSTERS: readonly Role[] = ['admin', 'manager'];
export { MOMENT_ACKNOWLEDGERS, SENTIMENT_CORRECTORS, TAG_KEEPERS };

export function allows(access: Access, roles: readonly Role[]): boolean {
  if (access === 'public' || access === 'signed-in') return true;
  return roles.some((r) => access.includes(r));
}

const E = EDITORS;

/** Every op's access rule. A missing op is a compile error. */
export const OP_ACCESS: { readonly [K in OpName]: Access } = {
  'app.info': 'public',
  'settings.get': READ,
  'settings.update': E,
  'settings.setTimeZone': ADMINS,
  'settings.setAuthorHandles': ADMINS,
  'mentions.list': READ,
  // Saved searches: anyone keeps their own; sharing and others' searches are the service's
  // rule (the author or an admin), told by each search's answer.
  'searches.list': READ,
  'searches.create': READ,
  'searches.update': READ,
  'searches.delete': READ,
  'searches.counts': READ,
  'warroom.snapshot': READ,
  'mentions.get': READ,
  'mentions.setStatus': E,
  'mentions.correctSentiment': SENTIMENT_CORRECTORS,
  'tags.list': READ,
  'tags.state': READ,
  'tags.create': E,
  'tags.rename': TAG_KEEPERS,
  'tags.delete': TAG_KEEPERS,
  // A bulk action has the access of the single action it repeats (reading is one's own).
  'mentions.bulkTag': E,
  'mentions.bulkAssign': E,
  'mentions.bulkRead': READ,
  'mentions.bulkStatus': E,
  'mentions.bulkSentiment': SENTIMENT_CORRECTORS,
  'import.file': E,
  'import.reports': READ,
  'import.begin': E,
  'import.chunk': E,
  'import.end': E,
  'import.cancel': E,
  'demo.start': E,
  'demo.stop': E,
  'demo.state': READ,
  'sentiment.status': READ,
  'perimeters.list': READ,
  'perimeters.brandCreate': E,
  'perimeters.brandUpdate': E,
  'perimeters.brandDelete': E,
  'perimeters.productCreate': E,
  'perimeters.productUpdate': E,
  'perimeters.productDelete': E,
  'perimeters.themeCreate': E,
  'perimeters.themeUpdate': E,
  'perimeters.themeDelete': E,
  'perimeters.ownedAdd': E,
  'perimeters.ownedDelete': E,
  'perimeters.ownedSuggestions': READ,
  'perimeters.testQuery': READ,
  'perimeters.rematchState': READ,
  'sources.list': READ,
  'sources.add': E,
  'sources.update': E,
  'sources.pause': E,
  'sources.resume': E,
  'sources.delete': E,
  'sources.test': E,
  'sources.pollNow': E,
  'metrics.contents': READ,
  'metrics.saveContent': E,
  'metrics.record': E,
  'metrics.panel': READ,
  'metrics.csvPreview': E,
  'metrics.csvImport': E,
  'alerts.list': READ,
  'alerts.acknowledge': E,
  'alerts.intervene': E,
  'alerts.resolve': E,
  'alerts.rules': READ,
  'alerts.saveRule': E,
  'alerts.deleteRule': E,
  'notify.get': READ,
  'notify.update': E,
  'notify.test': E,
  'notify.deliveries': READ,
  'moments.list': READ,
  'moments.get': READ,
  'moments.settings': READ,
  'moments.settingsUpdate': E,
  'moments.rebuild': E,
  'moments.acknowledge': MOMENT_ACKNOWLEDGERS,
  'auth.status': 'public',
  'auth.setup': 'public',
  'auth.signIn': 'public',
  'auth.demoSignIn': 'public',
  'auth.signOut': READ,
  'auth.unlock': READ,
  'users.list': ADMINS,
  'users.create': ADMINS,
  'users.update': ADMINS,
  'users.resetPassword': ADMINS,
  'users.signOutEverywhere': ADMINS,
  'users.delete': ADMINS,
  'audit.list': READ,
  'audit.facets': READ,
  'audit.verify': READ,
  'audit.anchorCopy': ADMINS,
  'audit.setAnchorCopy': ADMINS,
  'audit.exportCsv': READ,
  'publishing.channels': READ,
  'publishing.channelCreate': STRATEGISTS,
  'publishing.channelUpdate': STRATEGISTS,
  'publishing.channelDisable': STRATEGISTS,
  'publishing.channelTest': STRATEGISTS,
  'publishing.outbox': READ,
  'publishing.recordManual': POSTERS,
  'publishing.retry': POSTERS,
  'policy.get': READ,
  'policy.update': STRATEGISTS,
  'policy.preview': READ,
  'responses.list': READ,
  'responses.get': READ,
  'responses.channels': READ,
  'responses.create': AUTHORS,
  'responses.edit': AUTHORS,
  'responses.submit': AUTHORS,
  // Which step a person decides depends on the response (its policy and round): ResponseDetail.can.decide.
  'responses.decide': E,
  'responses.comment': E,
  'responses.checklist': PUBLISHERS,
  'responses.publish': PUBLISHERS,
  'responses.recordManual': PUBLISHERS,
  // Which warning a person may override is data (its kind): the answer's can.override says.
  'responses.override': E,
  'responses.context': READ,
  'responses.templates': READ,
  'responses.templateSave': AUTHORS,
  'responses.templateDelete': AUTHORS,
  'audiences.list': READ,
  'audiences.create': STRATEGISTS,
  'audiences.update': STRATEGISTS,
  'audiences.delete': STRATEGISTS,
  'audiences.suggestions': READ,
  'risk.moment': READ,
  'risk.map': READ,
  'risk.checklistSet': E,
  'webhooks.list': ADMINS,
  'webhooks.create': ADMINS,
  'webhooks.rotate': ADMINS,
  'webhooks.remove': ADMINS,
  'notes.list': READ,
  'notes.add': E,
  'notes.remove': E,
  'notes.suggestions': READ,
  'reads.state': READ,
  'reads.mark': READ,
  'reads.list': READ,
  'presence.here': READ,
  'notifications.list': READ,
  'notifications.status': READ,
  'notifications.markRead': READ,
  'notifications.markAllRead': READ,
  'assignments.set': E,
  'assignments.get': READ,
  'assignments.list': READ,
  'people.list': READ,
};

/**
 * Ops the dispatcher lets every editor through while their service refuses the roles not in
 * this table (responses/service.ts requireRole), with a refusal that names who may.
 */
export const SERVICE_REFINED: readonly OpName[] = [
  'policy.update',
  'responses.create',
  'responses.edit',
  'responses.submit',
  'responses.checklist',
  'responses.publish',
  'responses.recordManual',
  'responses.templateSave',
  'responses.templateDelete',
];

/** The roles that may call an op; null when anyone signed in (or anyone at all) may. */
export function rolesFor(op: OpName): readonly Role[] | null {
  const a = OP_ACCESS[op];
  return typeof a === 'string' ? null : a;
}

/** May a person holding these roles call this op? */
export function mayCall(op: OpName, roles: readonly Role[]): boolean {
  return allows(OP_ACCESS[op], roles);
}
