// Access and audit of tags and bulk actions.
//
// Everyone who may change things (EDITORS) creates tags and puts them on mentions; renaming or
// deleting one changes every colleague's filters, so that is for who keeps the workspace's
// words (TAG_KEEPERS, shared with the UI). A bulk action has the access of the single action it
// repeats (sentiment: SENTIMENT_CORRECTORS; read marks: one's own, everyone), is atomic (its
// changes and its one row commit together) and its row says how many mentions changed; a bulk
// action that changed nothing writes none.
import { SENTIMENT_CORRECTORS, TAG_KEEPERS } from '../../shared/auth';
import type { tagsOperations } from '../../shared/ops/tags';
import type { AuditFacts, OpDeclarations } from '../api/call-scope';
import { EDITORS, READ } from '../auth/permissions';

function bulkAudit(out: { changed: number }, detail: Record<string, unknown> = {}): AuditFacts | null {
  return out.changed === 0 ? null : { subject: 'mentions', detail: { count: out.changed, ...detail } };
}

export const tagsOps: OpDeclarations<keyof typeof tagsOperations> = {
  'tags.list': { access: READ, mutates: false, audit: false },
  'tags.state': { access: READ, mutates: false, audit: false },
  'tags.create': { access: EDITORS, mutates: true, atomic: true, audit: (_i, tag) => ({ subject: `tag:${tag.id}` }) },
  'tags.rename': { access: TAG_KEEPERS, mutates: true, atomic: true, target: ({ id }) => `tag:${id}`, audit: ({ id }) => ({ subject: `tag:${id}` }) },
  'tags.delete': { access: TAG_KEEPERS, mutates: true, atomic: true, target: ({ id }) => `tag:${id}`, audit: ({ id }) => ({ subject: `tag:${id}` }) },
  'mentions.bulkTag': { access: EDITORS, mutates: true, atomic: true, audit: ({ tagId }, out) => bulkAudit(out, { tagId }) },
  'mentions.bulkAssign': { access: EDITORS, mutates: true, atomic: true, audit: (_i, out) => bulkAudit(out) },
  'mentions.bulkRead': { access: READ, mutates: true, atomic: true, audit: (_i, out) => bulkAudit(out) },
  'mentions.bulkStatus': { access: EDITORS, mutates: true, atomic: true, audit: (_i, out) => bulkAudit(out) },
  'mentions.bulkSentiment': { access: SENTIMENT_CORRECTORS, mutates: true, atomic: true, audit: (_i, out) => bulkAudit(out) },
};
