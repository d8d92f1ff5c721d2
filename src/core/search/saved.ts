// Saved searches: the inbox's search and filters under a name. Personal ones are their author's
// alone; shared ones are seen by the whole workspace and changed only by their author or an
// admin (analysts, who change nothing others act on, save personal ones only). Each search's
// count is asked by the client when it lists them and again, throttled, as mentions arrive:
// a count is one index count for a plain search, a bounded test for a query (see InboxSearch).
import type { Actor } from '../../shared/auth';
import { ApiError } from '../../shared/contract';
import { SAVED_MAX, savedToQuery, type SavedCount, type SavedFilters, type SavedSearch } from '../../shared/search';
import { noteAudit } from '../api/call-scope';
import type { EventBus } from '../api/events';
import { EDITORS } from '../auth/permissions';
import type { SavedSearchesRepo, SavedSearchRow } from '../store/saved-searches-repo';
import type { InboxSearch } from './inbox-search';

export interface SavedSearchesDeps {
  repo: SavedSearchesRepo;
  search: InboxSearch;
  events: EventBus;
  now: () => number;
}

const isAdmin = (a: Actor): boolean => a.roles.includes('admin');
const mayShare = (a: Actor): boolean => a.roles.some((r) => EDITORS.includes(r));

export class SavedSearchesService {
  constructor(private readonly deps: SavedSearchesDeps) {}

  list(by: Actor): SavedSearch[] {
    return this.deps.repo.visibleTo(by.userId).map((r) => this.dto(r, by));
  }

  create(input: { name: string; shared: boolean; filters: SavedFilters }, by: Actor): SavedSearch {
    if (input.shared && !mayShare(by)) throw new ApiError('searches.sharedNotAllowed');
    if (this.deps.repo.idByName(by.userId, input.name) !== null) throw new ApiError('searches.nameTaken', { name: input.name });
    if (this.deps.repo.countOwn(by.userId) >= SAVED_MAX) throw new ApiError('searches.tooMany', { max: SAVED_MAX });
    const id = this.deps.repo.insert({ ownerId: by.userId, ownerName: by.displayName, ...input }, this.deps.now());
    noteAudit({ detail: { nome: input.name, condivisa: input.shared, ricerca: input.filters.text } });
    this.deps.events.emit('searches.changed', {});
    return this.dto(this.deps.repo.byId(id)!, by);
  }

  update(id: number, patch: { name?: string | undefined; shared?: boolean | undefined; filters?: SavedFilters | undefined }, by: Actor): SavedSearch {
    const cur = this.changeable(id, by);
    const next = { name: patch.name ?? cur.name, shared: patch.shared ?? cur.shared, filters: patch.filters ?? cur.filters };
    if (next.shared && !cur.shared && !mayShare(by)) throw new ApiError('searches.sharedNotAllowed');
    if (next.name !== cur.name && this.deps.repo.idByName(cur.ownerId, next.name) !== null) throw new ApiError('searches.nameTaken', { name: next.name });
    noteAudit({ detail: { prima: cur.name, nome: next.name, condivisa: next.shared } });
    this.deps.repo.update(id, next, this.deps.now());
    this.deps.events.emit('searches.changed', {});
    return this.dto(this.deps.repo.byId(id)!, by);
  }

  remove(id: number, by: Actor): void {
    const cur = this.changeable(id, by);
    noteAudit({ detail: { nome: cur.name, condivisa: cur.shared, autore: cur.ownerName } });
    this.deps.repo.remove(id);
    this.deps.events.emit('searches.changed', {});
  }

  /** The current count of each of the caller's searches (those among `ids`, when given). */
  counts(by: Actor, ids?: readonly number[]): SavedCount[] {
    const want = ids ? new Set(ids) : null;
    return this.deps.repo
      .visibleTo(by.userId)
      .filter((r) => !want || want.has(r.id))
      .map((r) => {
        const f = r.filters;
        const page = this.deps.search.list(savedToQuery(f), undefined, 1, f.sort, f.assignedToMe ? by.userId : null);
        // A search that no longer parses counts nothing; applying it shows why.
        return { id: r.id, count: page.queryError ? 0 : page.total, approximate: page.capped };
      });
  }

  /** The search, when the caller may change it: its author, or an admin for a shared one. */
  private changeable(id: number, by: Actor): SavedSearchRow {
    const cur = this.deps.repo.byId(id);
    // Someone else's personal search does not exist for the caller.
    if (!cur || (!cur.shared && cur.ownerId !== by.userId)) throw new ApiError('searches.notFound', { id });
    if (!this.mayChange(cur, by)) {
      noteAudit({ detail: { nome: cur.name, autore: cur.ownerName } });
      throw new ApiError('searches.notAllowed');
    }
    return cur;
  }

  private mayChange(r: SavedSearchRow, by: Actor): boolean {
    return r.ownerId === by.userId || (r.shared && isAdmin(by));
  }

  private dto(r: SavedSearchRow, by: Actor): SavedSearch {
    return { ...r, canChange: this.mayChange(r, by) };
  }
}
