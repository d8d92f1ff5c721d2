// The search feature's one face (issue #17): the inbox search in the perimeter query language
// and the saved searches with their counts.
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import type { searchesOperations } from '../../shared/ops/searches';
import type { Handlers } from '../api/dispatch';
import { searchesOps } from './ops';
import type { SavedSearchesService } from './saved';
import type { MentionsRepo } from '../store/mentions-repo';
import { warSnapshot, type WarSnapshot } from './war-room';

export { InboxSearch, searchAst, SEARCH_SCAN_MAX, type SearchPage } from './inbox-search';
export { SavedSearchesService, type SavedSearchesDeps } from './saved';
export { warSnapshot, type WarSnapshot } from './war-room';
export { searchesOps };

export const searchesEvents = { emits: ['searches.changed'], consumes: [] } as const satisfies FeatureEvents;

function searchesHandlers(svc: SavedSearchesService, war: () => WarSnapshot): Pick<Handlers, keyof typeof searchesOperations> {
  return {
    'warroom.snapshot': () => war(),
    'searches.list': (_in, ctx) => ({ items: svc.list(ctx.actor) }),
    'searches.create': (input, ctx) => svc.create(input, ctx.actor),
    'searches.update': ({ id, ...patch }, ctx) => svc.update(id, patch, ctx.actor),
    'searches.delete': ({ id }, ctx) => {
      svc.remove(id, ctx.actor);
      return { ok: true };
    },
    'searches.counts': ({ ids }, ctx) => ({ counts: svc.counts(ctx.actor, ids) }),
  };
}

export function searchesModule(deps: { saved: SavedSearchesService; mentions: MentionsRepo; now: () => number }): FeatureModule {
  const war = (): WarSnapshot => warSnapshot(deps.mentions, deps.now());
  return featureModule({ name: 'search', ops: searchesOps, handlers: searchesHandlers(deps.saved, war), events: searchesEvents });
}
