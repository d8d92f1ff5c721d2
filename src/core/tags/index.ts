// The tags feature's one face (issue #17): tags on mentions and the inbox's bulk actions.
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { tagsHandlers } from './handlers';
import { tagsOps } from './ops';
import type { TagsService } from './service';

export { TagsService } from './service';
export { tagsOps };

export const tagsEvents = { emits: ['tags.changed', 'mentions.updated'], consumes: [] } as const satisfies FeatureEvents;

export function tagsModule(deps: { tags: TagsService }): FeatureModule {
  return featureModule({ name: 'tags', ops: tagsOps, handlers: tagsHandlers(deps.tags), events: tagsEvents });
}
