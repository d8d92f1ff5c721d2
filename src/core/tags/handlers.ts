import type { tagsOperations } from '../../shared/ops/tags';
import type { Handlers } from '../api/dispatch';
import type { TagsService } from './service';

type TagsHandlers = Pick<Handlers, keyof typeof tagsOperations>;

function result<T>(previous: T[]): { changed: number; previous: T[] } {
  return { changed: previous.length, previous };
}

export function tagsHandlers(svc: TagsService): TagsHandlers {
  return {
    'tags.list': () => ({ tags: svc.list() }),
    'tags.create': ({ name }, ctx) => svc.create(ctx.actor, name),
    'tags.rename': ({ id, name }) => svc.rename(id, name),
    'tags.delete': ({ id }) => svc.remove(id),
    'tags.state': ({ ids }) => ({ items: svc.of(ids) }),
    'mentions.bulkTag': ({ tagId, items }, ctx) => result(svc.bulkTag(ctx.actor, tagId, items)),
    'mentions.bulkAssign': ({ items }, ctx) => result(svc.bulkAssign(ctx.actor, items)),
    'mentions.bulkRead': ({ items }, ctx) => result(svc.bulkRead(ctx.actor, items)),
    'mentions.bulkStatus': ({ items }) => result(svc.bulkStatus(items)),
    'mentions.bulkSentiment': ({ items }, ctx) => result(svc.bulkSentiment(ctx.actor, items)),
  };
}
