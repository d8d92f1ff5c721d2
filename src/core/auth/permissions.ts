// Who may call what. Enforced by the dispatcher for every call that comes through an adapter
// (IPC, HTTP); in-process calls run as the system actor. A branch that adds ops must add
// them here too, or typecheck fails: access is decided deliberately, op by op.
// Rules that depend on data (e.g. legal approves only legal steps) live in their service.
import { MOMENT_ACKNOWLEDGERS, SENTIMENT_CORRECTORS, type Actor, type Role } from '../../shared/auth';
import type { OpName } from '../../shared/contract';

export type Access = 'public' | 'signed-in' | readonly Role[];

/** Everyone who may change things: every role except analyst. */
export const EDITORS: readonly Role[] = ['admin', 'strategist', 'manager', 'legal', 'owner'];
export const ADMINS: readonly Role[] = ['admin'];
/** Who keeps perimeters' companions, the audience maps. */
export const STRATEGISTS: readonly Role[] = ['admin', 'strategist'];
const READ = 'signed-in' as const;

export const OP_ACCESS: Record<OpName, Access> = {
  'app.info': 'public',
  'auth.status': 'public',
  'auth.setup': 'public',
  'auth.signIn': 'public',
  'auth.signOut': READ,
  'auth.unlock': READ,
  'users.list': ADMINS,
  'users.create': ADMINS,
  'users.update': ADMINS,
  'users.resetPassword': ADMINS,
  'users.delete': ADMINS,
  // Everyone reads the log (analysts see everything); nobody changes it.
  'audit.list': READ,
  'audit.facets': READ,
  'audit.verify': READ,
  'audit.exportCsv': READ,

  'settings.get': READ,
  'settings.update': EDITORS,
  'mentions.list': READ,
  'mentions.get': READ,
  'mentions.setStatus': EDITORS,
  // A label feeds every aggregate and trains the workspace layer: the people who read the stream.
  'mentions.correctSentiment': SENTIMENT_CORRECTORS,
  'import.file': EDITORS,
  'import.reports': READ,
  'demo.start': EDITORS,
  'demo.stop': EDITORS,
  'demo.state': READ,
  'sentiment.status': READ,

  'perimeters.list': READ,
  'perimeters.brandCreate': EDITORS,
  'perimeters.brandUpdate': EDITORS,
  'perimeters.brandDelete': EDITORS,
  'perimeters.productCreate': EDITORS,
  'perimeters.productUpdate': EDITORS,
  'perimeters.productDelete': EDITORS,
  'perimeters.themeCreate': EDITORS,
  'perimeters.themeUpdate': EDITORS,
  'perimeters.themeDelete': EDITORS,
  // Which accounts are the brand's own decides owned-thread moments and replies on them.
  'perimeters.ownedAdd': EDITORS,
  'perimeters.ownedDelete': EDITORS,
  'perimeters.ownedSuggestions': READ,
  // Reads only: runs a query against stored mentions without saving anything.
  'perimeters.testQuery': READ,
  'perimeters.rematchState': READ,

  'sources.list': READ,
  'sources.add': EDITORS,
  'sources.update': EDITORS,
  'sources.pause': EDITORS,
  'sources.resume': EDITORS,
  'sources.delete': EDITORS,
  // Fetches a source once and shows what would be stored; outbound traffic, so editors only.
  'sources.test': EDITORS,
  'sources.pollNow': EDITORS,

  'metrics.contents': READ,
  'metrics.saveContent': EDITORS,
  'metrics.record': EDITORS,
  'metrics.panel': READ,
  'metrics.csvPreview': EDITORS,
  'metrics.csvImport': EDITORS,
  'alerts.list': READ,
  'alerts.acknowledge': EDITORS,
  'alerts.intervene': EDITORS,
  'alerts.resolve': EDITORS,
  'alerts.rules': READ,
  'alerts.saveRule': EDITORS,
  'alerts.deleteRule': EDITORS,
  'notify.get': READ,
  'notify.update': EDITORS,
  'notify.test': EDITORS,
  'notify.deliveries': READ,

  'moments.list': READ,
  'moments.get': READ,
  'moments.settings': READ,
  'moments.settingsUpdate': EDITORS,
  'moments.rebuild': EDITORS,
  // Taking a crisis in charge: everyone who acts for the brand; analysts see the banner only.
  'moments.acknowledge': MOMENT_ACKNOWLEDGERS,

  // Channels decide where responses go and whether legal must review: admin and strategist.
  'publishing.channels': READ,
  'publishing.channelCreate': ['admin', 'strategist'],
  'publishing.channelUpdate': ['admin', 'strategist'],
  'publishing.channelDisable': ['admin', 'strategist'],
  'publishing.channelTest': ['admin', 'strategist'],
  'publishing.outbox': READ,
  // Whoever posts by hand records where; a failed entry is re-queued by the same people.
  'publishing.recordManual': ['admin', 'manager'],
  'publishing.retry': ['admin', 'manager'],
  // Responses (issue #5b). The exact roles (manager drafts and publishes, legal decides legal
  // steps, admin/strategist edit the policy, nobody approves their own draft…) are checked in
  // the responses service, which records every refusal in the audit; here only analysts stop.
  'policy.get': READ,
  'policy.update': EDITORS,
  'policy.preview': READ,
  'responses.list': READ,
  'responses.get': READ,
  'responses.channels': READ,
  'responses.create': EDITORS,
  'responses.edit': EDITORS,
  'responses.submit': EDITORS,
  'responses.decide': EDITORS,
  'responses.comment': EDITORS,
  'responses.checklist': EDITORS,
  'responses.publish': EDITORS,
  'responses.recordManual': EDITORS,
  // Audience maps are the strategist's (PRODUCT.md); the checklist is filled by the team.
  'audiences.list': READ,
  'audiences.create': STRATEGISTS,
  'audiences.update': STRATEGISTS,
  'audiences.delete': STRATEGISTS,
  'audiences.suggestions': READ,
  'risk.moment': READ,
  'risk.map': READ,
  'risk.checklistSet': EDITORS,
};

export function allows(access: Access, actor: Actor): boolean {
  if (access === 'public' || access === 'signed-in') return true;
  return actor.roles.some((r) => access.includes(r));
}

/** For the UI and services: may this person change things at all? */
export function canEdit(actor: Actor): boolean {
  return actor.roles.some((r) => EDITORS.includes(r));
}
