// The perimeters feature's one face (issue #15): everything outside core/perimeters imports
// it from here. Brand perimeters at run time: compiled themes, the matching ingest stage
// (first of all: the others read its matches), re-match, owned accounts, the demo's seed.
import type { MentionsRepo } from '../store/mentions-repo';
import { featureModule, type FeatureEvents, type FeatureModule } from '../api/modules';
import { perimetersHandlers } from './handlers';
import { perimetersOps } from './ops';
import type { PerimetersService } from './service';
import { perimetersStage } from './stage';

export { PerimetersService, queryErrorDto, type PerimetersDeps } from './service';
export { storedThemeMatcher, compileStoredThemes, type AnalyzedTheme } from './compiled';
export { DEMO_BRAND, seedDemoPerimeter } from './demo-seed';
export { perimetersHandlers, perimetersOps, perimetersStage };

export const perimetersEvents = {
  emits: ['perimeters.changed', 'perimeters.rematch'],
  consumes: [],
} as const satisfies FeatureEvents;

export function perimetersModule(deps: { perimeters: PerimetersService; mentions: MentionsRepo; now: () => number }): FeatureModule {
  return featureModule({
    name: 'perimeters',
    ops: perimetersOps,
    handlers: perimetersHandlers(deps.perimeters, deps.mentions, deps.now),
    events: perimetersEvents,
    stage: perimetersStage(deps.perimeters),
  });
}
